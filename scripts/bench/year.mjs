// `npm run bench -- --year`: the one-year scale (issue 14, "A year of heavy use stays instant"). On the generated
// year corpus (yearCorpus.mjs) it measures, each against its goal:
//   index      first index (cold, in a worker thread with the index worker's heap limits): wall, peak RSS, exactness
//              (tokens exact, cost to the cent, read back through the CLI), index file size;
//   worker     the same first index as a window runs it: the real index worker (dist/index-worker.js through the host's
//              client) with its progress, batch status summaries, the end's summary and idle re-writes, and the save;
//   cli        `agentmeter report --db FILE` as a whole process: nothing new, and after a 100 KB append (+ its save);
//   engine     the index worker's work for one change (src/app/indexWorker/engine.ts): ingest one appended call,
//              the status summary (claudePlan auto), the save (CPU each and total; bytes the save wrote);
//   dashboard  dashboard snapshots for 30 days and for all time, cold (reload) and warm.
// `--only index,cli,engine,dashboard` picks parts; figures of parts not run now are taken from the last run that
// measured them (.bench/results-<corpus>.json) and marked with the time they were measured. The index the `index`
// part saves (.bench/index-<corpus>.sqlite) is what `cli`, `engine` and `dashboard` start from.
// `--mix`: the same year with every other source enabled too (yearMix.mjs: parts index, alone, engine).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { claudeAppend, claudeCallAppends } from './appendChunk.mjs';
import { median, run, runBenchChild } from './measure.mjs';
import { createRng } from './prng.mjs';
import { rememberForRestore, restoreAppends } from './restore.mjs';
import { fmtInt, fmtMb, fmtMs, table } from './table.mjs';
import { createTextPool } from './textPool.mjs';
import { compareTotals, sumTruth } from './truth.mjs';
import { yesterdayLocal } from './yearCalendar.mjs';
import { ensureYearCorpus, YEAR_SEED } from './yearCorpus.mjs';
import { setLogTimes } from './logTimes.mjs';
import { MIX_PARTS, runYearMix } from './yearMix.mjs';
import { appendTarget, copyIndex, costCheck, defaultWorkers, measured, removeIndex, workerIndex } from './yearSteps.mjs';
import { sqlJsPatchPlugin } from '../sqljsPatch.mjs';

export const YEAR_PARTS = ['index', 'worker', 'cli', 'engine', 'dashboard'];
const GOALS = { indexWallMs: 15_000, indexRssMiB: 300, cliIdleMs: 150, cliAppendMs: 250, dbBytes: 40e6, saveBytes: 5e6, changeCpuMs: 50, snapshotMs: 50 };

/**
 * @param {{ root: string, benchDir: string, out: (s?: string) => void, opt: (f: string, d: any) => any, flag: (f: string) => boolean,
 *   warmPageCache: (corpus: any) => void, codeVersion: string }} ctx
 */
