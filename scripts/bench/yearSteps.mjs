// Steps shared by the year bench (year.mjs) and its every-source variant (yearMix.mjs): measuring a part, the cost
// check against the corpus' truth, the first index through the real index worker, the append target, copies of an index.
import { appendFileSync, copyFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { median, run, runBenchChild } from './measure.mjs';
import { fmtInt, fmtMb, fmtMs, table } from './table.mjs';
import { listFiles, truthCost } from './truth.mjs';
import { claudeCallAppends } from './appendChunk.mjs';
import { createRng } from './prng.mjs';
import { rememberForRestore, restoreAppends } from './restore.mjs';
import { createTextPool } from './textPool.mjs';

export const load1 = () => loadavg()[0].toFixed(2);

/** Runs one part; its result carries when it ran and the 1-minute load average before and after (the machine is shared). */
export async function measured(part) {
  const at = new Date().toISOString();
  const before = load1();
  const r = await part();
  return r && { ...r, at, load: `${before}–${load1()}` };
}
export const defaultWorkers = () => (availableParallelism() >= 2 ? 1 : 0); // the indexer's default (defaultParseWorkers: one from 2 cores up)

export async function costCheck(ctx, corpus, db) {
  const copy = join(ctx.benchDir, 'year-check.sqlite');
  copyIndex(db, copy);
  const r = await run(process.execPath, [join(ctx.root, 'dist/cli.js'), 'report', '--by', 'source', '--format', 'json', '--timezone', 'UTC', '--db', copy,
    '--claude-dir', corpus.claudeDir, '--codex-dir', corpus.codexDir], { timeoutMs: 600_000 });
  removeIndex(copy);
  let rows;
  try {
    rows = JSON.parse(r.stdout).rows;
  } catch {
    return { ok: false, summary: 'CLI failed', lines: [`the CLI failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`] };
  }
  const truth = truthCost(corpus.manifest);
  const lines = [];
  let ok = true;
  for (const source of ['claude', 'codex']) {
    const got = rows.filter((x) => x.source === source || x.key === source).reduce((n, x) => n + (x.costUSD ?? NaN), 0);
    const good = Math.abs(got - truth[source]) < 0.005;
    ok &&= good;
    lines.push(`${source} $${got.toFixed(2)} (truth $${truth[source].toFixed(2)}${good ? ', equal to the cent' : `, off by $${(got - truth[source]).toFixed(2)}`})`);
  }
  return { ok, summary: ok ? 'to the cent' : 'off', lines, truth };
}

/** The Claude session file with the most of `measure` (of its stat). */
function claudeFileWithMost(corpus, measure) {
  let best = null, most = -Infinity;
  for (const f of listFiles(corpus.claudeDir)) {
    const v = measure(statSync(f));
    if (v > most) [best, most] = [f, v];
  }
  return best;
}

/** The largest Claude session file: the appends go there (as in the default bench's warm refresh). */
export const appendTarget = (corpus) => claudeFileWithMost(corpus, (s) => s.size);

export function copyIndex(db, copy) {
  copyFileSync(db, copy);
  rmSync(`${copy}.journal`, { force: true });
}

export function removeIndex(copy) {
  rmSync(copy, { force: true });
  rmSync(`${copy}.journal`, { force: true });
}

/**
 * The first index through the real index worker, as a window runs it (yearWorkerIndex.ts), into a file of its own;
 * its cost read back through the CLI against the truth.
 */
export async function workerIndex(ctx, script, corpus, runs, home) {
  const { out, root, benchDir } = ctx;
  const db = join(benchDir, 'year-worker.sqlite');
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      try {
        samples.push(await runBenchChild(script, { root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, db, home }, ['--expose-gc']));
      } catch (e) {
        out(`first index in the index worker failed: ${e.message}`);
        return null;
      }
    }
    const med = (f) => median(samples.map(f));
    const s = samples[samples.length - 1];
    const cost = await costCheck(ctx, corpus, db);
    const today = await todayOnFirstIndex(ctx, script, corpus, join(benchDir, 'year-worker-today.sqlite'), home);
    const r = {
      lastUpdateMs: med((x) => x.lastUpdate.wallMs), lastUpdateCpuMs: med((x) => x.lastUpdate.cpuMs), savedMs: med((x) => x.saved.wallMs), savedCpuMs: med((x) => x.saved.cpuMs),
      firstBatchMs: med((x) => x.firstBatch?.wallMs ?? NaN), rssMiB: Math.max(...samples.map((x) => x.maxRssKb)) / 1024, dbBytes: statSync(db).size,
      batchSummaries: s.batchSummaries, batchSummaryMs: s.batchSummaryMs, progressMessages: s.progressMessages, records: s.records, cost,
      todayMs: today?.wallMs ?? NaN, todayCpuMs: today?.cpuMs ?? NaN, todayTarget: today?.target,
    };
    out(`## First index of the year${home ? ' with every source' : ''} in the index worker, as a window runs it (dist/index-worker.js through the host's client: progress, batch status summaries, the end's summary and idle re-writes, then the save; this process is the host side and only waits${runs > 1 ? `; median of ${runs}` : ''})`);
    out(table(['to the last update (final numbers)', 'CPU, every thread', 'saved', 'CPU', 'peak RSS of the process', 'first batch pushed', 'batch summaries', 'progress messages', 'index file', 'cost vs truth'], [[
      fmtMs(r.lastUpdateMs), fmtMs(r.lastUpdateCpuMs), fmtMs(r.savedMs), fmtMs(r.savedCpuMs), `${r.rssMiB.toFixed(0)} MiB`, fmtMs(r.firstBatchMs),
      `${r.batchSummaries} (${fmtMs(r.batchSummaryMs)})`, fmtInt(r.progressMessages), fmtMb(r.dbBytes), cost.ok ? 'to the cent' : cost.summary,
    ]]));
    out(`cost: ${cost.lines.join('; ')} (${fmtInt(r.records)} records)`);
    out(Number.isFinite(r.todayMs)
      ? `today's numbers on a first index: ${fmtMs(r.todayMs)} from the index worker's start (CPU ${fmtMs(r.todayCpuMs)}) to its first update counting a call appended now to the newest session (${r.todayTarget})`
      : 'today\'s numbers on a first index: not measured (the run with a call of today failed)');
    out();
    return r;
  } finally {
    removeIndex(db);
  }
}

/** The Claude session file with the newest mtime (its newest record's time: logTimes.mjs): today's call goes there. */
const newestClaudeFile = (corpus) => claudeFileWithMost(corpus, (s) => s.mtimeMs);

/**
 * Today's numbers on a first index: one call appended now to the newest session (undone afterwards), then the index
 * worker on an empty file until its first update that counts it (yearWorkerIndex.ts `untilToday`). The wall and CPU
 * from the worker's start, or null when it failed.
 */
async function todayOnFirstIndex(ctx, script, corpus, db, home) {
  const { out, root, benchDir } = ctx;
  const target = newestClaudeFile(corpus);
  if (!target) return null;
  const rng = createRng(7007);
  rememberForRestore(benchDir, [target]);
  try {
    for (const text of claudeCallAppends(rng, createTextPool(rng, 10_000), target, 1, Date.now())) appendFileSync(target, text);
    const r = await runBenchChild(script, { root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, db, home, untilToday: true }, ['--expose-gc']);
    return r.todayShown ? { ...r.todayShown, target: target.slice(corpus.claudeDir.length + 1) } : null;
  } catch (e) {
    out(`today's numbers on a first index: ${e.message}`);
    return null;
  } finally {
    restoreAppends(benchDir);
    removeIndex(db);
  }
}
