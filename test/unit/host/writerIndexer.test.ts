/** WriterIndexer (src/host/writerIndexer.ts) and LogRoots (src/host/logRoots.ts): the writer's indexer and folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriterIndexer } from '../../../src/host/writerIndexer';
import { LogRoots, rootsChanged } from '../../../src/host/logRoots';
import type { DiscoveredRoots } from '../../../src/app/indexApi';
import { nullLogger, type Logger } from '../../../src/core/types';
import type { SourceRoot } from '../../../src/core/discovery';

function fakeIndex() {
  const calls: string[] = [];
  return {
    calls,
    index: {
      startIndexer: async () => { calls.push('startIndexer'); },
      stopIndexer: async () => { calls.push('stopIndexer'); },
      watchLogs: async (roots: SourceRoot[], polling: boolean) => { calls.push(`watchLogs ${roots.map((r) => r.dir).join(',')} ${polling}`); },
      unwatchLogs: async () => { calls.push('unwatchLogs'); },
    },
  };
}

test('the generation changes on every start, stop and loss; stop stops only what runs', async () => {
  const { calls, index } = fakeIndex();
  const w = new WriterIndexer(index, nullLogger);
  const g0 = w.generation;
  await w.stop();
  assert.deepEqual(calls, [], 'nothing ran: nothing to stop');
  await w.start([]);
  assert.equal(w.isRunning, true);
  w.watch([{ source: 'claude', dir: '/h/.claude/projects' }], false);
  const g1 = w.generation;
  assert.notEqual(g1, g0);
  await w.stop();
  assert.equal(w.isRunning, false);
  assert.notEqual(w.generation, g1, 'a refresh that started before the stop can tell');
  assert.deepEqual(calls, ['startIndexer', 'watchLogs /h/.claude/projects false', 'unwatchLogs', 'stopIndexer']);
  await w.start([]);
  const g2 = w.generation;
  w.lost();
  assert.equal(w.isRunning, false);
  assert.notEqual(w.generation, g2);
  await w.stop();
  assert.deepEqual(calls.slice(4), ['startIndexer'], 'the lost worker\'s indexer is not stopped again');
});

test('a watcher that fails to start is a warning, not a failure', async () => {
  const warnings: string[] = [];
  const logger: Logger = { ...nullLogger, warn: (m) => warnings.push(m) };
  const w = new WriterIndexer({ ...fakeIndex().index, watchLogs: async () => { throw new Error('ENOSPC: System limit for number of file watchers reached'); } }, logger);
  w.watch([{ source: 'codex', dir: '/h/.codex' }], false);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings, ['file watcher: ENOSPC: System limit for number of file watchers reached']);
});

test('LogRoots: changed on the first discovery and when the folders found differ, not when only notes differ', async () => {
  const infos: string[] = [];
  const logger: Logger = { ...nullLogger, info: (m) => infos.push(m) };
  let found: DiscoveredRoots = { roots: [{ source: 'claude', dir: '/h/.claude/projects' }], notes: [], searched: { claude: ['/h/.claude/projects'], codex: ['/h/.codex'] } };
  const roots = new LogRoots(async () => found, logger);
  const selection = { enabled: ['claude', 'codex'], dirs: { claude: [], codex: [] } };
  assert.equal(await roots.update(selection), true);
  assert.equal(await roots.update(selection), false);
  found = { ...found, notes: ['skipped /h/.codex: not a folder'] };
  assert.equal(await roots.update(selection), false);
  found = { ...found, roots: [...found.roots, { source: 'codex', dir: '/h/.codex' }] };
  assert.equal(await roots.update(selection), true);
  assert.deepEqual(roots.current?.roots.filter((r) => r.source === 'codex').map((r) => r.dir), ['/h/.codex']);
  assert.deepEqual(infos, [
    'log folders: claude [/h/.claude/projects], codex [none]',
    'log folders: claude [/h/.claude/projects], codex [/h/.codex]',
    'discovery: skipped /h/.codex: not a folder',
  ]);
  assert.equal(rootsChanged({ roots: [{ source: 'claude', dir: 'a' }] }, { roots: [{ source: 'claude', dir: 'a' }] }), false);
  assert.equal(rootsChanged({ roots: [{ source: 'claude', dir: 'a' }] }, { roots: [{ source: 'codex', dir: 'a' }] }), true);
});
