import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, fixture, type CliResult } from './cliRun';
import { claudeAssistant, write } from '../ingest/helpers';

before(ensureBuilt);

/** A copy of the CLI fixture tree (6 requests over both agents) and a cache folder of its own. */
function setup(): { tree: string; cache: string; args: string[]; env: Record<string, string> } {
  const work = mkdtempSync(join(tmpdir(), 'agentmeter-cache-'));
  const tree = join(work, 'tree');
  cpSync(fixture, tree, { recursive: true });
  const cache = join(work, 'cache');
  const args = ['report', '--claude-dir', join(tree, 'claude'), '--codex-dir', join(tree, 'codex'), '--timezone', 'UTC', '--format', 'json'];
  return { tree, cache, args, env: { XDG_CACHE_HOME: cache } };
}

const ok = (r: CliResult): any => {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};
/** The index files in the cache folder (not their journals). */
const indexFiles = (cache: string) => readdirSync(join(cache, 'agentmeter')).filter((n) => !n.endsWith('.journal')).sort();
const verboseIngest = (stderr: string) => /indexed (\d+) files \((\d+) changed, [\d.]+ MB read, (\d+) new records\)/.exec(stderr)!.slice(1).map(Number);

/** One new Claude call (Haiku 4.5, 1000 input, 100 output) appended to the fixture's Claude session. */
function appendCall(tree: string, id: string): void {
  const dir = join(tree, 'claude', 'projects', '-home-ana-shop');
  appendFileSync(
    join(dir, readdirSync(dir)[0]),
    claudeAssistant({ id, ts: '2026-04-03T08:00:00.000Z', model: 'claude-haiku-4-5-20251001', usage: { input: 1000, output: 100 }, cwd: '/home/ana/shop' }),
  );
}

test('by default the index is kept in $XDG_CACHE_HOME/agentmeter; a second run reads no old bytes and reports the same', async () => {
  const { tree, cache, args, env } = setup();
  const inMemory = ok(await cli([...args, '--no-cache'], env));
  assert.equal(inMemory.totals.requests, 6);

  const first = await cli([...args, '-v'], env);
  assert.deepEqual(ok(first), inMemory);
  assert.deepEqual(verboseIngest(first.stderr), [2, 2, 6]);
  const files = indexFiles(cache);
  assert.equal(files.length, 1);
  assert.match(files[0], /^index-[0-9a-f]{12}\.sqlite$/, 'no lock or temp file left');
  assert.match(first.stderr, new RegExp(`index file: ${join(cache, 'agentmeter', files[0]).replace(/[.]/g, '\\.')}`));

  const second = await cli([...args, '-v'], env);
  assert.deepEqual(ok(second), inMemory);
  assert.deepEqual(verboseIngest(second.stderr), [2, 0, 0], 'nothing read again');

  appendCall(tree, 'msg_new_1');
  const third = await cli([...args, '-v'], env);
  assert.equal(ok(third).totals.requests, 7);
  assert.deepEqual(verboseIngest(third.stderr), [2, 1, 1], 'only the new line');
  assert.deepEqual(ok(await cli([...args, '--no-cache'], env)), ok(third), 'same as reading every log');
});

test('--no-cache writes nothing; without XDG_CACHE_HOME the folder is ~/.cache/agentmeter', async () => {
  const { cache, args, env } = setup();
  const r = await cli([...args, '--no-cache', '-v'], env);
  assert.equal(ok(r).totals.requests, 6);
  assert.match(r.stderr, /index kept in memory for this run \(--no-cache\)/);
  assert.equal(existsSync(cache), false);

  const home = mkdtempSync(join(tmpdir(), 'agentmeter-home-'));
  ok(await cli(args, { HOME: home }));
  assert.equal(readdirSync(join(home, '.cache', 'agentmeter')).length, 1);
  ok(await cli(args, { HOME: home, XDG_CACHE_HOME: 'relative/dir' })); // not absolute: ignored, as the XDG spec says
  assert.equal(readdirSync(join(home, '.cache', 'agentmeter')).length, 1);
});

