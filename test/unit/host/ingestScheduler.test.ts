/** IngestScheduler (src/host/ingestScheduler.ts): which files a writer pass reads, one pass at a time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestScheduler } from '../../../src/host/ingestScheduler';

const tick = () => new Promise((r) => setImmediate(r));

function harness() {
  const passes: (string[] | undefined)[] = [];
  const failures: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let fail: Error | undefined;
  let canPass = true;
  const s = new IngestScheduler({
    pass: async (paths) => {
      passes.push(paths);
      await gate;
      if (fail) throw fail;
    },
    canPass: () => canPass,
    keepGoing: () => true,
    onFailed: (e) => failures.push((e as Error).message),
  });
  return {
    s, passes, failures,
    hold() { let release!: () => void; gate = new Promise((r) => (release = r)); return () => { gate = Promise.resolve(); release(); }; },
    failWith: (e: Error | undefined) => (fail = e),
    setCanPass: (v: boolean) => (canPass = v),
  };
}

test('files reported during a pass are all read by the one follow-up pass, each once', async () => {
  const h = harness();
  h.s.want(['/p/a.jsonl']);
  const release = h.hold();
  const first = h.s.run();
  await tick();
  h.s.want(['/p/b.jsonl', '/p/c.jsonl']);
  const second = h.s.run();
  h.s.want(['/p/b.jsonl']);
  const third = h.s.run();
  release();
  await Promise.all([first, second, third]);
  assert.deepEqual(h.passes, [['/p/a.jsonl'], ['/p/b.jsonl', '/p/c.jsonl']]);
  await h.s.run();
  assert.equal(h.passes.length, 2, 'nothing reported since: no pass');
});

test('"every file" wins over single files until a pass takes it', async () => {
  const h = harness();
  h.s.want(['/p/a.jsonl']);
  h.s.want(undefined);
  h.s.want(['/p/b.jsonl']);
  await h.s.run();
  assert.deepEqual(h.passes, [undefined]);
});

test('a failed pass is reported and the next pass looks at every file', async () => {
  const h = harness();
  h.s.want(['/p/a.jsonl']);
  h.failWith(new Error('EIO: i/o error'));
  await h.s.run();
  assert.deepEqual(h.failures, ['EIO: i/o error']);
  h.failWith(undefined);
  await h.s.run();
  assert.deepEqual(h.passes, [['/p/a.jsonl'], undefined]);
});

test('while no pass can run (no indexer yet) the reported files wait for the first one that can', async () => {
  const h = harness();
  h.setCanPass(false);
  h.s.want(['/p/a.jsonl']);
  await h.s.run();
  assert.deepEqual(h.passes, []);
  h.setCanPass(true);
  h.s.want(['/p/b.jsonl']);
  await h.s.run();
  assert.deepEqual(h.passes, [['/p/a.jsonl', '/p/b.jsonl']]);
});

test('passInProgress waits for the running pass only', async () => {
  const h = harness();
  h.s.want(undefined);
  const release = h.hold();
  const run = h.s.run();
  await tick();
  let done = false;
  const waiting = h.s.passInProgress().then(() => (done = true));
  await tick();
  assert.equal(done, false);
  release();
  await Promise.all([run, waiting]);
  assert.equal(done, true);
  await h.s.passInProgress(); // none: resolves at once
});
