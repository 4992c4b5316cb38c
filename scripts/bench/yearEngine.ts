/**
 * In-process entry of `npm run bench -- --year` for the index worker's work on a year-sized index, bundled on the
 * fly by scripts/bench/year.mjs into .bench/year-engine.cjs and run in a fresh child process, inside a worker thread
 * with the index worker's heap limits (threadLimits.ts), through the shipped engine (src/app/indexWorker/engine.ts):
 *   open the saved index, start the indexer over the year's roots, one refresh with nothing new, one status summary;
 *   then per prepared change: append one API call to a Claude log (not timed; with `--mix` also a Gemini message
 *   appended, a Cline request row updated in place, over the roots of every source), ingest it (engine.refresh of that file,
 *   as the watcher reports it), the status
 *   summary the status bar asks for (claudePlan auto), and the save; CPU (user+sys, all threads) and wall each;
 *   then dashboard snapshots for 30 days and for all time, cold (reload) and warm;
 *   then the saved index as the next window start finds it (its Claude blocks stored by the summaries above, as the
 *   extension's are): opened by another engine and summarised once (CPU), and the real index worker
 *   (dist/index-worker.js, started through the host's client) from its start to its first pushed update (today's
 *   numbers from the index) and to the end of its first refresh (every log file stat'ed).
 * Output: one line `BENCH_RESULT <json>` on stdout.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots } from '../../src/core/discovery';
import { benchChildMain } from './childThread';
import { nullLogger } from '../../src/core/types';
import { IndexEngine, type StatusQuery } from '../../src/app/indexWorker/engine';
import { startIndexWorker } from '../../src/app/indexWorker/client';
import { statusSettingsOf } from '../../src/app/status/statusSettings';
import type { AgentMeterSettings } from '../../src/app/settings';
import type { Roots } from '../../src/core/discovery';
import { parseSettings } from '../../src/app/settingsParse';
import type { UsageStatus } from '../../src/app/settings';
import { DEFAULT_FILTERS, type RangePreset } from '../../src/shared/protocol';

interface Args {
  root: string;
  claudeDir: string;
  codexDir: string;
  /** a copy of the year's index; changed by the saves */
  db: string;
  /**
   * one change each: { target log file, its new lines (appended), or with `write` the file's whole new text (a
   * document rewritten in place, e.g. a Cline ui_messages.json); `label` groups the results }
   */
  changes: { target: string; text: string; write?: boolean; label?: string }[];
  /** a HOME whose agents' folders every other source's default discovery finds (`--year --mix`); none by default */
  home?: string;
  /** snapshots per (range, cold|warm) */
  snapshotRuns: number;
}

interface Sample { wallMs: number; cpuMs: number }

async function measure<T>(f: () => T | Promise<T>): Promise<Sample & { value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}
const sample = ({ wallMs, cpuMs }: Sample): Sample => ({ wallMs, cpuMs });

