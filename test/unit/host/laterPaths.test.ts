import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LaterPaths } from '../../../src/app/laterPaths';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DB = '/home/u/.local/share/opencode/opencode.db';
const KILO = '/home/u/.local/share/kilo/kilo.db';

test('databases deferred again and again while a timer runs are asked for once, together, when it fires; then a new timer starts', async () => {
  const fired: string[][] = [];
  const later = new LaterPaths(120, (paths) => fired.push(paths));
  try {
    // a reply streaming: every watcher burst's pass defers the same database
    for (let i = 0; i < 5; i++) {
      later.add([DB]);
      await wait(10);
    }
    later.add([KILO, DB]);
    later.add([]);
    assert.deepEqual(fired, [], 'nothing before the delay');
    await wait(200);
    assert.deepEqual(fired, [[DB, KILO]], 'one refresh of every deferred database');
    later.add([DB]);
    await wait(200);
    assert.deepEqual(fired, [[DB, KILO], [DB]], 'a deferral after it fired starts a new timer');
  } finally {
    later.dispose();
  }
});

test('dispose drops what is pending', async () => {
  const fired: string[][] = [];
  const later = new LaterPaths(50, (paths) => fired.push(paths));
  later.add([DB]);
  later.dispose();
  await wait(120);
  assert.deepEqual(fired, []);
});
