import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportWriteError, writeReportFile } from '../../../src/app/reports/writeReportFile';

const dir = mkdtempSync(join(tmpdir(), 'agentmeter-write-'));

test('writes through a temp file and a rename, creating the folder', async () => {
  const file = join(dir, 'a', 'b', 'r.md');
  await writeReportFile(file, Buffer.from('one'));
  await writeReportFile(file, Buffer.from('two'));
  assert.equal(readFileSync(file, 'utf8'), 'two');
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['r.md']);
});

test('a target that cannot be replaced: one-line ReportWriteError, what was there kept, no temp file left', async () => {
  const target = join(dir, 'busy.xlsx');
  mkdirSync(target);
  writeFileSync(join(target, 'keep'), 'previous');
  await assert.rejects(writeReportFile(target, Buffer.from('new')), (e: Error) => {
    assert.ok(e instanceof ReportWriteError);
    assert.match(e.message, /^cannot (replace|write) .*busy\.xlsx/);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  assert.equal(readFileSync(join(target, 'keep'), 'utf8'), 'previous');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('a folder path through a file: says which folder is not one', async () => {
  writeFileSync(join(dir, 'plain'), 'x');
  await assert.rejects(writeReportFile(join(dir, 'plain', 'r.pdf'), Buffer.from('x')), /plain is not a folder/);
});
