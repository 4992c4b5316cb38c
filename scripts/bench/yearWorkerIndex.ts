/**
 * The year's first index as a window runs it (the year bench's `worker` part): the real index worker
 * (dist/index-worker.js, started through the host's client as usageService's writer does) on an empty index file —
 * status settings, the index opened (its first update), the indexer started, one refresh of every file with the
 * progress the host shows and the batch status summaries the worker pushes, the summary and the idle re-writes at the
 * refresh's end — then the save. Unlike the `index` part (core's Indexer alone), this is every cost of a first index
 * in the extension but VS Code's own. Wall from the worker's start and CPU of every thread of the process, at the
 * last update (the status bar's final numbers) and once saved; the process's peak RSS (this process is the host side:
 * it does nothing but wait). Runs on the main thread (the index worker is a thread of its own).
 * With `untilToday`, only until the first update that counts a call of today (appended by the caller to the newest
 * session): today's numbers on a first index, which reads the newest files first.
 * Output: one line `BENCH_RESULT <json>` on stdout.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots } from '../../src/core/discovery';
import { nullLogger } from '../../src/core/types';
import type { IngestProgress } from '../../src/core/ingest/indexer';
import { startIndexWorker } from '../../src/app/indexWorker/client';
import { statusSettingsOf } from '../../src/app/status/statusSettings';
import { parseSettings } from '../../src/app/settingsParse';
import { benchChildMain } from './childThread';

interface Args {
  root: string;
  claudeDir: string;
  codexDir: string;
  db: string;
  /** a HOME whose agents' folders every other source's default discovery finds (`--year --mix`); none by default */
  home?: string;
  /**
   * stop at the first update whose status summary counts a request today (a call appended to the newest session just
   * before: today's numbers on a first index), instead of indexing everything
   */
  untilToday?: boolean;
}

interface At {
  wallMs: number;
  cpuMs: number;
  /** the process's peak RSS so far */
  maxRssKb: number;
}

async function run(a: Args): Promise<unknown> {
  rmSync(a.db, { force: true });
  rmSync(`${a.db}.journal`, { force: true });
  const settings = parseSettings(() => undefined).settings;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const now = (): At => ({ wallMs: performance.now() - t0, cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(c0)), maxRssKb: process.resourceUsage().maxRSS });
  const index = startIndexWorker({ script: join(a.root, 'dist', 'index-worker.js'), wasmPath: join(a.root, 'dist', 'sql-wasm.wasm'), ingestWorkerScript: join(a.root, 'dist', 'ingest-worker.js'), logger: nullLogger });
  const batches: number[] = [];
  let firstBatch: At | undefined;
  let last: At | undefined;
  let todayShown: At | undefined;
  let sawToday = () => {};
  const today = new Promise<void>((r) => (sawToday = r));
  index.onUpdate((u) => {
    if (!u.summary) return;
    if (!todayShown && u.summary.today.requests > 0) {
      todayShown = now();
      sawToday();
    }
    if (u.reason === 'batch') {
      batches.push(u.summaryMs);
      firstBatch ??= now();
    }
    last = now();
  });
  let progress = 0;
  try {
    await index.configureStatus(statusSettingsOf(settings));
    await index.openWritable(a.db);
    const roots = discoverRoots({ env: {}, home: a.home ?? '/nonexistent-home', platform: a.home ? 'linux' : undefined, dirs: { claude: [a.claudeDir], codex: [a.codexDir] } });
    await index.startIndexer(roots);
    if (a.untilToday) {
      const refresh = index.refresh(() => {}, {}).catch(() => undefined);
      await Promise.race([today, refresh]);
      return { todayShown, firstBatch, maxRssKb: process.resourceUsage().maxRSS };
    }
    const r = await index.refresh((_p: IngestProgress) => progress++, {});
    const refreshed = now();
    await index.save(a.db);
    const saved = now();
    return {
      records: r?.records ?? 0, filesChanged: r?.filesChanged ?? 0, firstBatch, lastUpdate: last, refreshed, saved,
      batchSummaries: batches.length, batchSummaryMs: batches.reduce((n, x) => n + x, 0), progressMessages: progress,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  } finally {
    // (stopped mid-refresh: terminated without waiting for it)
    if (!a.untilToday) await index.dispose().catch(() => {});
    await index.terminate();
  }
}

benchChildMain<Args>(run, () => false);
