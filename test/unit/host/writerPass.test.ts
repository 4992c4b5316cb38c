/** writerPass (src/host/writerPass.ts): one writer pass and what the window shows meanwhile. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writerPass, FIRST_INDEX_FLUSH_MS, FIRST_INDEX_TITLE, type ShowProgress, type WriterPassOptions } from '../../../src/host/writerPass';
import { WindowStatus, type StatusChange } from '../../../src/host/windowStatus';
import type { IngestProgress, IngestSummary } from '../../../src/app/indexApi';
import { nullLogger } from '../../../src/core/types';

const summary = (changed: boolean): IngestSummary => ({ filesScanned: 3, filesChanged: changed ? 1 : 0, bytesRead: 2048, records: changed ? 2 : 0, malformedLines: 0, changed });

function harness(o: { empty: boolean; result: IngestSummary | null; progress?: IngestProgress[] }) {
  const notes: StatusChange[] = [];
  const status = new WindowStatus((c) => notes.push(c));
  const refreshCalls: { paths?: string[]; flushEveryMs?: number; withProgress: boolean }[] = [];
  const reports: { message: string; increment: number }[] = [];
  const titles: string[] = [];
  let saves = 0;
  let gen = 1;
  const showProgress: ShowProgress = (title, task) => {
    titles.push(title);
    return task((r) => reports.push(r));
  };
  const opts: WriterPassOptions = {
    index: {
      isEmpty: async () => o.empty,
      refresh: async (onProgress, ro) => {
        refreshCalls.push({ paths: ro?.paths, flushEveryMs: ro?.flushEveryMs, withProgress: !!onProgress });
        assert.equal(status.current.indexing, true, 'indexing while the refresh runs');
        for (const p of o.progress ?? []) onProgress?.(p);
        return o.result;
      },
    },
    generation: () => gen,
    status,
    onDataChanged: () => saves++,
    showProgress,
    logger: nullLogger,
  };
  return { opts, status, notes, refreshCalls, reports, titles, saves: () => saves, replaceIndexer: () => gen++ };
}

test('the first index shows progress by bytes, commits small batches, saves and rebuilds the views', async () => {
  const MB = 1_000_000;
  const h = harness({
    empty: true, result: summary(true),
    progress: [
      { filesDone: 1, filesTotal: 4, bytesDone: 25 * MB, bytesTotal: 100 * MB },
      { filesDone: 4, filesTotal: 4, bytesDone: 100 * MB, bytesTotal: 100 * MB },
    ],
  });
  await writerPass(undefined, h.opts);
  assert.deepEqual(h.titles, [FIRST_INDEX_TITLE]);
  assert.deepEqual(h.refreshCalls, [{ paths: undefined, flushEveryMs: FIRST_INDEX_FLUSH_MS, withProgress: true }]);
  assert.deepEqual(h.reports.map((r) => r.increment), [25, 75]);
  assert.equal(h.saves(), 1);
  assert.equal(h.status.current.indexing, false);
  assert.ok(h.status.current.lastUpdatedMs !== null);
  assert.deepEqual(h.notes, ['status', 'state'], '"Indexing…" at the start, the views at the end');
});

test('a later pass over the reported files: no progress, a save only when data changed, the status bar only', async () => {
  const h = harness({ empty: false, result: summary(false) });
  h.status.set({ lastUpdatedMs: 1 });
  await writerPass(['/h/.claude/projects/-app/s.jsonl'], h.opts);
  assert.deepEqual(h.titles, []);
  assert.deepEqual(h.refreshCalls, [{ paths: ['/h/.claude/projects/-app/s.jsonl'], flushEveryMs: undefined, withProgress: false }]);
  assert.equal(h.saves(), 0);
  assert.deepEqual(h.notes, ['status']);
  const changed = harness({ empty: false, result: summary(true) });
  changed.status.set({ lastUpdatedMs: 1, error: 'refresh failed before' });
  await writerPass(undefined, changed.opts);
  assert.equal(changed.saves(), 1);
  assert.equal(changed.status.current.error, undefined, 'a good pass clears the error');
  assert.deepEqual(changed.notes, ['state'], 'the error went away: the views rebuild');
});

test('a pass whose indexer was replaced meanwhile (rebuild, role change) keeps nothing of its result', async () => {
  const h = harness({ empty: false, result: summary(true) });
  h.status.set({ lastUpdatedMs: 1 });
  const inner = h.opts.index.refresh;
  h.opts.index.refresh = async (p, ro) => {
    const r = await inner(p, ro);
    h.replaceIndexer();
    return r;
  };
  await writerPass(undefined, h.opts);
  assert.equal(h.saves(), 0);
  assert.equal(h.status.current.lastUpdatedMs, 1);
  assert.equal(h.status.current.indexing, false);
  assert.deepEqual(h.notes, ['status']);
});

test('no indexer in the worker (null result): nothing changes but "Indexing…" goes away', async () => {
  const h = harness({ empty: false, result: null });
  h.status.set({ lastUpdatedMs: 1 });
  await writerPass(undefined, h.opts);
  assert.equal(h.status.current.indexing, false);
  assert.equal(h.saves(), 0);
});

test('changed databases the pass left for later are handed on to be asked for again (and nothing else is)', async () => {
  const deferred = ['/home/u/.local/share/opencode/opencode.db'];
  for (const result of [{ ...summary(false), deferred }, summary(true)]) {
    const h = harness({ empty: false, result });
    const asked: string[][] = [];
    await writerPass(['/home/u/.local/share/opencode/opencode.db-wal'], { ...h.opts, onDeferred: (p) => asked.push(p) });
    assert.deepEqual(asked, result.deferred ? [deferred] : []);
  }
});
