import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileFollower, filesSignature } from '../../../src/host/fileFollower';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an atomic replace (temp + rename) of the followed file fires once; an unrelated file does not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-follow-'));
  const db = join(dir, 'index.sqlite');
  writeFileSync(db, 'v1');
  let fired = 0;
  const f = new FileFollower({ path: db, onChange: () => fired++, pollMs: 50, debounceMs: 20 });
  await f.start();
  writeFileSync(join(dir, 'other.txt'), 'x');
  await wait(150);
  assert.equal(fired, 0);
  writeFileSync(`${db}.tmp`, 'version two');
  renameSync(`${db}.tmp`, db);
  // wait for the change (fs event or poll, debounce, stat) rather than a fixed 200 ms, then long enough for a
  // duplicate from a later event or poll (every 50 ms) to show
  for (let i = 0; i < 100 && fired === 0; i++) await wait(20);
  await wait(200);
  assert.equal(fired, 1);
  f.dispose();
});

test('a missing file never fires; the file appearing does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-follow-'));
  const db = join(dir, 'index.sqlite');
  let fired = 0;
  const f = new FileFollower({ path: db, onChange: () => fired++, pollMs: 30, debounceMs: 10 });
  await f.start();
  await wait(100);
  assert.equal(fired, 0);
  writeFileSync(db, 'first save');
  for (let i = 0; i < 100 && fired === 0; i++) await wait(20);
  assert.equal(fired, 1);
  f.dispose();
});

test('a save between the caller\'s load and start(seen) is a change; start() without seen takes the file as it is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-follow-'));
  const db = join(dir, 'index.sqlite');
  writeFileSync(db, 'v1');
  // the reader takes the signature, loads v1 ... and the writer saves v2 before the follower starts
  const seen = await filesSignature([db]);
  writeFileSync(`${db}.tmp`, 'version two');
  renameSync(`${db}.tmp`, db);
  let fired = 0;
  const f = new FileFollower({ path: db, onChange: () => fired++, pollMs: 30, debounceMs: 10 });
  await f.start(seen);
  for (let i = 0; i < 100 && fired === 0; i++) await wait(20);
  assert.equal(fired, 1, 'v2 is reloaded');
  f.dispose();

  let fired2 = 0;
  const g = new FileFollower({ path: db, onChange: () => fired2++, pollMs: 30, debounceMs: 10 });
  await g.start();
  await wait(150);
  assert.equal(fired2, 0, 'the file as it is at start() counts as seen');
  g.dispose();
});

test('an append to a related file (the journal) is a change; so is the journal appearing, and its removal with a new file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-follow-'));
  const db = join(dir, 'index.sqlite');
  const journal = `${db}.journal`;
  writeFileSync(db, 'v1');
  let fired = 0;
  const f = new FileFollower({ path: db, related: [journal], onChange: () => fired++, pollMs: 30, debounceMs: 10 });
  await f.start(await filesSignature([db, journal]));
  const waitFor = async (n: number) => {
    for (let i = 0; i < 100 && fired < n; i++) await wait(20);
  };
  writeFileSync(journal, 'record 1\n');
  await waitFor(1);
  assert.equal(fired, 1, 'the journal appeared');
  appendFileSync(journal, 'record 2\n');
  await waitFor(2);
  assert.equal(fired, 2, 'a record was appended');
  writeFileSync(`${db}.tmp`, 'version two');
  renameSync(`${db}.tmp`, db);
  rmSync(journal);
  await waitFor(3);
  await wait(100);
  assert.ok(fired >= 3 && fired <= 4, `the whole file was written and the journal removed (${fired})`);
  f.dispose();
});
