import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileFollower } from '../../../src/host/fileFollower';

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
  writeFileSync(db + '.tmp', 'version two');
  renameSync(db + '.tmp', db);
  await wait(200);
  assert.equal(fired, 1);
  f.dispose();
});

test('markSeen suppresses our own write; a missing file never fires', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-follow-'));
  const db = join(dir, 'index.sqlite');
  let fired = 0;
  const f = new FileFollower({ path: db, onChange: () => fired++, pollMs: 30, debounceMs: 10 });
  await f.start();
  await wait(100);
  assert.equal(fired, 0);
  writeFileSync(db, 'ours');
  await f.markSeen();
  await wait(120);
  assert.equal(fired, 0);
  f.dispose();
});
