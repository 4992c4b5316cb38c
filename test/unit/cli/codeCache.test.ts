import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { codeCacheFileName, runBundle, shippedCodeCacheFile } from '../../../src/cli/codeCache';
import { cli, ensureBuilt, fixtureDirs, repo } from './cliRun';

/** A CommonJS bundle like esbuild's: it requires a builtin, reads its own location and exports what it computed. */
function bundleSource(answer: number): string {
  const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
  return `"use strict";\nconst { basename } = require("node:path");\n${body}\nmodule.exports = { answer: f0(${answer}), file: basename(__filename), dir: __dirname, main: typeof module };\n`;
}

function setup(): { dir: string; bundle: string; cacheFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-code-cache-'));
  const bundle = join(dir, 'cli-main.js');
  writeFileSync(bundle, bundleSource(41));
  return { dir, bundle, cacheFile: join(dir, 'cache', 'cli.bin') };
}

test('the first run compiles and saves the code; the next run of the same bundle uses it and computes the same', () => {
  const { dir, bundle, cacheFile } = setup();
  const first = runBundle(bundle, cacheFile);
  assert.deepEqual(first.exports, { answer: 41, file: 'cli-main.js', dir, main: 'object' });
  assert.equal(first.cacheUsed, false);
  assert.equal(first.saveCache(), true);
  assert.ok(existsSync(cacheFile));
  const second = runBundle(bundle, cacheFile);
  assert.equal(second.cacheUsed, true);
  assert.deepEqual(second.exports, first.exports);
});

test("a rebuilt bundle never runs the old build's code: its cache is not used and the new code runs", () => {
  const { bundle, cacheFile } = setup();
  runBundle(bundle, cacheFile).saveCache();
  writeFileSync(bundle, bundleSource(1000)); // another size and time
  const run = runBundle(bundle, cacheFile);
  assert.equal(run.cacheUsed, false);
  assert.equal((run.exports as { answer: number }).answer, 1000);
});

test('a damaged cache file is not used (its digest differs) and the run goes on; the next save replaces it', () => {
  const { bundle, cacheFile } = setup();
  runBundle(bundle, cacheFile).saveCache();
  const bytes = readFileSync(cacheFile);
  for (let i = bytes.length - 400; i < bytes.length; i++) bytes[i] ^= 0x5a;
  writeFileSync(cacheFile, bytes);
  const damaged = runBundle(bundle, cacheFile);
  assert.equal(damaged.cacheUsed, false);
  assert.equal((damaged.exports as { answer: number }).answer, 41);
  assert.equal(damaged.saveCache(), true);
  assert.equal(runBundle(bundle, cacheFile).cacheUsed, true);

  writeFileSync(cacheFile, 'not a cache');
  assert.equal(runBundle(bundle, cacheFile).cacheUsed, false);
});

test('a cache that cannot be written costs only the compile; without a cache file nothing is written', () => {
  const { dir, bundle } = setup();
  const blocked = join(dir, 'a-file');
  writeFileSync(blocked, 'x');
  const run = runBundle(bundle, join(blocked, 'cli.bin'));
  assert.equal((run.exports as { answer: number }).answer, 41);
  assert.equal(run.saveCache(), false);
  const none = runBundle(bundle, undefined);
  assert.equal(none.cacheUsed, false);
  assert.equal(none.saveCache(), false);
});

test("the build's shipped cache serves a run without a cache of its own, for any copy of the same bundle, read only", () => {
  const { dir, bundle } = setup();
  const shipped = shippedCodeCacheFile(dir, 'report');
  const build = runBundle(bundle, undefined);
  assert.equal(build.saveShippedCache(shipped), true);
  // another install of the same build: another folder and file time, the same content
  const other = mkdtempSync(join(tmpdir(), 'agentmeter-install-'));
  const copy = join(other, 'cli-main.js');
  copyFileSync(bundle, copy);
  const before = readFileSync(shipped);
  const noCache = runBundle(copy, undefined, shipped);
  assert.equal(noCache.shippedCacheUsed, true);
  assert.equal(noCache.cacheUsed, false);
  assert.deepEqual(noCache.exports, { answer: 41, file: 'cli-main.js', dir: other, main: 'object' });
  assert.ok(readFileSync(shipped).equals(before), 'nothing written to it');
  // a first run with a cache file of its own: served by the shipped one, then it saves its own, which the next run uses
  const own = join(other, 'cache', 'cli.bin');
  const first = runBundle(copy, own, shipped);
  assert.equal(first.shippedCacheUsed, true);
  assert.equal(first.saveCache(), true);
  const next = runBundle(copy, own, shipped);
  assert.deepEqual([next.cacheUsed, next.shippedCacheUsed], [true, false]);
  // other content (a rebuilt bundle of the same size) is never served by it
  writeFileSync(copy, bundleSource(42));
  const rebuilt = runBundle(copy, undefined, shipped);
  assert.deepEqual([rebuilt.cacheUsed, rebuilt.shippedCacheUsed], [false, false]);
  assert.equal((rebuilt.exports as { answer: number }).answer, 42);
  // a damaged shipped cache is not used either
  const bytes = readFileSync(shipped);
  for (let i = bytes.length - 400; i < bytes.length; i++) bytes[i] ^= 0x5a;
  writeFileSync(shipped, bytes);
  writeFileSync(copy, bundleSource(41));
  assert.equal(runBundle(copy, undefined, shipped).shippedCacheUsed, false);
});

