/** ReaderFollower (src/host/readerFollower.ts): a reader's loads of the writer's file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReaderFollower } from '../../../src/host/readerFollower';
import type { Logger } from '../../../src/core/types';

const tick = () => new Promise((r) => setImmediate(r));

function harness() {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'am-reader-')), 'usage-index.sqlite');
  const calls: { replaceWritable: boolean | undefined }[] = [];
  const logs: string[] = [];
  const logger: Logger = { info: () => {}, debug: () => {}, warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) };
  let answer: () => Promise<boolean> = async () => false;
  let reader = true;
  let loaded = 0;
  let settingsSent = 0;
  const f = new ReaderFollower({
    dbPath,
    index: {
      openReadOnly: (path, replaceWritable) => {
        assert.equal(path, dbPath);
        calls.push({ replaceWritable });
        return answer();
      },
    },
    isReader: () => reader,
    keepGoing: () => true,
    beforeLoad: async () => { settingsSent++; },
    onLoaded: () => loaded++,
    logger,
  });
  return {
    f, calls, logs,
    answer: (fn: () => Promise<boolean>) => (answer = fn),
    setReader: (v: boolean) => (reader = v),
    loaded: () => loaded, settingsSent: () => settingsSent,
  };
}

test('a former writer\'s loads may replace its own copy until one succeeds; then they no longer may', async () => {
  const h = harness();
  await h.f.start(true); // the file does not exist yet: the load answers false
  assert.equal(h.f.following, true);
  await h.f.reload();
  h.answer(async () => true);
  await h.f.reload();
  await h.f.reload();
  assert.deepEqual(h.calls.map((c) => c.replaceWritable), [true, true, true, false]);
  assert.equal(h.loaded(), 2);
  assert.equal(h.settingsSent(), 4, 'the status settings go before each load');
  h.f.stop();
  assert.equal(h.f.following, false);
});

test('a window that never wrote never replaces a writable copy', async () => {
  const h = harness();
  await h.f.start(false);
  h.f.stop();
  assert.deepEqual(h.calls.map((c) => c.replaceWritable), [false]);
});

test('loads never overlap; changes during a load make one more load', async () => {
  const h = harness();
  let release!: () => void;
  let inFlight = 0;
  let max = 0;
  h.answer(async () => {
    inFlight++;
    max = Math.max(max, inFlight);
    await new Promise<void>((r) => (release = r));
    inFlight--;
    return true;
  });
  const first = h.f.reload();
  await tick();
  const more = [h.f.reload(), h.f.reload(), h.f.reload()];
  release();
  await tick();
  await tick();
  release();
  await Promise.all([first, ...more]);
  assert.equal(h.calls.length, 2);
  assert.equal(max, 1);
});

test('an unreadable file is logged as a warning and kept for the next change; a window no longer reader does not load', async () => {
  const h = harness();
  h.answer(async () => { throw new Error('index schema 9, this AgentMeter reads 10'); });
  await h.f.reload();
  assert.equal(h.loaded(), 0);
  assert.match(h.logs[0]!, /^warn reloading the index failed \(will retry on the next change\): index schema 9/);
  h.setReader(false);
  await h.f.reload();
  assert.equal(h.calls.length, 1);
});

test('a load that ends after the switch to writer is dropped', async () => {
  const h = harness();
  h.answer(async () => {
    h.setReader(false); // the lock was taken meanwhile
    return true;
  });
  await h.f.reload();
  assert.equal(h.loaded(), 0);
});
