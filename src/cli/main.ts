/**
 * `agentmeter` CLI entry (bundled to dist/cli.js). Bad arguments or a missing directory: one line on stderr,
 * exit code 2, no stack trace. The team database unreachable (sync, team, report --team): one line, exit code 3.
 * Other failures: one line, exit code 1 (stack with --verbose).
 */
import { version } from '../../package.json';
import type { Logger } from '../core/types';
import { parseCli, UsageError } from './args';
import { helpText } from './help';
import { BadLangError, cliTranslator } from './lang';
import { englishTranslator, type Translator } from '../app/i18n/translator';
import { runReport } from './runReport';
import { TeamError } from '../app/team/errors';
import { isTeamCommand, parseTeamCli } from './teamArgs';
import { setCliV8Flags } from './v8Flags';

const TEAM_EXIT: Partial<Record<TeamError['kind'], number>> = { unreachable: 3, auth: 3, tls: 3, 'bad-url': 2, 'bad-input': 2 };

function stderrLogger(verbose: boolean, t: Translator): Logger {
  const write = (prefix: string) => (msg: string) => process.stderr.write(`agentmeter: ${prefix}${msg}\n`);
  return {
    info: verbose ? write('') : () => {},
    debug: verbose ? write('') : () => {},
    warn: write(t('cli.warning.prefix')),
    error: write(t('cli.error.prefix')),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  let t = englishTranslator;
  try {
    t = cliTranslator(argv, process.env);
    if (isTeamCommand(argv) && !argv.includes('--help') && !argv.includes('-h')) {
      const cmd = parseTeamCli(argv);
      verbose = cmd.args.verbose;
      setCliV8Flags();
      // loaded only for the team commands: `pg` costs ~0.1 s to load, which `report` does not pay
      const { runTeamCommand } = await import('./runTeam');
      process.stdout.write(await runTeamCommand(cmd, stderrLogger(verbose, t), version, process.env, t));
      return 0;
    }
    const cmd = parseCli(argv, t);
    if (cmd.kind === 'help') {
      process.stdout.write(helpText(t));
      return 0;
    }
    if (cmd.kind === 'version') {
      process.stdout.write(`${version}\n`);
      return 0;
    }
    verbose = cmd.args.verbose;
    setCliV8Flags();
    process.stdout.write(await runReport(cmd.args, stderrLogger(verbose, t), Date.now(), t));
    return 0;
  } catch (e) {
    if (e instanceof BadLangError) {
      process.stderr.write(`agentmeter: ${t('cli.error.badLang', { value: e.value })}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`agentmeter: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TeamError) {
      // the team database: 3 when it cannot be reached (or refuses the login / TLS), 2 for bad arguments, else 1
      process.stderr.write(`agentmeter: ${e.message}\n`);
      return TEAM_EXIT[e.kind] ?? 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`agentmeter: ${t('cli.error.prefix')}${msg.split('\n')[0]}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

// A closed pipe (`agentmeter report | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