test('runs over other folders or sources get their own index file and never mix', async () => {
  const { cache, args, env } = setup();
  const all = ok(await cli(args, env));
  const other = mkdtempSync(join(tmpdir(), 'agentmeter-claude-'));
  write(join(other, 'projects', '-tmp-p', 's1.jsonl'), claudeAssistant({ id: 'msg_other', ts: '2026-04-01T10:00:00.000Z', usage: { input: 7, output: 1 } }));
  const otherArgs = ['report', '--claude-dir', other, '--codex-dir', 'none', '--timezone', 'UTC', '--format', 'json'];
  const o = ok(await cli(otherArgs, env));
  assert.equal(o.totals.requests, 1);
  assert.equal(o.totals.inputTokens, 7);
  const claudeOnly = ok(await cli([...args, '--source', 'claude'], env));
  assert.deepEqual(claudeOnly, ok(await cli([...args, '--source', 'claude', '--no-cache'], env)));
  assert.equal(indexFiles(cache).length, 3, 'one file per set of roots');
  // --codex-dir none names the same roots as --source claude: the same file
  ok(await cli([...args.slice(0, 3), '--codex-dir', 'none', ...args.slice(5)], env));
  assert.equal(indexFiles(cache).length, 3);

  const again = await cli([...args, '-v'], env);
  assert.deepEqual(ok(again), all, 'the first selection is unchanged by the others');
  assert.deepEqual(verboseIngest(again.stderr), [2, 0, 0]);
  const otherAgain = await cli([...otherArgs, '-v'], env);
  assert.deepEqual(ok(otherAgain), o);
  assert.deepEqual(verboseIngest(otherAgain.stderr), [1, 0, 0]);
});

test('two runs at once give the same correct totals and leave a sound index file', async () => {
  const { tree, cache, args, env } = setup();
  const expected = ok(await cli([...args, '--no-cache'], env));
  const runs = await Promise.all([cli(args, env), cli(args, env), cli(args, env)]);
  for (const r of runs) assert.deepEqual(ok(r), expected);
  const files = indexFiles(cache);
  assert.equal(files.length, 1, `only the index is left: ${files.join(', ')}`);
  const next = await cli([...args, '-v'], env);
  assert.deepEqual(ok(next), expected);
  assert.deepEqual(verboseIngest(next.stderr), [2, 0, 0], 'the saved file is complete');
  assert.doesNotMatch(next.stderr, /warning/);

  // new lines while two runs go at once: counted once
  appendCall(tree, 'msg_new_2');
  const both = await Promise.all([cli(args, env), cli(args, env)]);
  for (const r of both) assert.equal(ok(r).totals.requests, 7);
  assert.equal(ok(await cli(args, env)).totals.requests, 7);
  assert.deepEqual(ok(await cli(args, env)), ok(await cli([...args, '--no-cache'], env)));
});

