import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, tokensIn, tokensInFile, until } from './serviceHarness';
import { shownMessages } from './fakeVscode';

test('a window opens a saved index damaged past its first page: the damage found on first use is shown, the file moved aside once, the index rebuilt and saved', async () => {
  const { storage, make } = setup();
  const file = join(storage, 'usage-index.sqlite');
  const { svc: a } = await make('A');
  await a.start();
  await a.whenReady();
  assert.equal(await tokensIn(a), 2320);
  await a.shutdown();
  assert.equal(await tokensInFile(file), 2320);
  const bad = readFileSync(file);
  const pageSize = bad.readUInt16BE(16);
  for (let i = pageSize; i < bad.length; i++) bad[i] = (i * 7919) & 0xff;
  writeFileSync(file, bad);

  const shown = shownMessages.length;
  const { svc: b, hooks } = await make('B');
  try {
    await b.start();
    await b.whenReady();
    assert.equal(b.getStatus().isWriter, true);
    assert.equal(await tokensIn(b), 2320, 'rebuilt from the logs');
    const moved = shownMessages.slice(shown).filter((m) => /moved aside/.test(m));
    assert.equal(moved.length, 1, shownMessages.slice(shown).join(' | '));
    assert.match(moved[0], /^AgentMeter: The usage index database is unreadable \(.*malformed.*\); moved aside to .*usage-index\.sqlite\.corrupt-\d+; rebuilding the index from the logs\.$/);
    assert.equal(readdirSync(storage).filter((n) => n.startsWith('usage-index.sqlite.corrupt-')).length, 1);
    assert.ok(await until(async () => (await tokensInFile(file)) === 2320, 5000), 'the rebuilt index is saved');
    assert.equal(b.getStatus().error, undefined);
    assert.equal(hooks.logs.filter((l) => /moved aside/.test(l)).length >= 1, true);
  } finally {
    await b.shutdown();
  }
});
