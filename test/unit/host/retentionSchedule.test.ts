import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from './fakeVscode';
import type { RollUpResult } from '../../../src/core/store/retention';

/** The writer's retention schedule: never applied without the setting; applied with it, at least 60 days, logged. */
installFakeVscode();
const { RetentionSchedule, retentionDays } = require('../../../src/host/retentionSchedule') as typeof import('../../../src/host/retentionSchedule');

test('the setting: null/absent/invalid = forever; at least 60 days', () => {
  assert.equal(retentionDays(undefined), null);
  assert.equal(retentionDays(null), null);
  assert.equal(retentionDays('90'), null);
  assert.equal(retentionDays(0), null);
  assert.equal(retentionDays(90.7), 90);
  assert.equal(retentionDays(7), 60);
});

test('runs once the index is ready, only with the setting, and logs what it rolled up', async () => {
  const calls: number[] = [];
  const logs: string[] = [];
  let setting: unknown = null;
  const result: RollUpResult = { rowsBefore: 1436, rowsAfter: 402, days: 49, cutoffMs: Date.parse('2026-03-22T00:00:00Z') };
  const target = {
    whenReady: async () => {},
    applyRetention: async (days: number) => { calls.push(days); return result; },
  };
  const s = new RetentionSchedule(target, { info: (m) => logs.push(m), warn: (m) => logs.push(`warn ${m}`) }, () => setting);
  await new Promise((r) => setImmediate(r)); // its first run, once the index is ready
  await s.run();
  assert.deepEqual(calls, [], 'no setting: nothing applied');
  setting = 90;
  assert.deepEqual(await s.run(), result);
  assert.deepEqual(calls, [90]);
  assert.deepEqual(logs, ['retention: 1436 15-minute rows before 2026-03-22 00:00 UTC rolled up into 402 daily rows (90 days of detail kept)']);
  target.applyRetention = async () => { throw new Error('the index is being rebuilt'); };
  assert.equal(await s.run(), null);
  assert.equal(logs[1], 'warn retention: the index is being rebuilt');
  s.dispose();
});
