// `npm run bench -- --year --mix`: the year-scale budget with every source enabled (issue 15). Beside the
// Claude/Codex year corpus (reused untouched) it generates once the add-on year of the other sources
// (mixCorpus.mjs: Gemini CLI, Qwen Code, Cline, Roo Code, Copilot CLI, OpenCode under a HOME-like tree) and measures:
//   index   the first index of the Claude/Codex year plus the mix (fresh process, index in a worker thread with the
//           index worker's heap limits): wall, CPU, peak RSS, index file; exactness per source against both truths;
//   worker  the first index of the year plus the mix as a window runs it (year.mjs `workerIndex`: the real index
//           worker with its progress, batch status summaries, the end's summary and idle re-writes, and the save);
//   alone   the same over the mix alone (Claude and Codex off): what the other sources add;
//   bysource  the same for each other source alone: where that goes;
//   engine  the index worker's work for one change with every source's roots enabled (yearEngine.ts through
//           IndexEngine): one appended Claude call, one appended Gemini message, one Cline request row updated in
//           place (ui_messages.json rewritten): ingest + status summary + save, CPU each.
// `--only index,alone,bysource,engine` picks parts; the others come from .bench/results-<mix corpus>.json (marked with when
// they were measured). `engine` starts from the index the `index` part saved (.bench/index-<mix corpus>.sqlite).
import * as esbuild from 'esbuild';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { claudeCallAppends } from './appendChunk.mjs';
import { median, runBenchChild } from './measure.mjs';
import { clineUpdates, geminiAppends } from './mixChanges.mjs';
import { ensureMixCorpus } from './mixCorpus.mjs';
import { setLogTimes } from './logTimes.mjs';
import { compareMix, MIX_SOURCES } from './mixTruth.mjs';
import { createRng } from './prng.mjs';
import { rememberForRestore, restoreAppends } from './restore.mjs';
import { fmtInt, fmtMb, fmtMs, table } from './table.mjs';
import { createTextPool } from './textPool.mjs';
import { compareTotals, listFiles } from './truth.mjs';
import { appendTarget, copyIndex, costCheck, defaultWorkers, measured, removeIndex, workerIndex } from './yearSteps.mjs';
import { sqlJsPatchPlugin } from '../sqljsPatch.mjs';

export const MIX_PARTS = ['index', 'worker', 'alone', 'bysource', 'engine'];
const GOALS = { indexWallMs: 15_000, indexRssMiB: 300, changeCpuMs: 50 };
const NAMES = { gemini: 'Gemini CLI', qwen: 'Qwen Code', cline: 'Cline', roo: 'Roo Code', 'copilot-cli': 'Copilot CLI', opencode: 'OpenCode' };