export async function runYear(ctx) {
  const { root, benchDir, out, opt, flag } = ctx;
  const parts = flag('--mix') ? MIX_PARTS : YEAR_PARTS;
  const only = String(opt('--only', parts.join(','))).split(',');
  const unknown = only.filter((p) => !parts.includes(p));
  if (unknown.length) out(`--only: unknown part(s) ${unknown.join(', ')} (the ${flag('--mix') ? '--mix' : 'year'} parts are ${parts.join(', ')})`);
  const want = (p) => only.includes(p);
  ctx = { ...ctx, want };
  const runsGiven = flag('--runs');
  const runs = Math.max(1, Number(opt('--runs', 1)));

  // 1. corpus
  const t0 = performance.now();
  const corpus = ensureYearCorpus({ baseDir: benchDir, seed: Number(opt('--seed', YEAR_SEED)), scale: Number(opt('--year-scale', 1)), fresh: flag('--year-fresh'), log: out });
  const m = corpus.manifest;
  const genS = m.generateSeconds.claude + m.generateSeconds.codex;
  out(corpus.generated
    ? `year corpus generated in ${genS.toFixed(1)} s (Claude ${m.generateSeconds.claude.toFixed(1)} s, Codex ${m.generateSeconds.codex.toFixed(1)} s; ${((performance.now() - t0) / 1000).toFixed(1)} s with clean-up)`
    : `year corpus reused: ${corpus.dir} (generation took ${genS.toFixed(1)} s)`);
  setLogTimes(corpus.dir, [corpus.claudeDir, corpus.codexDir], out);
  const yesterday = yesterdayLocal();
  out(`days ${m.startDay} … ${m.endDay} (local)${m.endDay === yesterday ? ', ending yesterday' : `; NOTE: it ends before yesterday (${yesterday}); --year-fresh generates one ending yesterday`}`);
  out(`Claude: ${fmtMb(m.claude.bytes)} in ${fmtInt(m.claude.files)} session files over ${m.claude.projects} projects, ${fmtInt(m.claude.calls)} API calls, ${fmtInt(m.claude.lines)} lines ` +
    `(two per call: a streaming copy, then the final usage); ${fmtInt(sumTruth(m, 'claude').longRequests)} requests above 200k input`);
  out(`Codex:  ${fmtMb(m.codex.bytes)} in ${fmtInt(m.codex.files)} rollouts, ${fmtInt(m.codex.calls)} API calls, ${fmtInt(m.codex.lines)} lines, ` +
    `${fmtInt(m.codex.tokenCountEvents)} token_count events (${fmtInt(m.codex.reemitted)} re-emitted)`);
  out(`together ${fmtMb(m.claude.bytes + m.codex.bytes)} in ${fmtInt(m.claude.files + m.codex.files)} files`);
  const tw = performance.now();
  ctx.warmPageCache(corpus);
  out(`(files synced to disk and read once in ${((performance.now() - tw) / 1000).toFixed(1)} s before measuring: every run below reads from a warm page cache)`);
  out();

  const ready = ['dist/ingest-worker.js', 'dist/sql-wasm.wasm', 'dist/cli.js'].filter((p) => !existsSync(join(root, p)));
  if (ready.length) {
    out(`not built (${ready.join(', ')} missing): run \`npm run build\` first`);
    return;
  }
  if (flag('--mix')) {
    // every source enabled: the add-on year of the other sources beside this corpus (yearMix.mjs)
    await runYearMix({ ...ctx, runs, runsGiven }, corpus);
    return;
  }
  const results = {};
  // the index and the figures belong to this corpus; those of corpora removed since are dropped
  const db = join(benchDir, `index-${basename(corpus.dir)}.sqlite`);
  const resultsFile = join(benchDir, `results-${basename(corpus.dir)}.json`);
  if (corpus.generated) rmSync(db, { force: true });
  for (const n of readdirSync(benchDir)) {
    const owner = /^(?:index|results)-(year-.+)\.(?:sqlite|json)$/.exec(n)?.[1];
    if (owner && !existsSync(join(benchDir, owner))) rmSync(join(benchDir, n), { force: true });
  }
  const saved = loadSaved(resultsFile, m);
  // the appends go to one session log and are undone after each run; its mtime is set to a whole second first, so
  // undoing restores it exactly and the saved index still matches the file (else every run would re-stat it and save)
  const target = appendTarget(corpus);
  const sec = Math.floor(statSync(target).mtimeMs / 1000);
  if (statSync(target).mtimeMs !== sec * 1000) utimesSync(target, sec, sec);
  ctx = { ...ctx, target };

  if (want('index')) {
    const script = join(benchDir, 'inprocess.cjs');
    await esbuild.build({ entryPoints: [join(root, 'scripts/bench/inprocess.ts')], outfile: script, bundle: true, plugins: [sqlJsPatchPlugin()], platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root });
    results.index = await measured(() => firstIndex(ctx, script, corpus, db, runsGiven ? runs : 1));
  }
  if (want('worker')) {
    const script = join(benchDir, 'year-worker-index.cjs');
    await esbuild.build({ entryPoints: [join(root, 'scripts/bench/yearWorkerIndex.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root });
    results.worker = await measured(() => workerIndex(ctx, script, corpus, runsGiven ? runs : 1));
  }
  const haveDb = existsSync(db);
  if (!haveDb && (want('cli') || want('engine') || want('dashboard'))) out(`no year index yet (${db}): run the index part first (\`--only index\`)`);
  if (haveDb && want('cli')) results.cli = await measured(() => cliRuns(ctx, corpus, db, runsGiven ? runs : 5));
  if (haveDb && (want('engine') || want('dashboard'))) {
    const script = join(benchDir, 'year-engine.cjs');
    await esbuild.build({ entryPoints: [join(root, 'scripts/bench/yearEngine.ts')], outfile: script, bundle: true, plugins: [sqlJsPatchPlugin()], platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root });
    const r = await measured(() => engineRun(ctx, script, corpus, db, runsGiven ? runs : 5));
    if (r && want('engine')) results.engine = { ...r.engine, load: r.load, at: r.at };
    if (r && want('dashboard')) results.dashboard = { ...r.dashboard, load: r.load, at: r.at };
  }

  for (const [part, r] of Object.entries(results)) if (r) saved.parts[part] = { code: ctx.codeVersion, ...r };
  writeFileSync(resultsFile, JSON.stringify(saved, null, 1));
  printSummary(out, saved, Object.keys(results));
}

/** Figures of earlier runs on this corpus (so one part can be re-run and the table stays whole). */
function loadSaved(file, m) {
  const corpusId = `${m.seed}/${m.scale}/${m.endDay}/${m.claude.bytes}`;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8'));
    if (s.corpusId === corpusId) return s;
  } catch {
    /* none yet */
  }
  return { corpusId, parts: {} };
}

async function firstIndex(ctx, script, corpus, db, runs) {
  const { out, root } = ctx;
  const m = corpus.manifest;
  const workers = defaultWorkers();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    rmSync(db, { force: true });
    try {
      samples.push(await runBenchChild(script, { mode: 'cold', root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, workers, db }, ['--expose-gc']));
    } catch (e) {
      out(`first index failed: ${e.message}`);
      return null;
    }
  }
  const med = (f) => median(samples.map(f));
  const s = samples[samples.length - 1];
  const tokens = compareTotals(s.totals, m, { claude: true, codex: true });
  const cost = await costCheck(ctx, corpus, db);
  const r = {
    wallMs: med((x) => x.processWallMs), refreshMs: med((x) => x.refreshMs), saveMs: med((x) => x.saveMs), setupMs: med((x) => x.setupMs),
    cpuMs: med((x) => x.cpuUserMs + x.cpuSysMs), rssMiB: Math.max(...samples.map((x) => x.maxRssKb)) / 1024,
    refreshRssMiB: Math.max(...samples.map((x) => x.refreshRssKb ?? NaN)) / 1024, dbBytes: statSync(db).size,
    tokensExact: tokens.ok, tokenDetails: tokens.details, cost, workers, result: s.result,
  };
  out(`## First index of the year (fresh process, the index in a worker thread with the index worker's heap limits, ${workers ? `${workers} parse worker${workers === 1 ? '' : 's'}` : 'parsing on that thread'} (the default on ${availableParallelism()} cores), in-memory index then atomic save${runs > 1 ? `; median of ${runs}` : ''})`);
  out(table(['process wall', 'of which refresh', 'save', 'CPU user+sys', 'peak RSS', 'peak RSS before the save', 'index file', 'tokens vs truth', 'cost vs truth'], [[
    fmtMs(r.wallMs), fmtMs(r.refreshMs), fmtMs(r.saveMs), fmtMs(r.cpuMs), `${r.rssMiB.toFixed(0)} MiB`, `${r.refreshRssMiB.toFixed(0)} MiB`, fmtMb(r.dbBytes),
    tokens.ok ? 'exact' : tokens.summary, cost.ok ? 'to the cent' : cost.summary,
  ]]));
  out(`(${fmtInt(s.result.filesScanned)} files, ${fmtMb(s.result.bytesRead)} read, ${fmtInt(s.result.records)} records, ${fmtInt(s.result.duplicateLines)} duplicate lines, ${fmtInt(s.result.malformedLines)} malformed lines)`);
  out(`cost: ${cost.lines.join('; ')}`);
  if (!tokens.ok) out(`token totals differ from the ground truth:\n${tokens.details.join('\n')}`);
  out();
  return r;
}

/** Cost per source as the CLI reports it from the saved year index (nothing new to read), against the truth's cost. */
async function cliRuns(ctx, corpus, db, runs) {
  const { out, root, benchDir } = ctx;
  const copy = join(benchDir, 'year-cli.sqlite');
  const args = [join(root, 'dist/cli.js'), 'report', '--db', copy, '--claude-dir', corpus.claudeDir, '--codex-dir', corpus.codexDir];
  const rssMiB = (x) => (x.maxRssKb ?? NaN) / 1024;
  // nothing new: the same copy each run (a run that reads nothing does not save)
  copyIndex(db, copy);
  const copied = statSync(copy).mtimeMs;
  const idle = [];
  for (let i = 0; i < runs; i++) idle.push(await run(process.execPath, args, { timeoutMs: 600_000 }));
  const idleSaved = statSync(copy).mtimeMs !== copied || journalSize(copy) > 0;
  // after a 100 KB append: a fresh copy of the index each run, the same chunk appended, undone afterwards
  const target = ctx.target;
  const rng = createRng(1414);
  const chunk = claudeAppend(rng, createTextPool(rng, 300_000), target);
  const appended = [];
  try {
    for (let i = 0; i < runs; i++) {
      copyIndex(db, copy);
      rememberForRestore(benchDir, [target]);
      writeFileSync(target, chunk.text, { flag: 'a' });
      const before = statSync(copy).mtimeMs;
      const r = await run(process.execPath, args, { timeoutMs: 600_000 });
      appended.push({ ...r, saved: statSync(copy).mtimeMs !== before || journalSize(copy) > 0, savedBytes: writtenSince(copy, before) });
      restoreAppends(benchDir);
    }
  } finally {
    restoreAppends(benchDir);
    removeIndex(copy);
  }
  const failed = [...idle, ...appended].find((x) => x.code !== 0);
  if (failed) out(`the CLI failed (exit ${failed.code}): ${failed.stderr.trim().slice(0, 300)}`);
  const r = {
    idleMs: median(idle.map((x) => x.wallMs)), idleRssMiB: Math.max(...idle.map(rssMiB)), idleCpuMs: median(idle.map((x) => (x.cpuUserMs ?? NaN) + (x.cpuSysMs ?? NaN))),
    appendMs: median(appended.map((x) => x.wallMs)), appendRssMiB: Math.max(...appended.map(rssMiB)), appendCpuMs: median(appended.map((x) => (x.cpuUserMs ?? NaN) + (x.cpuSysMs ?? NaN))),
    appendBytes: Buffer.byteLength(chunk.text), appendCalls: chunk.calls, savedBytes: median(appended.map((x) => x.savedBytes)), allSaved: appended.every((x) => x.saved), idleSaved,
  };
  out(`## CLI as a whole process on the year, with its persistent index (\`node dist/cli.js report --db FILE --claude-dir … --codex-dir …\`, table by day; median of ${runs}; CPU and peak RSS from GNU time)`);
  out(table(['run', 'wall', 'CPU user+sys', 'peak RSS', 'saved index'], [
    ['nothing new', fmtMs(r.idleMs), fmtMs(r.idleCpuMs), `${r.idleRssMiB.toFixed(0)} MiB`, r.idleSaved ? 'saved (unexpected)' : 'not saved (nothing new)'],
    [`after a ${(r.appendBytes / 1000).toFixed(0)} KB append (${r.appendCalls} calls) to one session`, fmtMs(r.appendMs), fmtMs(r.appendCpuMs), `${r.appendRssMiB.toFixed(0)} MiB`,
      r.allSaved ? `${fmtMb(r.savedBytes)} written` : 'NOT saved (the append was not seen)'],
  ]));
  out();
  return r;
}

async function engineRun(ctx, script, corpus, db, runs) {
  const { out, root, benchDir } = ctx;
  const copy = join(benchDir, 'year-engine.sqlite');
  copyIndex(db, copy);
  const target = ctx.target;
  const rng = createRng(4141);
  const changes = claudeCallAppends(rng, createTextPool(rng, 100_000), target, runs, Date.now() + 5_000).map((text) => ({ target, text }));
  let r;
  rememberForRestore(benchDir, [target]);
  try {
    r = await runBenchChild(script, { root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, db: copy, changes, snapshotRuns: Math.max(3, runs) }, ['--expose-gc']);
  } catch (e) {
    out(`index-worker measurement failed: ${e.message}`);
    return null;
  } finally {
    restoreAppends(benchDir);
    removeIndex(copy);
  }
  const medOf = (xs, f) => median(xs.map(f));
  const ch = r.changes;
  const engine = {
    ingestCpuMs: medOf(ch, (c) => c.ingest.cpuMs), statusCpuMs: medOf(ch, (c) => c.status.cpuMs), saveCpuMs: medOf(ch, (c) => c.save.cpuMs),
    totalCpuMs: medOf(ch, (c) => c.ingest.cpuMs + c.status.cpuMs + c.save.cpuMs), totalWallMs: medOf(ch, (c) => c.ingest.wallMs + c.status.wallMs + c.save.wallMs),
    ingestWallMs: medOf(ch, (c) => c.ingest.wallMs), statusWallMs: medOf(ch, (c) => c.status.wallMs), saveWallMs: medOf(ch, (c) => c.save.wallMs),
    savedBytes: medOf(ch, (c) => c.savedBytes), wholeSaves: ch.filter((c) => c.savedWhole).length, maxSavedBytes: Math.max(...ch.map((c) => c.savedBytes)), records: medOf(ch, (c) => c.records), openMs: r.open.wallMs, idleMs: r.idle.wallMs,
    statusIdleCpuMs: r.statusIdle.cpuMs, statusCachedCpuMs: r.statusCached.cpuMs, rssMiB: r.maxRssKb / 1024, changes: ch.length,
    reopenMs: r.reopen?.wallMs, statusReopenCpuMs: r.statusReopen?.cpuMs,
    firstUpdateMs: r.workerStart?.firstUpdate?.wallMs, firstUpdateCpuMs: r.workerStart?.firstUpdate?.cpuMs, firstUpdateSummaryMs: r.workerStart?.firstUpdate?.summaryMs,
    caughtUpMs: r.workerStart?.refreshed?.wallMs, caughtUpCpuMs: r.workerStart?.refreshed?.cpuMs,
    watcherReadyMs: r.workerStart?.watcherReady?.wallMs, watcherReadyCpuMs: r.workerStart?.watcherReady?.cpuMs,
    firstOfBuildMs: r.workerStart?.firstOfBuild?.wallMs, firstOfBuildCpuMs: r.workerStart?.firstOfBuild?.cpuMs,
  };
  const dashboard = {};
  for (const [range, s] of Object.entries(r.snapshots)) {
    dashboard[range] = { coldMs: medOf(s.cold, (x) => x.wallMs), coldCpuMs: medOf(s.cold, (x) => x.cpuMs), warmMs: medOf(s.warm, (x) => x.wallMs), warmCpuMs: medOf(s.warm, (x) => x.cpuMs), cards: s.cards };
  }
  if (ctx.want('engine')) {
    out(`## Index worker, one change on the year index (in process through IndexEngine, in a worker thread with the index worker's heap limits; median of ${ch.length} changes of one API call each)`);
    out(`(index opened in ${fmtMs(engine.openMs)}; a refresh with nothing new took ${fmtMs(engine.idleMs)} over ${fmtInt(r.idleFiles)} files; status summary with nothing new ${fmtMs(engine.statusIdleCpuMs)} CPU, ` +
      `asked again ${fmtMs(engine.statusCachedCpuMs)} CPU; peak RSS of the process ${engine.rssMiB.toFixed(0)} MiB; the first summary on the index part's file cuts ` +
      'every Claude block of the year once: that file was written without a status summary, the extension\'s first index cuts them as it goes)');
    if (Number.isFinite(engine.firstUpdateMs)) {
      out(`(the next window start on the saved index, its blocks stored: opened in ${fmtMs(engine.reopenMs)}, first status summary ${fmtMs(engine.statusReopenCpuMs)} CPU; ` +
        `the index worker from its start to its first update ${fmtMs(engine.firstUpdateMs)} (CPU of all threads ${fmtMs(engine.firstUpdateCpuMs)}, its summary ${fmtMs(engine.firstUpdateSummaryMs)}), ` +
        `to the end of its first refresh ${fmtMs(engine.caughtUpMs)} (CPU ${fmtMs(engine.caughtUpCpuMs)})` +
        `${Number.isFinite(engine.watcherReadyMs) ? `; then its log watcher's start-up walk over every folder ${fmtMs(engine.watcherReadyMs)} (CPU ${fmtMs(engine.watcherReadyCpuMs)})` : ''}` +
        `${Number.isFinite(engine.firstOfBuildMs) ? `; the first start of this build on the file, which keeps the plan limit's priced blocks in it, to its first update ${fmtMs(engine.firstOfBuildMs)} (CPU ${fmtMs(engine.firstOfBuildCpuMs)})` : ''})`);
    }
    out(table(['step', 'CPU (all threads)', 'wall'], [
      ['ingest of one appended call (engine.refresh)', fmtMs(engine.ingestCpuMs), fmtMs(engine.ingestWallMs)],
      ["status summary (statusSummary, claudePlan 'auto')", fmtMs(engine.statusCpuMs), fmtMs(engine.statusWallMs)],
      [`save (engine.save: ${fmtMb(engine.savedBytes)} written; ${engine.wholeSaves ?? 0} of ${ch.length} saves wrote the whole index, the largest ${fmtMb(engine.maxSavedBytes)})`, fmtMs(engine.saveCpuMs), fmtMs(engine.saveWallMs)],
      ['total (median of the per-change sums)', fmtMs(engine.totalCpuMs), fmtMs(engine.totalWallMs)],
    ]));
    out();
  }
  if (ctx.want('dashboard')) {
    out(`## Dashboard snapshot on the year index (IndexEngine.dashboardSnapshot; cold = reload: true, loads the facts again; warm = reload: false; medians of ${Math.max(3, runs)} cold and ${2 * Math.max(3, runs)} warm)`);
    out(table(['range', 'cold wall', 'cold CPU', 'warm wall', 'warm CPU'], Object.entries(dashboard).map(([range, d]) =>
    [range === 'all' ? 'all time' : `${range.replace('d', '')} days`, fmtMs(d.coldMs), fmtMs(d.coldCpuMs), fmtMs(d.warmMs), fmtMs(d.warmCpuMs)])));
    out();
  }
  return { engine, dashboard };
}

function printSummary(out, saved, now) {
  const p = saved.parts;
  const when = (part) => (p[part] && !now.includes(part) ? ` (measured ${p[part].at.slice(0, 16).replace('T', ' ')} UTC)` : '');
  const v = (x, goal, fmt) => (Number.isFinite(x) ? `${fmt(x)}${x <= goal ? '' : ' (not met)'}` : 'n/a');
  const ms = (x) => fmtMs(x);
  const mib = (x) => `${x.toFixed(0)} MiB`;
  const mb = (x) => fmtMb(x);
  const rows = [];
  const i = p.index, c = p.cli, e = p.engine, d = p.dashboard;
  rows.push([`first index: wall${when('index')}`, i ? v(i.wallMs, GOALS.indexWallMs, (x) => `${ms(x)} (CPU ${ms(i.cpuMs)})`) : 'n/a', '≤ 15 s']);
  rows.push([`first index: peak RSS${when('index')}`, i ? v(i.rssMiB, GOALS.indexRssMiB, mib) : 'n/a', '≤ 300 MiB']);
  rows.push([`first index: exactness${when('index')}`, i ? `${i.tokensExact ? 'tokens exact' : 'tokens OFF'}, ${i.cost?.ok ? 'cost to the cent' : 'cost OFF'}` : 'n/a', 'tokens exact, cost to the cent']);
  const w = p.worker;
  rows.push([`first index in the index worker (as a window runs it): to the last update / saved${when('worker')}`,
    w ? `${v(w.lastUpdateMs, GOALS.indexWallMs, (x) => `${ms(x)} (CPU ${ms(w.lastUpdateCpuMs)})`)} / ${ms(w.savedMs)}` : 'n/a', '≤ 15 s']);
  rows.push([`first index in the index worker: peak RSS of the process${when('worker')}`, w ? v(w.rssMiB, GOALS.indexRssMiB, mib) : 'n/a', '≤ 300 MiB']);
  rows.push([`first index in the index worker: worker start → today's numbers (a call appended now to the newest session)${when('worker')}`,
    Number.isFinite(w?.todayMs) ? v(w.todayMs, 1000, (x) => `${ms(x)} (CPU ${ms(w.todayCpuMs)})`) : 'n/a', '≤ 1 s after activation']);
  rows.push([`CLI \`report --db\`, nothing new: wall${when('cli')}`, c ? v(c.idleMs, GOALS.cliIdleMs, (x) => `${ms(x)} (CPU ${ms(c.idleCpuMs)})`) : 'n/a', '≤ 150 ms']);
  rows.push([`CLI \`report --db\`, nothing new: peak RSS${when('cli')}`, c ? mib(c.idleRssMiB) : 'n/a', '—']);
  rows.push([`CLI \`report --db\` after a 100 KB append: wall${when('cli')}`, c ? v(c.appendMs, GOALS.cliAppendMs, (x) => `${ms(x)} (CPU ${ms(c.appendCpuMs)})`) : 'n/a', '≤ 250 ms']);
  rows.push([`CLI \`report --db\` after a 100 KB append: peak RSS${when('cli')}`, c ? mib(c.appendRssMiB) : 'n/a', '—']);
  rows.push([`index file on disk${when('index')}`, i ? v(i.dbBytes, GOALS.dbBytes, mb) : 'n/a', '≤ 40 MB']);
  rows.push([`bytes written by one save after a small change${when('engine')}`, e ? v(e.savedBytes, GOALS.saveBytes, mb) : 'n/a', '≤ 5 MB']);
  rows.push([`index worker start → first update (today's numbers from the index) / first refresh done: wall${when('engine')}`,
    Number.isFinite(e?.firstUpdateMs) ? `${ms(e.firstUpdateMs)} (CPU ${ms(e.firstUpdateCpuMs)}; first summary ${ms(e.statusReopenCpuMs)} CPU) / ${ms(e.caughtUpMs)} (CPU ${ms(e.caughtUpCpuMs)})` : 'n/a', '≤ 1 s after activation']);
  rows.push([`index worker, one change: ingest + status + save, CPU${when('engine')}`,
    e ? v(e.totalCpuMs, GOALS.changeCpuMs, (x) => `${fmtMs(x)} (${fmtMs(e.ingestCpuMs)} + ${fmtMs(e.statusCpuMs)} + ${fmtMs(e.saveCpuMs)})`) : 'n/a', '≤ 50 ms']);
  for (const [range, label] of [['30d', '30 days'], ['all', 'all time']]) {
    const x = d?.[range];
    rows.push([`dashboard snapshot, ${label}, cold${when('dashboard')}`, x ? v(x.coldMs, GOALS.snapshotMs, (y) => `${ms(y)} (CPU ${ms(x.coldCpuMs)})`) : 'n/a', '≤ 50 ms']);
    rows.push([`dashboard snapshot, ${label}, warm${when('dashboard')}`, x ? v(x.warmMs, GOALS.snapshotMs, (y) => `${ms(y)} (CPU ${ms(x.warmCpuMs)})`) : 'n/a', '≤ 50 ms']);
  }
  out('## A year of heavy use: summary (paste into the README)');
  out(table(['what', 'measured', 'goal'], rows));
  out(`1-minute load average while measured (${availableParallelism()} cores; above that, wall times are inflated and CPU times say more): ` +
    YEAR_PARTS.filter((k) => p[k]).map((k) => `${k} ${p[k].load} (${p[k].at.slice(0, 16).replace('T', ' ')} UTC, code ${p[k].code})`).join('; '));
}

/** A copy of a saved index without a journal of an earlier run (its records would be applied to the copy). */
function journalSize(file) {
  return existsSync(`${file}.journal`) ? statSync(`${file}.journal`).size : 0;
}

/** Bytes a run's save wrote to a fresh copy (no journal before): the whole file when it was rewritten, else the journal. */
function writtenSince(copy, mtimeBefore) {
  return (statSync(copy).mtimeMs !== mtimeBefore ? statSync(copy).size : 0) + journalSize(copy);
}