test('a run that finds the index locked by a live run reads into memory, says so in one line, and saves nothing', async () => {
  const { tree, cache, args, env } = setup();
  ok(await cli(args, env));
  const file = join(cache, 'agentmeter', indexFiles(cache)[0]);
  const saved = readFileSync(file);
  const lock = JSON.stringify({ pid: process.pid, hostname: hostname(), sinceMs: Date.now() });
  writeFileSync(`${file}.lock`, lock);
  appendCall(tree, 'msg_new_3');
  const r = await cli(args, env);
  assert.equal(ok(r).totals.requests, 7, 'the new line is counted');
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^agentmeter: warning: the index .* is in use by another agentmeter run \\(pid ${process.pid} on .*\\); this run reads the new log lines into memory and does not save them\n$`));
  assert.deepEqual(readFileSync(file), saved, 'the file is left as it is');
  assert.equal(readFileSync(`${file}.lock`, 'utf8'), lock, 'the lock is left to its holder');

  // a lock whose process is gone is taken over
  writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), sinceMs: Date.now() }));
  const after = await cli([...args, '-v'], env);
  assert.equal(ok(after).totals.requests, 7);
  assert.doesNotMatch(after.stderr, /warning/);
  assert.deepEqual(indexFiles(cache), [indexFiles(cache)[0]], 'stale lock removed');
});

test('--db naming the VS Code extension index while a window writes it: read into memory, file not written', async () => {
  const { args, env } = setup();
  const storage = mkdtempSync(join(tmpdir(), 'agentmeter-storage-'));
  mkdirSync(storage, { recursive: true });
  writeFileSync(join(storage, 'writer.lock'), JSON.stringify({ pid: process.pid, windowId: 'w1', hostname: hostname(), heartbeatMs: Date.now() }));
  const db = join(storage, 'usage-index.sqlite');
  const r = await cli([...args, '--db', db], env);
  assert.equal(ok(r).totals.requests, 6);
  assert.match(r.stderr, /^agentmeter: warning: the index .*usage-index\.sqlite is in use by a VS Code window; .*does not save them\n$/);
  assert.equal(existsSync(db), false);
});

test('a damaged cache file (garbage, truncated, or bad pages found on first use) is moved aside and rebuilt', async () => {
  const { cache, args, env } = setup();
  const expected = ok(await cli(args, env));
  const name = indexFiles(cache)[0];
  const file = join(cache, 'agentmeter', name);
  const good = readFileSync(file);
  const pageSize = good.readUInt16BE(16);
  const badPages = Buffer.from(good);
  for (let i = pageSize; i < badPages.length; i++) badPages[i] = (i * 7919) & 0xff;
  const damaged: [string, Buffer][] = [
    ['garbage', Buffer.from('this is not a database')],
    ['truncated', good.subarray(0, Math.floor(good.length / 2))],
    ['bad pages', badPages],
  ];
  for (const [what, bytes] of damaged) {
    writeFileSync(file, bytes);
    const r = await cli(args, env);
    assert.deepEqual(ok(r), expected, what);
    assert.match(r.stderr, /^agentmeter: warning: database is unreadable \(.*\); moved aside to .*\.corrupt-\d+; rebuilding the index from the logs\n$/, what);
    const next = await cli([...args, '-v'], env);
    assert.deepEqual(verboseIngest(next.stderr), [2, 0, 0], `${what}: the rebuilt file was saved`);
  }
  assert.equal(indexFiles(cache).filter((n) => n.startsWith(`${name}.corrupt-`)).length, damaged.length);
});

test('a cache folder that cannot be made costs a warning, not the report; a --db folder that cannot be made is an error', async () => {
  const { args } = setup();
  const blocker = join(mkdtempSync(join(tmpdir(), 'agentmeter-file-')), 'plain-file');
  writeFileSync(blocker, 'x');
  const r = await cli(args, { XDG_CACHE_HOME: blocker });
  assert.equal(ok(r).totals.requests, 6);
  assert.match(r.stderr, /^agentmeter: warning: cannot use the index folder .*plain-file\/agentmeter \(.*\); this run keeps the index in memory\n$/);
  const db = await cli([...args, '--db', join(blocker, 'index.sqlite')]);
  assert.equal(db.code, 1);
  assert.match(db.stderr, /^agentmeter: error: .*(ENOTDIR|EEXIST).*\n$/);
});

test('a cache file that cannot be read is left as it is (it may hold history): the run keeps the index in memory', async () => {
  const { cache, args, env } = setup();
  ok(await cli(args, env));
  const file = join(cache, 'agentmeter', indexFiles(cache)[0]);
  rmSync(file);
  mkdirSync(join(file, 'held'), { recursive: true }); // reading fails (EISDIR), as for a file another program holds or without permission
  const r = await cli(args, env);
  assert.equal(ok(r).totals.requests, 6);
  assert.match(r.stderr, /^agentmeter: warning: cannot read the usage index .*; the file was left as it is; this run keeps the index in memory\n$/);
  assert.deepEqual(readdirSync(file), ['held'], 'not replaced');
  assert.equal(existsSync(`${file}.lock`), false);
});