test("the build ships a code cache for the CLI's report made for dist/cli-main.js's content on this Node", () => {
  ensureBuilt();
  const dist = join(repo, 'dist');
  const shipped = shippedCodeCacheFile(dist, 'report');
  assert.ok(existsSync(shipped), `${shipped} written by the build (npm run build)`);
  const sha = createHash('sha256').update(readFileSync(join(dist, 'cli-main.js'), 'utf8')).digest('hex');
  const head = readFileSync(shipped).subarray(0, 200).toString('latin1');
  assert.ok(head.startsWith(`agentmeter-code-cache-1\n${process.version} ${process.arch}\nsha256 ${sha}\n`), head.split('\n').slice(0, 3).join(' | '));
});

test('dist/cli.js keeps its code cache beside the index folder, reports the same with it, and --no-cache writes none', async () => {
  ensureBuilt();
  const xdg = mkdtempSync(join(tmpdir(), 'agentmeter-xdg-'));
  const args = ['report', ...fixtureDirs, '--timezone', 'UTC', '--format', 'json'];
  const noCache = await cli([...args, '--no-cache'], { XDG_CACHE_HOME: xdg });
  assert.equal(noCache.code, 0, noCache.stderr);
  assert.equal(existsSync(join(xdg, 'agentmeter-code')), false);
  // another command first keeps its own cache: a report's is made by a report
  assert.equal((await cli(['--version'], { XDG_CACHE_HOME: xdg })).code, 0);
  const bundle = join(repo, 'dist', 'cli-main.js');
  assert.ok(existsSync(join(xdg, 'agentmeter-code', codeCacheFileName('other', bundle))));
  const cacheFile = join(xdg, 'agentmeter-code', codeCacheFileName('report', bundle));
  assert.equal(existsSync(cacheFile), false);
  const first = await cli(args, { XDG_CACHE_HOME: xdg });
  assert.equal(first.code, 0, first.stderr);
  assert.ok(existsSync(cacheFile));
  const written = readFileSync(cacheFile);
  const second = await cli(args, { XDG_CACHE_HOME: xdg });
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(JSON.parse(second.stdout), JSON.parse(first.stdout));
  assert.deepEqual(JSON.parse(second.stdout), JSON.parse(noCache.stdout));
  assert.ok(readFileSync(cacheFile).equals(written), 'a run that used the cache does not write it again');
});

test('two installs keep a code cache each: a run of one does not replace the other\'s', async () => {
  ensureBuilt();
  const xdg = mkdtempSync(join(tmpdir(), 'agentmeter-xdg-'));
  const other = mkdtempSync(join(tmpdir(), 'agentmeter-install-'));
  for (const f of ['cli.js', 'cli-main.js']) copyFileSync(join(repo, 'dist', f), join(other, f));
  const run = (cliJs: string) =>
    new Promise<number | null>((resolve) => execFile(process.execPath, [cliJs, '--version'], { env: { PATH: process.env.PATH, HOME: other, XDG_CACHE_HOME: xdg } }, (e) => resolve(e ? 1 : 0)));
  assert.equal(await run(join(repo, 'dist', 'cli.js')), 0);
  const mine = join(xdg, 'agentmeter-code', codeCacheFileName('other', join(repo, 'dist', 'cli-main.js')));
  const written = readFileSync(mine);
  assert.equal(await run(join(other, 'cli.js')), 0);
  const theirs = join(xdg, 'agentmeter-code', codeCacheFileName('other', join(other, 'cli-main.js')));
  assert.notEqual(theirs, mine);
  assert.ok(existsSync(theirs));
  assert.ok(readFileSync(mine).equals(written));
  // and each install's next run uses its own cache: neither file is written again
  const theirsWritten = readFileSync(theirs);
  assert.equal(await run(join(repo, 'dist', 'cli.js')), 0);
  assert.equal(await run(join(other, 'cli.js')), 0);
  assert.ok(readFileSync(mine).equals(written));
  assert.ok(readFileSync(theirs).equals(theirsWritten));
});

test("V8 takes the build's shipped cache under the CLI's flags (setCliV8Flags, as bin.ts sets them), and not under others", () => {
  ensureBuilt();
  const dist = join(repo, 'dist');
  // a fresh process per case: V8's flags are process-wide; the bundle's own run (no command: a usage message) is not awaited
  const used = (setFlags: boolean) =>
    execFileSync(process.execPath, ['--import', 'tsx', '-e', `
      const { setCliV8Flags } = require(${JSON.stringify(join(repo, 'src/cli/v8Flags.ts'))});
      const { runBundle, shippedCodeCacheFile } = require(${JSON.stringify(join(repo, 'src/cli/codeCache.ts'))});
      if (${setFlags}) setCliV8Flags();
      const run = runBundle(${JSON.stringify(join(dist, 'cli-main.js'))}, undefined, shippedCodeCacheFile(${JSON.stringify(dist)}, 'report'));
      require('node:fs').writeSync(1, 'USED ' + run.shippedCacheUsed + '\\n');
      process.exit(0);`], { encoding: 'utf8', cwd: repo }).match(/USED (\w+)/)?.[1];
  assert.equal(used(true), 'true');
  assert.equal(used(false), 'false');
});
