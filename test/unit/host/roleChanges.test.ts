/** RoleChanges (src/host/roleChanges.ts): role changes one at a time, a failed one does not block the next. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoleChanges } from '../../../src/host/roleChanges';

const tick = () => new Promise((r) => setImmediate(r));

test('changes run one after the other in the order asked; a failure is reported and the next still runs', async () => {
  const roles = new RoleChanges();
  const events: string[] = [];
  let releaseFirst!: () => void;
  const first = new Promise<void>((r) => (releaseFirst = r));
  const onError = (e: unknown) => events.push(`error ${(e as Error).message}`);
  const after = () => events.push('after');
  roles.change(async () => { events.push('writer start'); await first; events.push('writer end'); }, onError, after);
  roles.change(async () => { events.push('reader'); throw new Error('openReadOnly failed'); }, onError, after);
  roles.change(async () => { events.push('writer again'); }, onError, after);
  await tick();
  assert.equal(roles.busy, true);
  assert.deepEqual(events, ['writer start']);
  releaseFirst();
  await roles.settled();
  assert.equal(roles.busy, false);
  assert.deepEqual(events, ['writer start', 'writer end', 'after', 'reader', 'error openReadOnly failed', 'after', 'writer again', 'after']);
});

test('a step waits for the queued changes and a later change waits for the step; its result or error reaches the caller', async () => {
  const roles = new RoleChanges();
  const events: string[] = [];
  roles.change(async () => { await tick(); events.push('change 1'); }, () => {}, () => {});
  const step = roles.step(async () => { events.push('reset'); return 42; });
  roles.change(async () => { events.push('change 2'); }, () => {}, () => {});
  assert.equal(roles.busy, true);
  assert.equal(await step, 42);
  await roles.settled();
  assert.deepEqual(events, ['change 1', 'reset', 'change 2']);
  await assert.rejects(roles.step(async () => { throw new Error('rm failed'); }), /rm failed/);
  roles.change(async () => { events.push('change 3'); }, () => {}, () => {});
  await roles.settled();
  assert.equal(events.at(-1), 'change 3', 'a failed step does not block the queue');
});
