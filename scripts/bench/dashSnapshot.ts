/**
 * In-process entry of scripts/bench/dashAB.mjs (bundled per code version): opens a copy of the year index through the
 * shipped engine, and per round and range appends one prepared Claude call, ingests it (engine.refresh of that file)
 * and asks `dashboardSnapshot` for the range after that data change (reload: true) and twice again (reload: false);
 * CPU (user+sys) and wall each, and the size of the snapshot message (JSON). Runs on the main thread (for --cpu-prof).
 * Output: one line `BENCH_RESULT <json>` on stdout.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { discoverRoots } from '../../src/core/discovery';
import { benchChildMain } from './childThread';
import { nullLogger } from '../../src/core/types';
import { IndexEngine } from '../../src/app/indexWorker/engine';
import { parseSettings } from '../../src/app/settingsParse';
import type { UsageStatus } from '../../src/app/settings';
import { DEFAULT_FILTERS, type RangePreset } from '../../src/shared/protocol';

interface Args {
  root: string;
  claudeDir: string;
  codexDir: string;
  db: string;
  target: string;
  /** one appended call per (round, range) */
  changes: string[];
  ranges: RangePreset[];
  /** appended calls each followed by snapshots of every range, before the measured ones (not measured) */
  warm?: string[];
  /** rounds of snapshots of every range with nothing changed (reload: true, then false) */
  again?: number;
  /** save the index at the end (a copy prepared as a user's: its idle re-writes and blocks brought up to date) */
  save?: boolean;
  /** all time prepared after the first snapshot (IndexEngine.dashboardPrepare, as the dashboard panel asks) */
  prepare?: boolean;
  /** the all-time reads made ahead before the first snapshot (IndexEngine.dashboardWarm, as a window start does) */
  warmReads?: boolean;
  /** a status summary first (plan limit `auto`), as a window start pushes one before anything else */
  status?: boolean;
}

interface Sample { wallMs: number; cpuMs: number }

function measure<T>(f: () => T): Sample & { value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

/** DASH_PROF_DIR: a CPU profile of what runs until the returned function is called (the inspector, this thread only). */
function profile(name: string): () => void {
  const dir = process.env.DASH_PROF_DIR;
  if (!dir) return () => {};
  const prof = new Session();
  prof.connect();
  prof.post('Profiler.enable');
  prof.post('Profiler.setSamplingInterval', { interval: 200 });
  prof.post('Profiler.start');
  return () => {
    prof.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
    prof.disconnect();
  };
}

async function run(a: Args): Promise<unknown> {
  const engine = new IndexEngine({ wasmPath: join(a.root, 'dist', 'sql-wasm.wasm'), ingestWorkerScript: join(a.root, 'dist', 'ingest-worker.js'), logger: nullLogger });
  await engine.openWritable(a.db);
  const roots = discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: [a.claudeDir], codex: [a.codexDir] } });
  await engine.startIndexer(roots);
  await engine.refresh();
  const settings = parseSettings(() => undefined).settings;
  const status: UsageStatus = { indexing: false, lastUpdatedMs: Date.now(), searched: { claude: [a.claudeDir], codex: [a.codexDir] }, notes: [], isWriter: true };
  const q = (range: RangePreset, reload: boolean) => ({ filters: { ...DEFAULT_FILTERS, range }, nowMs: Date.now(), locale: 'en', settings, status, priceOverrides: {}, reload });
  // one snapshot of each range first (the index's first read: idle re-writes brought up to date, sums kept)
  // the first snapshot of the process (F1 after opening the index), then the range changed to each other range
  const first: Record<string, Sample> = {};
  // with `warmReads`: what a window start reads ahead for its first snapshot (the code before it has no such step)
  if (a.status) {
    engine.statusSummary({
      nowMs: Date.now(), timeZone: settings.timeZone, weekStart: settings.weekStart, billingCycleStartDay: settings.budgets.billingCycleStartDay,
      budgets: settings.budgets, priceOverrides: {}, claudePlan: { plan: 'auto' },
    });
  }
  const warm = (engine as unknown as { dashboardWarm?: () => number | undefined }).dashboardWarm;
  if (a.warmReads && warm) {
    const w = measure(() => warm.call(engine));
    first.warm = { wallMs: w.wallMs, cpuMs: w.cpuMs };
  }
  for (const [i, range] of a.ranges.entries()) {
    const stop = profile(`first-${range}`);
    const m = measure(() => engine.dashboardSnapshot(q(range, i === 0)));
    stop();
    first[range] = { wallMs: m.wallMs, cpuMs: m.cpuMs };
    // with `prepare`: after the first snapshot, all time prepared as the dashboard panel asks once it is drawn (the
    // code before it has no such step: skipped there)
    const prepare = (engine as unknown as { dashboardPrepare?: (x: ReturnType<typeof q>) => boolean }).dashboardPrepare;
    if (a.prepare && i === 0 && range !== 'all' && prepare) {
      const p = measure(() => prepare.call(engine, q('all', false)));
      first.prepare = { wallMs: p.wallMs, cpuMs: p.cpuMs };
    }
  }
  // with `warm`: one change per range first, not measured (what the first read of a process still brings up to date)
  for (const text of a.warm ?? []) {
    appendFileSync(a.target, text);
    await engine.refresh(undefined, { paths: [a.target] });
    for (const [i, range] of a.ranges.entries()) engine.dashboardSnapshot(q(range, i === 0));
  }
  // with `again`: per round and range, with nothing changed, a snapshot read again (reload: true, as after a data
  // change) and asked again (reload: false) — appends nothing to the corpus
  const repeat: Record<string, { reload: Sample[]; again: Sample[] }> = {};
  for (let t = 0; t < (a.again ?? 0); t++) {
    for (const range of a.ranges) {
      repeat[range] ??= { reload: [], again: [] };
      const stop = profile(`reload-${range}-${t}`);
      const r = measure(() => engine.dashboardSnapshot(q(range, true)));
      stop();
      repeat[range].reload.push({ wallMs: r.wallMs, cpuMs: r.cpuMs });
      const stopAgain = profile(`again-${range}-${t}`);
      const w = measure(() => engine.dashboardSnapshot(q(range, false)));
      stopAgain();
      repeat[range].again.push({ wallMs: w.wallMs, cpuMs: w.cpuMs });
    }
  }
  const out: Record<string, { change: Sample[]; again: Sample[]; bytes: number; sessionBytes: number }> = {};
  let i = 0;
  for (const text of a.changes) {
    const range = a.ranges[i++ % a.ranges.length];
    appendFileSync(a.target, text);
    await engine.refresh(undefined, { paths: [a.target] });
    out[range] ??= { change: [], again: [], bytes: 0, sessionBytes: 0 };
    const r = out[range];
    const stop = profile(`snap-${range}-${i}`);
    const c = measure(() => engine.dashboardSnapshot(q(range, true)));
    stop();
    r.change.push({ wallMs: c.wallMs, cpuMs: c.cpuMs });
    for (let j = 0; j < 2; j++) {
      const w = measure(() => engine.dashboardSnapshot(q(range, false)));
      r.again.push({ wallMs: w.wallMs, cpuMs: w.cpuMs });
    }
    r.bytes = Buffer.byteLength(JSON.stringify(c.value));
    r.sessionBytes = Buffer.byteLength(JSON.stringify((c.value as unknown as { sessions: unknown }).sessions ?? null));
  }
  if (a.save) await engine.save(a.db);
  await engine.dispose();
  return { ...out, first, repeat };
}

benchChildMain<Args>(run, () => false);
