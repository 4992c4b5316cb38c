/**
 * The writer's idle fold (host/indexSaver.ts `fold`, core journaledSaves.ts `wholeIfJournalFrom`) with a real index
 * worker: a while after its last save, a writer whose journal has grown writes the whole index file, so that the
 * next window to open it replays nothing; a reader window follows the rewritten file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { claudeLine, setup, tokensIn, tokensInFile, until } from './serviceHarness';
import { journalPathOf } from '../../../src/core/store/indexJournal';
import { INDEX_FILE } from '../../../src/app/writerLockFile';

test('idle fold: the journal of appended calls is written into the index file after the idle wait; the file alone holds every call; a reader follows', async () => {
  const { log, storage, make } = setup();
  const file = join(storage, INDEX_FILE);
  const { svc: a, hooks } = await make('A', { fold: { afterIdleMs: 1500, journalFromBytes: 1 } });
  await a.start();
  await a.whenReady();
  assert.equal(a.getStatus().isWriter, true);
  assert.ok(await until(() => existsSync(file), 15_000), 'the first index is saved whole');
  const { svc: b } = await make('B');
  await b.start();
  await b.whenReady();
  assert.ok(await until(async () => (await tokensIn(b)) === 2320, 15_000));

  appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
  await a.refresh();
  assert.ok(await until(() => existsSync(journalPathOf(file)), 15_000), 'the new call is saved to the journal');
  const before = statSync(file).mtimeMs;
  assert.equal(await tokensInFile(file), 2320 + 1310, 'file + journal');

  // generous: the fold waits 1.5 s without a save, then writes the whole file; a loaded machine (CI beside other
  // runs) has taken more than 8 s for that here
  assert.ok(await until(() => !existsSync(journalPathOf(file)), 20_000), 'the journal is folded into the file after the idle wait');
  // the worker removes the journal as it writes the file; the host logs the fold when the save's answer arrives
  const folded = (l: string) => /^info the index journal was folded into the file while idle \(\d+\.\d MB written in \d+ ms\)$/.test(l);
  assert.ok(await until(() => hooks.logs.some(folded), 5_000), hooks.logs.join('\n'));
  assert.notEqual(statSync(file).mtimeMs, before, 'the file was rewritten');
  assert.equal(await tokensInFile(file), 3630, 'the file alone (no journal) holds the appended call');
  assert.ok(await until(async () => (await tokensIn(b)) === 3630, 15_000), 'the reader shows the same numbers');

  // nothing new since: no other whole save (the fold is asked once per idle period, and a short journal stays)
  const mtime = statSync(file).mtimeMs;
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(statSync(file).mtimeMs, mtime);
  await b.shutdown();
  await a.shutdown();
});
