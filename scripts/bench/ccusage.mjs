// ccusage 20.0.24 (the newest with a Linux binary in the npm registry) as the reference to compare against.
// Fetched through npx once; its native binary is then run directly so npm's own start-up is not timed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from './measure.mjs';

export const CCUSAGE_VERSION = '20.0.24';

/** @returns {{ cmd: string, args: string[], how: string } | { error: string }} */
export function locateCcusage() {
  const spec = `ccusage@${CCUSAGE_VERSION}`;
  try {
    const v = execFileSync('npx', ['--yes', spec, '--version'], { encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (!v.includes(CCUSAGE_VERSION)) return { error: `unexpected version output: ${v.trim()}` };
    const bin = execFileSync('npx', ['--yes', '-p', spec, '-c', 'command -v ccusage'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const cli = realpathSync(bin); // …/node_modules/ccusage/src/cli.js
    const native = join(dirname(dirname(dirname(cli))), '@ccusage', `ccusage-${process.platform}-${process.arch}`, 'bin', 'ccusage');
    if (existsSync(native)) return { cmd: native, args: [], how: 'native binary' };
    return { cmd: process.execPath, args: [cli], how: 'node wrapper' };
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

/**
 * Runs `ccusage <source> daily --json --offline --timezone UTC` on one part of the corpus, or for source 'all'
 * `ccusage daily …` (every agent it detects, in one run) on both parts (`dir` = { claude, codex }).
 * HOME is an empty temp dir so nothing of the machine's own logs or config is read.
 */
export async function runCcusage(tool, source, dir) {
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-bench-home-'));
  const env = source === 'all'
    ? { CLAUDE_CONFIG_DIR: dir.claude, CODEX_HOME: dir.codex, HOME: home, NO_COLOR: '1' }
    : source === 'claude'
      ? { CLAUDE_CONFIG_DIR: dir, HOME: home, NO_COLOR: '1' }
      : { CODEX_HOME: dir, HOME: home, NO_COLOR: '1' };
  const cmd = source === 'all' ? ['daily'] : [source, 'daily'];
  const r = await run(tool.cmd, [...tool.args, ...cmd, '--json', '--offline', '--timezone', 'UTC'], { env, timeoutMs: 600_000 });
  let json = null;
  try { json = JSON.parse(r.stdout); } catch { /* reported below */ }
  return { ...r, json };
}
