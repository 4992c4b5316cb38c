/** StatusSettingsSync (src/host/statusSettingsSync.ts): the worker gets the status settings once, again after a change. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusSettingsSync } from '../../../src/host/statusSettingsSync';
import { parseSettings } from '../../../src/app/settingsParse';
import type { StatusSettings } from '../../../src/app/indexWorker/engine';

test('sent once per worker, again after invalidate (new settings, new worker); a failed send is tried again', async () => {
  let settings = parseSettings(() => undefined).settings;
  const sent: StatusSettings[] = [];
  let fail = false;
  const sync = new StatusSettingsSync({ configureStatus: async (s) => { if (fail) throw new Error('index worker exited (code 7)'); sent.push(s); } }, () => settings);
  await sync.ensure();
  await sync.ensure();
  assert.equal(sent.length, 1);
  settings = parseSettings((k) => (k === 'timeZone' ? 'Asia/Tokyo' : undefined)).settings;
  sync.invalidate();
  fail = true;
  await assert.rejects(sync.ensure(), /code 7/);
  fail = false;
  await sync.ensure();
  assert.equal(sent.length, 2);
  assert.equal(sent[1]!.timeZone, 'Asia/Tokyo');
});
