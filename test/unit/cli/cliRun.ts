/** Runs the built CLI (`dist/cli.js`, built once if missing) with a clean HOME so no real logs are read. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedCodeCacheFile } from '../../../src/cli/codeCache';

export const repo = join(__dirname, '..', '..', '..');
export const cliJs = join(repo, 'dist', 'cli.js');
export const fixture = join(repo, 'test', 'fixtures', 'cli', 'tree');
export const fixtureDirs = ['--claude-dir', join(fixture, 'claude'), '--codex-dir', join(fixture, 'codex')];

export function ensureBuilt(): void {
  // dist/cli.js is the loader of dist/cli-main.js (src/cli/bin.ts): a build from before the loader has no cli-main.js;
  // one from before the shipped code cache (src/cli/codeCache.ts) has no .codecache
  const built = [cliJs, join(repo, 'dist', 'cli-main.js'), shippedCodeCacheFile(join(repo, 'dist'), 'report')];
  if (!built.every((f) => existsSync(f))) execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'ignore' });
}

const home = mkdtempSync(join(tmpdir(), 'agentmeter-cli-home-'));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliJs, ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function json(args: string[]): Promise<any> {
  const r = await cli([...args, '--format', 'json']);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
