import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIndexFile } from '../../../src/cli/readIndexFile';
import { fileStampSync } from '../../../src/core/fileStamp';
import { openIndexDatabase, saveIndexDatabase } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqljs';

test('the index file read on the thread pool: the same bytes and stamp as a plain read, and opened from them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-read-index-'));
  const file = join(dir, 'index.sqlite');
  const SQL = await loadSqlJs();
  const { db } = openIndexDatabase(SQL, undefined);
  db.run("INSERT INTO meta (key, value) VALUES ('probe', 'kept')");
  saveIndexDatabase(db, file);
  db.close();

  const read = await readIndexFile(file);
  assert.ok(read);
  assert.ok(read.bytes.equals(readFileSync(file)));
  assert.deepEqual(read.stamp, fileStampSync(file));
  const opened = openIndexDatabase(SQL, file, undefined, { preread: read });
  assert.deepEqual(opened.db.exec("SELECT value FROM meta WHERE key = 'probe'")[0].values, [['kept']]);
  opened.db.close();

  assert.equal(await readIndexFile(join(dir, 'missing.sqlite')), undefined);
  writeFileSync(join(dir, 'empty.sqlite'), '');
  assert.equal((await readIndexFile(join(dir, 'empty.sqlite')))?.bytes.length, 0);
});