async function run(a: Args): Promise<unknown> {
  const engine = new IndexEngine({ wasmPath: join(a.root, 'dist', 'sql-wasm.wasm'), ingestWorkerScript: join(a.root, 'dist', 'ingest-worker.js'), logger: nullLogger });
  const open = await measure(() => engine.openWritable(a.db));
  const roots = discoverRoots({ env: {}, home: a.home ?? '/nonexistent-home', platform: a.home ? 'linux' : undefined, dirs: { claude: [a.claudeDir], codex: [a.codexDir] } });
  await engine.startIndexer(roots);
  const idle = await measure(() => engine.refresh());
  const settings = parseSettings(() => undefined).settings;
  const statusQuery = (): StatusQuery => ({
    nowMs: Date.now(), timeZone: settings.timeZone, weekStart: settings.weekStart, billingCycleStartDay: settings.budgets.billingCycleStartDay,
    budgets: settings.budgets, priceOverrides: {}, claudePlan: { plan: 'auto' },
  });
  const statusIdle = await measure(() => engine.statusSummary(statusQuery()));
  const statusCached = await measure(() => engine.statusSummary(statusQuery()));

  const changes = [];
  for (const ch of a.changes) {
    if (ch.write) writeFileSync(ch.target, ch.text);
    else appendFileSync(ch.target, ch.text);
    // the changed file, as the log watcher reports it to the extension's refresh (a full stat of every log file runs
    // only at start and every 30 s: the 'nothing new' refresh above)
    const ingest = await measure(() => engine.refresh(undefined, { paths: [ch.target] }));
    const status = await measure(() => engine.statusSummary(statusQuery()));
    const save = await measure(() => engine.save(a.db));
    changes.push({ label: ch.label ?? 'claude', ingest: sample(ingest), records: ingest.value?.records ?? 0, status: sample(status), save: sample(save), savedBytes: save.value.bytes, savedWhole: save.value.whole });
  }

  const status: UsageStatus = { indexing: false, lastUpdatedMs: Date.now(), searched: { claude: [a.claudeDir], codex: [a.codexDir] }, notes: [], isWriter: true };
  const snapshots: Record<string, { cold: Sample[]; warm: Sample[]; cards: number }> = {};
  for (const range of ['30d', 'all'] as RangePreset[]) {
    const q = (reload: boolean) => ({ filters: { ...DEFAULT_FILTERS, range }, nowMs: Date.now(), locale: 'en', settings, status, priceOverrides: {}, reload });
    const cold: Sample[] = [], warm: Sample[] = [];
    let cards = 0;
    for (let i = 0; i < a.snapshotRuns; i++) {
      const c = await measure(() => engine.dashboardSnapshot(q(true)));
      cold.push(sample(c));
      cards = c.value.cards.length;
      for (let j = 0; j < 2; j++) warm.push(sample(await measure(() => engine.dashboardSnapshot(q(false)))));
    }
    snapshots[range] = { cold, warm, cards };
  }
  await engine.dispose();

  // the next window start on the saved index
  const next = new IndexEngine({ wasmPath: join(a.root, 'dist', 'sql-wasm.wasm'), ingestWorkerScript: '', logger: nullLogger });
  const reopen = await measure(() => next.openWritable(a.db));
  const statusReopen = await measure(() => next.statusSummary(statusQuery()));
  await next.dispose();
  // the first start of this build on the file keeps the plan limit's priced blocks in it (planBlocks.ts) and saves;
  // the start measured is the next one, as every window start after it finds the file
  const firstStart = await startWorker(a, roots, settings, true);
  const workerStart = { ...(await startWorker(a, roots, settings, false)), firstOfBuild: firstStart.firstUpdate };
  return {
    open: sample(open), idle: sample(idle), idleFiles: idle.value?.filesScanned ?? 0,
    statusIdle: sample(statusIdle), statusCached: sample(statusCached), changes, snapshots,
    reopen: sample(reopen), statusReopen: sample(statusReopen), workerStart, maxRssKb: process.resourceUsage().maxRSS,
  };
}

/**
 * The index worker as a writer window starts it (usageService.becomeWriter, writerPass): started by the host's client,
 * status settings, the index opened (the worker pushes its first update), the indexer started, one refresh. Wall
 * from the start, and CPU of the whole process (every thread), at the first update and at the refresh's end.
 */
async function startWorker(a: Args, roots: Pick<Roots, 'roots'>, settings: AgentMeterSettings, save: boolean) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const now = () => ({ wallMs: performance.now() - t0, cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(c0)) });
  const index = startIndexWorker({ script: join(a.root, 'dist', 'index-worker.js'), wasmPath: join(a.root, 'dist', 'sql-wasm.wasm'), ingestWorkerScript: join(a.root, 'dist', 'ingest-worker.js'), logger: nullLogger });
  let first: (Sample & { summaryMs: number; reason: string }) | undefined;
  const firstUpdate = new Promise<void>((resolve) => {
    index.onUpdate((u) => {
      if (first || !u.summary) return;
      first = { ...now(), summaryMs: u.summaryMs, reason: u.reason };
      resolve();
    });
  });
  try {
    await index.configureStatus(statusSettingsOf(settings));
    await index.openWritable(a.db);
    await firstUpdate;
    await index.startIndexer(roots);
    await index.refresh(undefined, {});
    const refreshed = now();
    // the log watcher as the writer starts it after its first refresh: its start-up walk ends with one "look at
    // every file" event (watcher.ts)
    const walked = new Promise<void>((resolve) => index.onLogsChanged((paths) => paths === undefined && resolve()));
    const before = now();
    await index.watchLogs(roots.roots, false);
    const alive = setInterval(() => {}, 1000); // an event, not an answer, is awaited: the client keeps nothing alive
    await walked;
    clearInterval(alive);
    const after = now();
    await index.unwatchLogs();
    if (save) await index.save(a.db);
    return { firstUpdate: first, refreshed, watcherReady: { wallMs: after.wallMs - before.wallMs, cpuMs: after.cpuMs - before.cpuMs } };
  } finally {
    await index.dispose().catch(() => {});
    await index.terminate();
  }
}

benchChildMain<Args>(run);