/** @param ctx the year context (year.mjs runYear) with `want`, `runs`, `runsGiven` @param corpus the Claude/Codex year */
export async function runYearMix(ctx, corpus) {
  const { out, benchDir, opt } = ctx;
  const m = corpus.manifest;
  const t0 = performance.now();
  const mix = await ensureMixCorpus({ baseDir: benchDir, endDay: m.endDay, seed: opt('--mix-seed', undefined) === undefined ? undefined : Number(opt('--mix-seed')), scale: m.scale, log: out });
  setLogTimes(mix.dir, [join(mix.dir, 'home')], out);
  const mt = mix.manifest.truth;
  out(mix.generated
    ? `add-on year of the other sources generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${mix.dir}`
    : `add-on year of the other sources reused: ${mix.dir} (generation took ${Object.values(mix.manifest.generateSeconds).reduce((a, b) => a + b, 0).toFixed(1)} s)`);
  out(table(['source', 'files', 'size', 'requests (truth)', 'where'], MIX_SOURCES.map((s) => [NAMES[s], fmtInt(mt[s].files), fmtMb(mt[s].bytes), fmtInt(mt[s].requests), WHERE[s]])));
  const mixBytes = MIX_SOURCES.reduce((n, s) => n + mt[s].bytes, 0);
  const mixFiles = MIX_SOURCES.reduce((n, s) => n + mt[s].files, 0);
  out(`together with the Claude/Codex year: ${fmtMb(m.claude.bytes + m.codex.bytes + mixBytes)} in ${fmtInt(m.claude.files + m.codex.files + mixFiles)} log files`);
  const tw = performance.now();
  warmFiles(mix.home);
  out(`(the add-on's files read once in ${((performance.now() - tw) / 1000).toFixed(1)} s before measuring)`);
  out();

  const db = join(benchDir, `index-${basename(mix.dir)}.sqlite`);
  const resultsFile = join(benchDir, `results-${basename(mix.dir)}.json`);
  const saved = loadSaved(resultsFile, `${m.seed}/${m.scale}/${m.endDay}/${m.claude.bytes}+${basename(mix.dir)}`);
  const results = {};
  const ctxMix = { ...ctx, mix };
  if (ctx.want('index') || ctx.want('alone') || ctx.want('bysource')) {
    const script = join(benchDir, 'inprocess.cjs');
    await esbuild.build({ entryPoints: [join(ctx.root, 'scripts/bench/inprocess.ts')], outfile: script, bundle: true, plugins: [sqlJsPatchPlugin()], platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: ctx.root });
    if (ctx.want('index')) results.index = await measured(() => firstIndex(ctxMix, script, corpus, db, true));
    if (ctx.want('alone')) results.alone = await measured(() => firstIndex(ctxMix, script, corpus, join(benchDir, 'year-mix-alone.sqlite'), false));
    if (ctx.want('bysource')) results.bysource = await measured(() => bySource(ctxMix, script, join(benchDir, 'year-mix-alone.sqlite')));
    rmSync(join(benchDir, 'year-mix-alone.sqlite'), { force: true });
  }
  if (ctx.want('worker')) {
    const script = join(benchDir, 'year-worker-index.cjs');
    await esbuild.build({ entryPoints: [join(ctx.root, 'scripts/bench/yearWorkerIndex.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: ctx.root });
    results.worker = await measured(() => workerIndex(ctxMix, script, corpus, ctx.runsGiven ? ctx.runs : 1, mix.home));
  }
  if (ctx.want('engine')) {
    if (!existsSync(db)) out(`no index of the year with every source yet (${db}): run the index part first (\`--only index\`)`);
    else {
      const script = join(benchDir, 'year-engine.cjs');
      await esbuild.build({ entryPoints: [join(ctx.root, 'scripts/bench/yearEngine.ts')], outfile: script, bundle: true, plugins: [sqlJsPatchPlugin()], platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: ctx.root });
      results.engine = await measured(() => engineRun(ctxMix, script, corpus, db, ctx.runsGiven ? ctx.runs : 5));
    }
  }
  for (const [part, r] of Object.entries(results)) if (r) saved.parts[part] = { code: ctx.codeVersion, ...r };
  writeFileSync(resultsFile, JSON.stringify(saved, null, 1));
  printSummary(out, saved, Object.keys(results));
}

const WHERE = {
  gemini: '.gemini/tmp/<project>/chats/session-*.jsonl',
  qwen: '.qwen/projects/<cwd>/chats/<session>.jsonl',
  cline: '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/<id>/ui_messages.json',
  roo: '.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks/<id>/ui_messages.json',
  'copilot-cli': '.copilot/session-state/<id>/events.jsonl',
  opencode: '.local/share/opencode/opencode.db',
};

function loadSaved(file, corpusId) {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8'));
    if (s.corpusId === corpusId) return s;
  } catch {
    /* none yet */
  }
  return { corpusId, parts: {} };
}

function warmFiles(dir) {
  const buf = Buffer.allocUnsafe(8 << 20);
  for (const f of listFiles(dir)) {
    const fd = openSync(f, 'r');
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd);
  }
}

/** First index of the mix, with the Claude/Codex year (`withYear`) or alone; exactness per source. */
async function firstIndex(ctx, script, corpus, db, withYear) {
  const { out, root, mix } = ctx;
  const workers = defaultWorkers();
  const runs = withYear && ctx.runsGiven ? ctx.runs : 1;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    rmSync(db, { force: true });
    try {
      samples.push(await runBenchChild(script, { mode: 'cold', root, claudeDir: withYear ? corpus.claudeDir : null, codexDir: withYear ? corpus.codexDir : null, home: mix.home, workers, db }, ['--expose-gc']));
    } catch (e) {
      out(`first index failed: ${e.message}`);
      return null;
    }
  }
  const med = (f) => median(samples.map(f));
  const s = samples[samples.length - 1];
  const year = withYear ? compareTotals(s.totals, corpus.manifest, { claude: true, codex: true }) : { ok: true, details: [] };
  const others = compareMix(s.totals, mix.manifest.truth);
  const cost = withYear ? await costCheck(ctx, corpus, db) : undefined;
  const r = {
    wallMs: med((x) => x.processWallMs), refreshMs: med((x) => x.refreshMs), saveMs: med((x) => x.saveMs), cpuMs: med((x) => x.cpuUserMs + x.cpuSysMs),
    rssMiB: Math.max(...samples.map((x) => x.maxRssKb)) / 1024, dbBytes: statSync(db).size, workers, result: s.result,
    yearExact: year.ok, yearDetails: year.details, cost, exact: Object.fromEntries(Object.entries(others.bySource).map(([k, v]) => [k, v.ok])), details: Object.values(others.bySource).flatMap((v) => v.details),
    requests: Object.fromEntries(Object.entries(others.bySource).map(([k, v]) => [k, v.requests])),
  };
  out(`## First index ${withYear ? 'of the year with every source (the Claude/Codex year + the add-on)' : 'of the add-on alone (Claude and Codex off)'} (fresh process, the index in a worker thread with the index worker's heap limits, ${workers ? `${workers} parse worker` : 'no parse worker'} (the default on ${availableParallelism()} cores)${runs > 1 ? `; median of ${runs}` : ''})`);
  out(table(['process wall', 'of which refresh', 'save', 'CPU user+sys', 'peak RSS', 'index file', 'Claude/Codex vs truth', 'other sources vs truth'], [[
    fmtMs(r.wallMs), fmtMs(r.refreshMs), fmtMs(r.saveMs), fmtMs(r.cpuMs), `${r.rssMiB.toFixed(0)} MiB`, fmtMb(r.dbBytes),
    withYear ? `${year.ok ? 'tokens exact' : 'tokens OFF'}, ${cost?.ok ? 'cost to the cent' : 'cost OFF'}` : '(off)', others.ok ? 'exact on every source' : 'OFF',
  ]]));
  out(`(${fmtInt(s.result.filesScanned)} files, ${fmtMb(s.result.bytesRead)} read, ${fmtInt(s.result.records)} records, ${fmtInt(s.result.malformedLines)} malformed lines)`);
  out(table(['source', 'requests stored', 'requests (truth)', 'tokens vs truth'], MIX_SOURCES.map((k) => [NAMES[k], fmtInt(others.bySource[k].requests), fmtInt(mix.manifest.truth[k].requests), others.bySource[k].ok ? 'exact' : 'OFF'])));
  if (withYear) out(`cost: ${cost.lines.join('; ')}`);
  if (!year.ok || !others.ok) out(`differences from the ground truth:\n${[...year.details, ...r.details].join('\n')}`);
  out();
  return r;
}

/** The first index of each other source alone (one fresh process each): wall, CPU, peak RSS, index file. */
async function bySource(ctx, script, db) {
  const { out, root, mix } = ctx;
  const workers = defaultWorkers();
  const rows = {};
  for (const source of MIX_SOURCES) {
    rmSync(db, { force: true });
    let s;
    try {
      s = await runBenchChild(script, { mode: 'cold', root, claudeDir: null, codexDir: null, home: mix.home, sources: [source], workers, db }, ['--expose-gc']);
    } catch (e) {
      out(`first index of ${source} failed: ${e.message}`);
      return null;
    }
    const t = mix.manifest.truth[source];
    rows[source] = { wallMs: s.processWallMs, cpuMs: s.cpuUserMs + s.cpuSysMs, rssMiB: s.maxRssKb / 1024, dbBytes: statSync(db).size, bytes: t.bytes, files: t.files, requests: t.requests, exact: compareMix(s.totals, { ...emptyTruths(), [source]: t }).ok };
  }
  out(`## First index of each other source alone (fresh process each, as above)`);
  out(table(['source', 'files', 'size', 'requests', 'process wall', 'CPU user+sys', 'peak RSS', 'index file', 'vs truth'], MIX_SOURCES.map((k) => {
    const x = rows[k];
    return [NAMES[k], fmtInt(x.files), fmtMb(x.bytes), fmtInt(x.requests), fmtMs(x.wallMs), fmtMs(x.cpuMs), `${x.rssMiB.toFixed(0)} MiB`, fmtMb(x.dbBytes), x.exact ? 'exact' : 'OFF'];
  })));
  out();
  return { rows };
}

const emptyTruths = () => Object.fromEntries(MIX_SOURCES.map((s) => [s, { requests: 0, input: 0, output: 0, cacheWrite: 0, cacheRead: 0, reasoning: 0 }]));

/** One change of each kind with every source's roots enabled, through IndexEngine (yearEngine.ts). */
async function engineRun(ctx, script, corpus, db, runs) {
  const { out, root, benchDir, mix } = ctx;
  const copy = join(benchDir, 'year-mix-engine.sqlite');
  copyIndex(db, copy);
  const claudeTarget = appendTarget(corpus);
  const geminiTarget = join(mix.dir, mix.manifest.targets.gemini);
  const clineTarget = join(mix.dir, mix.manifest.targets.cline);
  // whole-second mtimes, so undoing the changes restores them exactly and the saved index still matches the files
  for (const f of [claudeTarget, geminiTarget, clineTarget]) {
    const sec = Math.floor(statSync(f).mtimeMs / 1000);
    if (statSync(f).mtimeMs !== sec * 1000) utimesSync(f, sec, sec);
  }
  const rng = createRng(4142);
  const now = Date.now() + 5_000;
  const changes = [
    ...claudeCallAppends(rng, createTextPool(rng, 100_000), claudeTarget, runs, now).map((text) => ({ target: claudeTarget, text, label: 'claude' })),
    ...geminiAppends(rng, geminiTarget, runs, now + 60_000).map((text) => ({ target: geminiTarget, text, label: 'gemini' })),
    ...clineUpdates(clineTarget, runs).map((text) => ({ target: clineTarget, text, write: true, label: 'cline' })),
  ];
  const clineBefore = { text: readFileSync(clineTarget), mtimeMs: statSync(clineTarget).mtimeMs };
  let r;
  rememberForRestore(benchDir, [claudeTarget, geminiTarget]);
  try {
    r = await runBenchChild(script, { root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, home: mix.home, db: copy, changes, snapshotRuns: 0 }, ['--expose-gc']);
  } catch (e) {
    out(`index-worker measurement failed: ${e.message}`);
    return null;
  } finally {
    restoreAppends(benchDir);
    writeFileSync(clineTarget, clineBefore.text);
    utimesSync(clineTarget, new Date(), new Date(clineBefore.mtimeMs));
    removeIndex(copy);
  }
  const byLabel = {};
  for (const label of ['claude', 'gemini', 'cline']) {
    const ch = r.changes.filter((c) => c.label === label);
    const medOf = (f) => median(ch.map(f));
    byLabel[label] = {
      ingestCpuMs: medOf((c) => c.ingest.cpuMs), statusCpuMs: medOf((c) => c.status.cpuMs), saveCpuMs: medOf((c) => c.save.cpuMs),
      totalCpuMs: medOf((c) => c.ingest.cpuMs + c.status.cpuMs + c.save.cpuMs), totalWallMs: medOf((c) => c.ingest.wallMs + c.status.wallMs + c.save.wallMs),
      records: medOf((c) => c.records), savedBytes: medOf((c) => c.savedBytes), wholeSaves: ch.filter((c) => c.savedWhole).length, changes: ch.length,
    };
  }
  const engine = { byLabel, openMs: r.open.wallMs, idleMs: r.idle.wallMs, idleFiles: r.idleFiles, statusIdleCpuMs: r.statusIdle.cpuMs, rssMiB: r.maxRssKb / 1024 };
  out(`## Index worker, one change on the year index with every source's roots enabled (in process through IndexEngine, in a worker thread with the index worker's heap limits; median of ${runs} changes of each kind)`);
  out(`(index opened in ${fmtMs(engine.openMs)}; a refresh with nothing new took ${fmtMs(engine.idleMs)} over ${fmtInt(engine.idleFiles)} files; status summary with nothing new ${fmtMs(engine.statusIdleCpuMs)} CPU; peak RSS of the process ${engine.rssMiB.toFixed(0)} MiB)`);
  const LABELS = { claude: 'one appended Claude call', gemini: 'one appended Gemini CLI message', cline: 'one Cline request row updated in place (ui_messages.json rewritten)' };
  out(table(['change', 'ingest CPU', 'status CPU', 'save CPU', 'total CPU (all threads)', 'total wall', 'new records (0: a row replaced)', 'save wrote'], Object.entries(byLabel).map(([k, x]) =>
    [LABELS[k], fmtMs(x.ingestCpuMs), fmtMs(x.statusCpuMs), fmtMs(x.saveCpuMs), fmtMs(x.totalCpuMs), fmtMs(x.totalWallMs), fmtInt(x.records), `${fmtMb(x.savedBytes)}${x.wholeSaves ? ` (${x.wholeSaves} whole-file save)` : ''}`])));
  out();
  return engine;
}

function printSummary(out, saved, now) {
  const p = saved.parts;
  const when = (part) => (p[part] && !now.includes(part) ? ` (measured ${p[part].at.slice(0, 16).replace('T', ' ')} UTC)` : '');
  const v = (x, goal, s) => (Number.isFinite(x) ? `${s}${x <= goal ? '' : ' (not met)'}` : 'n/a');
  const i = p.index, a = p.alone, e = p.engine;
  const exact = (x) => (x ? (Object.values(x.exact).every(Boolean) ? 'exact on every source' : `OFF: ${Object.entries(x.exact).filter(([, ok]) => !ok).map(([k]) => k).join(', ')}`) : 'n/a');
  const rows = [
    [`first index, year + every source: wall (CPU)${when('index')}`, i ? v(i.wallMs, GOALS.indexWallMs, `${fmtMs(i.wallMs)} (CPU ${fmtMs(i.cpuMs)})`) : 'n/a', '≤ 15 s'],
    [`first index, year + every source: peak RSS${when('index')}`, i ? v(i.rssMiB, GOALS.indexRssMiB, `${i.rssMiB.toFixed(0)} MiB`) : 'n/a', '≤ 300 MiB'],
    [`first index, year + every source: exactness${when('index')}`, i ? `Claude/Codex ${i.yearExact ? 'tokens exact' : 'tokens OFF'}, ${i.cost?.ok ? 'cost to the cent' : 'cost OFF'}; others ${exact(i)}` : 'n/a', 'exact'],
    [`first index, year + every source, in the index worker (as a window runs it): to the last update / saved; peak RSS${when('worker')}`,
      p.worker ? `${v(p.worker.lastUpdateMs, GOALS.indexWallMs, `${fmtMs(p.worker.lastUpdateMs)} (CPU ${fmtMs(p.worker.lastUpdateCpuMs)})`)} / ${fmtMs(p.worker.savedMs)}; ${v(p.worker.rssMiB, GOALS.indexRssMiB, `${p.worker.rssMiB.toFixed(0)} MiB`)}` : 'n/a', '≤ 15 s, ≤ 300 MiB'],
    [`index file, year + every source${when('index')}`, i ? v(i.dbBytes, 40e6, fmtMb(i.dbBytes)) : 'n/a', '≤ 40 MB'],
    [`first index, the other sources alone: wall (CPU), peak RSS, index file${when('alone')}`, a ? `${fmtMs(a.wallMs)} (CPU ${fmtMs(a.cpuMs)}), ${a.rssMiB.toFixed(0)} MiB, ${fmtMb(a.dbBytes)}; ${exact(a)}` : 'n/a', '—'],
  ];
  for (const [k, x] of Object.entries(p.bysource?.rows ?? {})) {
    rows.push([`first index, ${NAMES[k]} alone (${fmtMb(x.bytes)}, ${fmtInt(x.requests)} requests): wall (CPU), peak RSS, index file${when('bysource')}`, `${fmtMs(x.wallMs)} (CPU ${fmtMs(x.cpuMs)}), ${x.rssMiB.toFixed(0)} MiB, ${fmtMb(x.dbBytes)}${x.exact ? '' : '; OFF'}`, '—']);
  }
  for (const [k, label] of [['claude', 'one appended Claude call'], ['gemini', 'one appended Gemini message'], ['cline', 'one Cline row updated']]) {
    const x = e?.byLabel[k];
    rows.push([`index worker, every source's roots, ${label}: ingest + status + save, CPU${when('engine')}`,
      x ? v(x.totalCpuMs, GOALS.changeCpuMs, `${fmtMs(x.totalCpuMs)} (${fmtMs(x.ingestCpuMs)} + ${fmtMs(x.statusCpuMs)} + ${fmtMs(x.saveCpuMs)})`) : 'n/a', '≤ 50 ms']);
  }
  out('## A year of heavy use with every source: summary (paste into the README)');
  out(table(['what', 'measured', 'goal'], rows));
  out(`1-minute load average while measured (${availableParallelism()} cores): ` +
    MIX_PARTS.filter((k) => p[k]).map((k) => `${k} ${p[k].load} (${p[k].at.slice(0, 16).replace('T', ' ')} UTC, code ${p[k].code})`).join('; '));
}
