// `npm run bench`: generates (or reuses) a deterministic ~1 GB corpus of Claude Code and Codex logs and reports
// cold index, warm refresh after a 100 KB append, peak RSS, database size, exactness against the corpus ground
// truth, and a comparison with ccusage 20.0.24 when it can be fetched. It is a report, not a test: exit code 0.
//
// Options: --runs N (default 3; medians are shown)   --quick (small corpus, for a smoke run)
//          --profile (CPU-profile one cold index and list the hottest functions)   --no-ccusage   --seed N
//          --only cold,warm,ccusage (run only these parts; warm needs cold's database from an earlier run)
//          --year: the one-year scale instead (scripts/bench/year.mjs: 1.5 million Claude calls + a tenth for Codex,
//            ~3.4 GB generated once into .bench/year-*; first index, CLI with --db, index-worker work for one change,
//            dashboard snapshots, each against its goal); --only index,cli,engine,dashboard; --runs N; --seed N;
//            --year-fresh (a new corpus ending yesterday when the one kept ends earlier); --year-scale 0.01 (a smoke run)
//          --year --mix: the same year with every other source enabled too (scripts/bench/yearMix.mjs: an add-on year of
//            Gemini CLI, Qwen Code, Cline, Roo Code, Copilot CLI and OpenCode generated once into .bench/mix-*; first index
//            with and without the Claude/Codex year, each source alone, per-change CPU); --only index,alone,bysource,engine
//          --team: the team database under load (scripts/bench/team.mjs: 100 members pushing concurrently to a throwaway
//            PostgreSQL for 60 s; --team-seconds N, --team-members N, --team-buckets N): pushes/s, p95 latency, exactness
//          --team-view: a lead's dashboard over a large team database (scripts/bench/teamView.ts: 100 members × 365
//            days by default; --team-members N, --team-days N): snapshot times, rows read, peak RSS
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { claudeAppend, codexAppend } from './bench/appendChunk.mjs';
import { CCUSAGE_VERSION, locateCcusage, runCcusage } from './bench/ccusage.mjs';
import { ensureCorpus } from './bench/corpus.mjs';
import { runYear } from './bench/year.mjs';
import { runTeamBench, runTeamViewBench } from './bench/team.mjs';
import { restoreAppends as restoreAppendsIn } from './bench/restore.mjs';
import { acquireRunLock } from './bench/runLock.mjs';
import { median, run, runBenchChild } from './bench/measure.mjs';
import { createRng } from './bench/prng.mjs';
import { summarizeProfiles } from './bench/profile.mjs';
import { fmtInt, fmtMb, fmtMs, table } from './bench/table.mjs';
import { createTextPool } from './bench/textPool.mjs';
import { CLAUDE_WEB_SEARCH_USD, compareTotals, listFiles, longContextPremium, sumTruth } from './bench/truth.mjs';
import { sqlJsPatchPlugin } from './sqljsPatch.mjs';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, '.bench');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const runs = Math.max(1, Number(opt('--runs', 3)));
const quick = flag('--quick');
const out = (s = '') => process.stdout.write(`${s}\n`);

const TARGETS = { coldRatio: 0.8, warmMs: 50, rssMb: 150 };
const only = opt('--only', 'cold,warm,ccusage').split(',');
const want = (part) => only.includes(part);

async function main() {
  mkdirSync(benchDir, { recursive: true });
  await acquireRunLock(join(benchDir, 'run.lock'), out);
  restoreAppends();
  out(`# AgentMeter benchmark — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  out(`code: ${gitDescribe()}`);
  reportLoad('at start');
  for (const name of readdirSync(benchDir)) if (name.startsWith('prof-')) rmSync(join(benchDir, name), { recursive: true, force: true });
  if (flag('--team-view')) {
    await runTeamViewBench({ root, benchDir, out, opt });
    reportLoad('at end');
    return;
  }
  if (flag('--team')) {
    await runTeamBench({ root, benchDir, out, opt });
    reportLoad('at end');
    return;
  }
  if (flag('--year')) {
    await runYear({ root, benchDir, out, opt, flag, warmPageCache, codeVersion: gitDescribe() });
    reportLoad('at end');
    return;
  }

  // 1. corpus
  const corpus = ensureCorpus({
    baseDir: benchDir,
    seed: Number(opt('--seed', 20260601)),
    claudeBytes: quick ? 60_000_000 : 850_000_000,
    codexBytes: quick ? 15_000_000 : 200_000_000,
    log: out,
  });
  const m = corpus.manifest;
  out(corpus.generated
    ? `corpus generated in ${(m.generateSeconds.claude + m.generateSeconds.codex).toFixed(1)} s (Claude ${m.generateSeconds.claude.toFixed(1)} s, Codex ${m.generateSeconds.codex.toFixed(1)} s)`
    : `corpus reused: ${corpus.dir} (generation took ${(m.generateSeconds.claude + m.generateSeconds.codex).toFixed(1)} s)`);
  out(`Claude: ${fmtMb(m.claude.bytes)} in ${m.claude.files} files (${m.claude.subagentFiles} subagent, ${m.claude.resumedFiles} resumed), ${fmtInt(m.claude.lines)} lines; ` +
    `tool results ${((100 * m.claude.toolResultBytes) / m.claude.bytes).toFixed(0)}% of bytes; ${((100 * m.claude.streamingCopies) / m.claude.assistantLines).toFixed(0)}% of assistant lines are streaming copies`);
  out(`Codex:  ${fmtMb(m.codex.bytes)} in ${m.codex.files} rollouts, ${fmtInt(m.codex.lines)} lines; ${m.codex.tokenCountEvents} token_count events, ` +
    `${((100 * m.codex.reemitted) / m.codex.tokenCountEvents).toFixed(0)}% re-emitted snapshots`);
  warmPageCache(corpus);
  out('(files synced to disk and read once before measuring: every tool below reads from a warm page cache)');
  out();

  // 2. our engine, bundled for in-process measurements
  const entry = join(root, 'scripts/bench/inprocess.ts');
  const engineReady = ['src/core/ingest/indexer.ts', 'src/core/store/persist.ts', 'src/core/discovery.ts'].every((p) => existsSync(join(root, p)))
    && existsSync(join(root, 'dist/ingest-worker.js')) && existsSync(join(root, 'dist/sql-wasm.wasm'));
  const cliReady = existsSync(join(root, 'dist/cli.js'));
  const results = { cold: {}, warm: null, ccusage: null, cli: {} };
  if (!engineReady) {
    out('engine not built yet (src/core/ingest/indexer.ts, dist/ingest-worker.js): skipping our measurements');
  } else {
    const script = join(benchDir, 'inprocess.cjs');
    await esbuild.build({ entryPoints: [entry], outfile: script, bundle: true, plugins: [sqlJsPatchPlugin()], platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root });
    if (want('cold')) await coldIndex(script, corpus, results);
    if (want('warm')) await warmRefresh(script, corpus, results);
    if (flag('--profile')) {
      await parseCostReport(script, corpus, results);
      await profile(script, corpus);
    }
  }

  // 3. ccusage
  if (!flag('--no-ccusage') && want('ccusage')) await compareCcusage(corpus, results, cliReady);

  // 4. targets
  printTargets(results);
  reportLoad('at end');
}

/** The commit measured (the engine changes often; numbers belong to a commit). */
function gitDescribe() {
  try {
    const rev = execFileSync('git', ['describe', '--tags', '--always', '--abbrev=7'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return `${rev}${dirty ? ' + uncommitted changes under src/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Wall times mean little on a busy machine (other processes share the cores): say so. CPU times are more robust. */
function reportLoad(when) {
  const [one, five] = loadavg();
  const busy = one > cpus().length * 0.5;
  out(`load average ${when}: ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)${busy ? ' — the machine is busy: wall times are inflated, compare CPU times' : ''}`);
}

/** Flushes the freshly written corpus and reads it once, so no measurement pays for writeback or cold reads. */
function warmPageCache(corpus) {
  try {
    execFileSync('sync', [], { timeout: 120_000 });
  } catch {
    /* not available: the pre-read below still helps */
  }
  const buf = Buffer.allocUnsafe(8 << 20);
  for (const f of [...listFiles(corpus.claudeDir), ...listFiles(corpus.codexDir)]) {
    const fd = openSync(f, 'r');
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd);
  }
}

/** Cold index: a fresh child process per run, so peak RSS is that run's. */
async function coldIndex(script, corpus, results) {
  const m = corpus.manifest;
  const configs = [
    { key: 'claude', label: 'Claude only', claudeDir: corpus.claudeDir, codexDir: null, workers: 2, bytes: m.claude.bytes },
    { key: 'codex', label: 'Codex only', claudeDir: null, codexDir: corpus.codexDir, workers: 2, bytes: m.codex.bytes },
    { key: 'both', label: 'both, 2 workers', claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, workers: 2, bytes: m.claude.bytes + m.codex.bytes },
    { key: 'both1', label: 'both, 1 worker', claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, workers: 1, bytes: m.claude.bytes + m.codex.bytes },
    { key: 'both0', label: 'both, no worker (main thread)', claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, workers: 0, bytes: m.claude.bytes + m.codex.bytes },
  ];
  const rows = [];
  for (const c of configs) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const db = join(benchDir, `index-${c.key}.sqlite`);
      rmSync(db, { force: true });
      try {
        samples.push(await runBenchChild(script, { mode: 'cold', root, claudeDir: c.claudeDir, codexDir: c.codexDir, workers: c.workers, db }, ['--expose-gc']));
      } catch (e) {
        out(`cold ${c.label}: ${e.message}`);
        break;
      }
    }
    if (samples.length === 0) continue;
    const med = (f) => median(samples.map(f));
    const s = samples[0];
    const exact = compareTotals(s.totals, m, { claude: !!c.claudeDir, codex: !!c.codexDir });
    const r = {
      label: c.label, refreshMs: med((x) => x.refreshMs), processWallMs: med((x) => x.processWallMs), saveMs: med((x) => x.saveMs),
      cpuMs: med((x) => x.cpuUserMs + x.cpuSysMs), rssMb: Math.max(...samples.map((x) => x.maxRssKb)) / 1024, dbBytes: s.dbBytes,
      mbps: c.bytes / 1e6 / (med((x) => x.refreshMs) / 1000), exact, result: s.result,
    };
    results.cold[c.key] = r;
    rows.push([r.label, fmtMs(r.refreshMs), fmtMs(r.processWallMs), fmtMs(r.cpuMs), `${r.rssMb.toFixed(0)} MB`, r.mbps.toFixed(0), fmtMs(r.saveMs), fmtMb(r.dbBytes), exact.ok ? 'exact' : exact.summary]);
  }
  out(`## Cold index (fresh process, the index in a worker thread with the extension's index-worker heap limits, in-memory index then atomic save; median of ${runs})`);
  out(table(['run', 'refresh wall', 'process wall', 'CPU user+sys', 'peak RSS', 'MB/s', 'save', 'database', 'totals vs truth'], rows));
  const both = results.cold.both?.result;
  if (both) out(`(${fmtInt(both.filesScanned)} files, ${fmtMb(both.bytesRead)} read, ${fmtInt(both.records)} records, ${fmtInt(both.duplicateLines)} duplicate lines, ${fmtInt(both.malformedLines)} malformed lines)`);
  const bad = Object.values(results.cold).find((r) => !r.exact.ok);
  if (bad) out(`totals differ from the corpus ground truth (${bad.label}):\n${bad.exact.details.join('\n')}`);
  out();
}

/** Warm refresh: open the saved index, then time one refresh after each ~100 KB append (in-process). */
async function warmRefresh(script, corpus, results) {
  const cold = join(benchDir, 'index-both.sqlite');
  if (!existsSync(cold)) {
    out('warm refresh skipped: the cold index of both parts did not produce a database');
    return;
  }
  const db = join(benchDir, 'index-warm.sqlite');
  copyFileSync(cold, db);
  const rng = createRng(4242);
  const pool = createTextPool(rng, 300_000);
  const largest = (files) => files.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
  const claudeTarget = largest(listFiles(corpus.claudeDir).filter((p) => !p.includes('/subagents/')));
  const codexTarget = largest(listFiles(corpus.codexDir));
  const appends = [];
  const restore = [claudeTarget, codexTarget].map((path) => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs }));
  writeFileSync(join(benchDir, 'restore.json'), JSON.stringify(restore));
  try {
    for (let i = 0; i < 5; i++) {
      // built up front from the file as it will be, so each chunk continues the previous one
      const c = claudeAppend(rng, pool, claudeTarget);
      const chunkFile = join(benchDir, `append-claude-${i}.jsonl`);
      writeFileSync(chunkFile, c.text);
      writeFileSync(claudeTarget, c.text, { flag: 'a' });
      appends.push({ label: 'claude', target: claudeTarget, chunkFile, bytes: Buffer.byteLength(c.text) });
    }
    for (let i = 0; i < 5; i++) {
      const c = codexAppend(rng, pool, codexTarget);
      const chunkFile = join(benchDir, `append-codex-${i}.jsonl`);
      writeFileSync(chunkFile, c.text);
      writeFileSync(codexTarget, c.text, { flag: 'a' });
      appends.push({ label: 'codex', target: codexTarget, chunkFile, bytes: Buffer.byteLength(c.text) });
    }
    restoreAppends(); // the child appends the chunks itself, one before each timed refresh
    writeFileSync(join(benchDir, 'restore.json'), JSON.stringify(restore));
    const profDir = flag('--profile') ? join(benchDir, `prof-warm-${Date.now()}`) : null;
    const r = await runBenchChild(script, { mode: 'warm', root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, workers: 2, db, appends },
      profDir ? ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', profDir] : ['--expose-gc']);
    const by = (label) => r.appends.filter((a) => a.label === label);
    const row = (label, name) => {
      const xs = by(label);
      return [name, fmtMs(median(xs.map((a) => a.refreshMs))), fmtMs(Math.max(...xs.map((a) => a.refreshMs))), fmtMb(median(appends.filter((a) => a.label === label).map((a) => a.bytes))),
        fmtInt(median(xs.map((a) => a.result.records))), fmtMs(median(xs.map((a) => a.saveMs)))];
    };
    results.warm = { claudeMs: median(by('claude').map((a) => a.refreshMs)), codexMs: median(by('codex').map((a) => a.refreshMs)), r };
    out(`## Warm refresh (in-process: index opened in ${fmtMs(r.openMs)}, a refresh with nothing new took ${fmtMs(r.noChangeMs)}; then 5 appends per source)`);
    out(table(['append to the largest file', 'refresh (median)', 'refresh (max)', 'appended', 'new records', 'save after'], [row('claude', 'Claude session'), row('codex', 'Codex rollout')]));
    out(`database on disk after the appends: ${fmtMb(statSync(db).size)}; warm process peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`);
    out();
    if (profDir) printProfiles(`CPU profile of the warm process (open, no-change refresh, 10 append refreshes, saves; profiles in ${profDir})`, profDir);
  } catch (e) {
    out(`warm refresh failed: ${e.message}`);
  } finally {
    restoreAppends();
  }
}

/** Undoes the warm-refresh appends (also after an interrupted run), so the corpus stays what its manifest says. */
const restoreAppends = () => restoreAppendsIn(benchDir);

/** Single-thread cost of each parsing step, and what is left for the main thread (de-dup, SQL, fs, messaging). */
async function parseCostReport(script, corpus, results) {
  const rows = [];
  let parseTotal = 0;
  for (const source of ['claude', 'codex']) {
    const r = await runBenchChild(script, { mode: 'parsecost', source, dir: source === 'claude' ? corpus.claudeDir : corpus.codexDir });
    const p = r.passes;
    const base = p.read2.cpuMs;
    const mb = p.read2.bytes / 1e6;
    rows.push([source, 'read every file (sync, whole file)', fmtMs(base), `${(base / mb * 1000).toFixed(0)} ms/GB`]);
    for (const [name, v] of Object.entries(p)) {
      if (name === 'read' || name === 'read2') continue;
      const own = v.cpuMs - base;
      rows.push([source, name.startsWith('parse') ? `${name} (the real parser, all steps)` : `${name} (on its own)`, fmtMs(own), `${(own / mb * 1000).toFixed(0)} ms/GB`]);
      if (name.startsWith('parse')) parseTotal += v.cpuMs;
    }
  }
  out('## Where a worker\'s time goes (one thread, CPU beyond reading the files; each step measured on its own pass)');
  out(table(['source', 'step', 'CPU', 'per GB'], rows));
  const mainOnly = results.cold.both0;
  if (mainOnly) {
    out(`Cold index on the main thread only: ${fmtMs(mainOnly.cpuMs)} CPU, of which reading + parsing ≈ ${fmtMs(parseTotal)} (above); ` +
      `the rest ≈ ${fmtMs(mainOnly.cpuMs - parseTotal)} is start-up (node, sql.js wasm), de-dup, SQL writes, file listing and the save.`);
  }
  out();
}

async function profile(script, corpus) {
  const dir = join(benchDir, `prof-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  await runBenchChild(script, { mode: 'cold', root, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, workers: 2, db: join(benchDir, 'index-prof.sqlite') },
    ['--cpu-prof', '--cpu-prof-dir', dir]);
  printProfiles(`CPU profile of a cold index (both parts, 2 workers; profiles in ${dir})`, dir);
}

function printProfiles(title, dir) {
  out(`## ${title}`);
  for (const p of summarizeProfiles(dir)) {
    const idle = p.top.find((t) => t.fn === '(idle)')?.ms ?? 0;
    out(`### ${p.file} — ${fmtMs(p.totalMs)} sampled, ${fmtMs(p.totalMs - idle)} not idle (thread ${p.file.split('.').slice(-3, -2)[0]})`);
    out(table(['function (self time)', 'ms', '%'], p.top.map((t) => [t.fn, t.ms.toFixed(0), t.pct.toFixed(1)])));
  }
  out();
}

async function compareCcusage(corpus, results, cliReady) {
  out(`## Comparison with ccusage ${CCUSAGE_VERSION} (\`<source> daily --json --offline --timezone UTC\`; ${runs} alternating runs each, medians; ratios = median of the per-pair ratios)`);
  const tool = locateCcusage();
  if ('error' in tool) {
    out(`ccusage unavailable, comparison skipped: ${tool.error}`);
    out();
    return;
  }
  const m = corpus.manifest;
  const rows = [];
  const tokenRows = [];
  results.ccusage = {};
  results.pairs = {};
  const cpuOf = (r) => (r.cpuUserMs ?? NaN) + (r.cpuSysMs ?? NaN);
  for (const source of ['claude', 'codex']) {
    const dir = source === 'claude' ? corpus.claudeDir : corpus.codexDir;
    // --no-cache: every run reads all logs, as ccusage does (the CLI keeps a cache index by default)
    const cliArgs = [join(root, 'dist/cli.js'), 'report', '--by', 'day', '--format', 'json', '--timezone', 'UTC', '--no-cache',
      '--claude-dir', source === 'claude' ? corpus.claudeDir : 'none', '--codex-dir', source === 'codex' ? corpus.codexDir : 'none'];
    // ours and theirs alternate, so both see the same machine load; ratios are taken per pair
    const pairs = [];
    for (let i = 0; i < runs; i++) {
      const theirs = await runCcusage(tool, source, dir);
      const ours = cliReady ? await run(process.execPath, cliArgs, { timeoutMs: 600_000 }) : null;
      pairs.push({ theirs, ours });
    }
    const ok = pairs.filter((p) => p.theirs.code === 0 && p.theirs.json);
    if (ok.length === 0) {
      out(`ccusage ${source} failed: ${pairs[0]?.theirs.stderr.trim().slice(0, 300)}`);
      continue;
    }
    const ccWall = median(ok.map((p) => p.theirs.wallMs));
    const ccCpu = median(ok.map((p) => cpuOf(p.theirs)));
    results.ccusage[source] = ccWall;
    results.ccusageCpu = { ...results.ccusageCpu, [source]: ccCpu };
    // ours: the CLI end to end when it is built (the like-for-like command), else the cold-index process
    let ourWall = results.cold[source]?.processWallMs;
    let ourCpu = results.cold[source]?.cpuMs ?? NaN;
    let ourHow = 'cold-index process';
    let ourTotals = null;
    let wallRatio = ourWall / ccWall;
    let cpuRatio = ourCpu / ccCpu;
    const good = ok.filter((p) => p.ours?.code === 0);
    if (good.length) {
      ourWall = median(good.map((p) => p.ours.wallMs));
      ourCpu = median(good.map((p) => cpuOf(p.ours)));
      wallRatio = median(good.map((p) => p.ours.wallMs / p.theirs.wallMs));
      cpuRatio = median(good.map((p) => cpuOf(p.ours) / cpuOf(p.theirs)));
      ourHow = 'agentmeter report (CLI)';
      try { ourTotals = JSON.parse(good[0].ours.stdout).totals; } catch { /* shown as n/a */ }
      results.cli[source] = { wallMs: ourWall, cpuMs: ourCpu, rssMb: Math.max(...good.map((p) => p.ours.maxRssKb ?? 0)) / 1024 };
      results.pairs[source] = pairs;
    } else if (cliReady) out(`our CLI failed on ${source}: ${pairs[0]?.ours?.stderr.trim().slice(0, 300)}`);
    const cc = ok[0].theirs;
    const ourRss = results.cli[source]?.rssMb;
    rows.push([source === 'claude' ? 'Claude' : 'Codex', ourHow, fmtMs(ourWall), fmtMs(ourCpu), ourRss ? `${ourRss.toFixed(0)} MB` : 'n/a',
      fmtMs(ccWall), fmtMs(ccCpu), cc.maxRssKb ? `${(cc.maxRssKb / 1024).toFixed(0)} MB` : 'n/a',
      Number.isFinite(wallRatio) ? wallRatio.toFixed(2) : 'n/a', Number.isFinite(cpuRatio) ? cpuRatio.toFixed(2) : 'n/a']);
    tokenRows.push(...tokenComparison(source, sumTruth(m, source), ourTotals, cc.json.totals));
    const cost = (o) => (o ? (o.costUSD ?? o.totalCost ?? NaN) : NaN);
    results.costs = { ...results.costs, [source]: { ours: cost(ourTotals), theirs: cost(cc.json.totals) } };
  }
  if (cliReady) await bothPartsInOneRun(tool, corpus, results, rows);
  out(`ccusage run as: ${tool.how} (${tool.cmd})`);
  out(table(['part', 'ours measured as', 'ours wall', 'ours CPU', 'ours peak RSS', 'ccusage wall', 'ccusage CPU', 'ccusage peak RSS', 'wall ratio', 'CPU ratio'], rows));
  out('(both parts in one run: ours = one `agentmeter report` over both parts, which it reads by default; ccusage = `daily`, which reads every agent it finds)');
  out();
  out('Totals (ground truth = the generator\'s own count: each API call once with its final usage; Codex = sum of real per-call usage):');
  out(table(['part', 'counter', 'ground truth', 'AgentMeter', 'ccusage'], tokenRows));
  const costs = results.costs ?? {};
  if (costs.claude && Number.isFinite(costs.claude.ours) && Number.isFinite(costs.claude.theirs)) {
    const lc = longContextPremium(m);
    const searches = Object.values(m.claude.truthByModel).reduce((n, t) => n + (t.webSearch ?? 0), 0);
    out(`Claude cost, AgentMeter − ccusage = $${(costs.claude.ours - costs.claude.theirs).toFixed(2)}. The long-context rule accounts for ` +
      `$${(lc.wholeRequest - lc.perField).toFixed(2)}: Sonnet 4.5 requests over 200k input (${fmtInt(sumLong(m))} of them) carry the premium on the whole ` +
      `request ($${lc.wholeRequest.toFixed(2)}, Anthropic's rule, ours) vs only on the parts of single fields above 200k ($${lc.perField.toFixed(2)}, ccusage); ` +
      `web searches for $${(searches * CLAUDE_WEB_SEARCH_USD).toFixed(2)} (${fmtInt(searches)} searches at $10 per 1,000, which ccusage does not price).`);
  }
  out();
}

/**
 * Both parts as a user gets them in one command: `agentmeter report` (both sources by default) against ccusage's
 * `daily` (every agent it detects), alternating runs. Adds a row to `rows` and `results.both`.
 */
async function bothPartsInOneRun(tool, corpus, results, rows) {
  const cpuOf = (r) => (r.cpuUserMs ?? NaN) + (r.cpuSysMs ?? NaN);
  const cliArgs = [join(root, 'dist/cli.js'), 'report', '--by', 'day', '--format', 'json', '--timezone', 'UTC', '--no-cache', '--claude-dir', corpus.claudeDir, '--codex-dir', corpus.codexDir];
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    const theirs = await runCcusage(tool, 'all', { claude: corpus.claudeDir, codex: corpus.codexDir });
    const ours = await run(process.execPath, cliArgs, { timeoutMs: 600_000 });
    pairs.push({ theirs, ours });
  }
  const good = pairs.filter((p) => p.theirs.code === 0 && p.theirs.json && p.ours.code === 0);
  if (good.length === 0) {
    out(`both parts in one run: a run failed (ccusage exit ${pairs[0]?.theirs.code}, ours exit ${pairs[0]?.ours.code})`);
    return;
  }
  const med = (f) => median(good.map(f));
  const r = {
    ourWall: med((p) => p.ours.wallMs), ourCpu: med((p) => cpuOf(p.ours)), ourRss: Math.max(...good.map((p) => p.ours.maxRssKb ?? 0)) / 1024,
    ccWall: med((p) => p.theirs.wallMs), ccCpu: med((p) => cpuOf(p.theirs)), ccRss: Math.max(...good.map((p) => p.theirs.maxRssKb ?? 0)) / 1024,
    wallRatio: med((p) => p.ours.wallMs / p.theirs.wallMs), cpuRatio: med((p) => cpuOf(p.ours) / cpuOf(p.theirs)),
  };
  results.both = r;
  rows.push(['both parts, one run', 'agentmeter report (CLI)', fmtMs(r.ourWall), fmtMs(r.ourCpu), `${r.ourRss.toFixed(0)} MB`, fmtMs(r.ccWall), fmtMs(r.ccCpu), `${r.ccRss.toFixed(0)} MB`,
    r.wallRatio.toFixed(2), r.cpuRatio.toFixed(2)]);
}

const sumLong = (m) => Object.entries(m.claude.truthByModel).filter(([k]) => /sonnet-4-5|sonnet-4-2|4-sonnet/.test(k)).reduce((n, [, t]) => n + t.longRequests, 0);

function tokenComparison(source, truth, ours, theirs) {
  const name = source === 'claude' ? 'Claude' : 'Codex';
  const pick = (o, k) => (o && typeof o[k] === 'number' ? o[k] : null);
  const cost = (o) => (o ? (o.costUSD ?? o.totalCost ?? null) : null);
  const mark = (v, t) => (v == null ? 'n/a' : t == null ? fmtInt(v) : v === t ? `${fmtInt(v)} ✓` : `${fmtInt(v)} (${v > t ? '+' : ''}${(((v - t) / t) * 100).toFixed(2)}%)`);
  const keys = source === 'claude'
    ? [['input (uncached)', truth.input, 'inputTokens'], ['output', truth.output, 'outputTokens'], ['cache writes', truth.cw5m + truth.cw1h, 'cacheCreationTokens'], ['cache reads', truth.cacheRead, 'cacheReadTokens']]
    : [['input (uncached)', truth.input - truth.cached, 'inputTokens'], ['cached input', truth.cached, 'cacheReadTokens'], ['output', truth.output, 'outputTokens'], ['reasoning (in output)', truth.reasoning, 'reasoningOutputTokens']];
  const rows = keys.map(([label, t, k]) => [name, label, fmtInt(t), mark(pick(ours, k) ?? (k === 'reasoningOutputTokens' ? pick(ours, 'reasoningTokens') : null), t), mark(pick(theirs, k), t)]);
  const oc = cost(ours), tc = cost(theirs);
  rows.push([name, 'cost USD', '—', oc == null ? 'n/a' : oc.toFixed(2), tc == null ? 'n/a' : tc.toFixed(2)]);
  return rows;
}

function printTargets(results) {
  out('## Targets (2-core machine)');
  const rows = [];
  const ccTotal = (results.ccusage?.claude ?? NaN) + (results.ccusage?.codex ?? NaN);
  const cli = results.cli.claude && results.cli.codex ? results.cli.claude.wallMs + results.cli.codex.wallMs : NaN;
  const coldProc = (results.cold.claude?.processWallMs ?? NaN) + (results.cold.codex?.processWallMs ?? NaN);
  const ours = Number.isFinite(cli) ? cli : coldProc;
  // per run i: (our Claude + our Codex) / (their Claude + their Codex), runs taken side by side
  const pc = results.pairs?.claude, px = results.pairs?.codex;
  const pairedRatios = pc && px ? pc.map((p, i) => (p.ours && px[i]?.ours ? (p.ours.wallMs + px[i].ours.wallMs) / (p.theirs.wallMs + px[i].theirs.wallMs) : NaN)).filter(Number.isFinite) : [];
  const ratio = pairedRatios.length ? median(pairedRatios) : ours / ccTotal;
  rows.push(['cold index of both parts ≤ 0.8 × ccusage (wall)', Number.isFinite(ratio) ? `${ratio.toFixed(2)} × (${fmtMs(ours)} vs ${fmtMs(ccTotal)}${Number.isFinite(cli) ? ', CLI end to end' : ', cold-index processes'})` : 'n/a', verdict(ratio, TARGETS.coldRatio)]);
  const one = results.both;
  const ccSum = (results.ccusage?.claude ?? NaN) + (results.ccusage?.codex ?? NaN);
  if (one && Number.isFinite(one.ourWall / ccSum)) {
    rows.push(['(same, both parts in one `agentmeter report` run, against the two ccusage runs above)', `${(one.ourWall / ccSum).toFixed(2)} × (${fmtMs(one.ourWall)} vs ${fmtMs(ccSum)})`, 'info']);
    rows.push(['(same, one run each: `agentmeter report` against ccusage `daily`, which reads both)', `${one.wallRatio.toFixed(2)} × (${fmtMs(one.ourWall)} vs ${fmtMs(one.ccWall)})`, 'info']);
  }
  const ourCpu = (results.cli.claude?.cpuMs ?? NaN) + (results.cli.codex?.cpuMs ?? NaN);
  const ccCpu = (results.ccusageCpu?.claude ?? NaN) + (results.ccusageCpu?.codex ?? NaN);
  if (Number.isFinite(ourCpu / ccCpu)) rows.push(['(same, CPU user+sys; robust on a busy machine)', `${(ourCpu / ccCpu).toFixed(2)} × (${fmtMs(ourCpu)} vs ${fmtMs(ccCpu)})`, 'info']);
  const warm = results.warm ? Math.max(results.warm.claudeMs, results.warm.codexMs) : NaN;
  rows.push(['warm refresh after a 100 KB append ≤ 50 ms', Number.isFinite(warm) ? `${fmtMs(warm)} (Claude ${fmtMs(results.warm.claudeMs)}, Codex ${fmtMs(results.warm.codexMs)})` : 'n/a', verdict(warm, TARGETS.warmMs)]);
  // judged in the configuration users get: the indexer's default parse workers (defaultParseWorkers() in
  // src/core/ingest/indexer.ts: one from 2 cores up); the other configurations are shown beside it
  const defaultWorkers = availableParallelism() >= 2 ? 1 : 0;
  const coldBy = { 0: results.cold.both0, 1: results.cold.both1, 2: results.cold.both };
  const workersText = (n) => (n === 0 ? 'no worker' : n === 1 ? '1 worker' : `${n} workers`);
  const rssDefault = coldBy[defaultWorkers]?.rssMb ?? NaN;
  const others = [0, 1, 2].filter((n) => n !== defaultWorkers && Number.isFinite(coldBy[n]?.rssMb));
  const rssText = Number.isFinite(rssDefault)
    ? `${rssDefault.toFixed(0)} MB (both parts, ${workersText(defaultWorkers)}: the default here)` +
      others.map((n) => `; ${coldBy[n].rssMb.toFixed(0)} MB with ${workersText(n)}`).join('')
    : 'n/a';
  rows.push(['peak RSS of a cold index ≤ 150 MB', rssText, verdict(rssDefault, TARGETS.rssMb)]);
  const exact = Object.values(results.cold);
  rows.push(['totals equal the corpus ground truth', exact.length ? exact.every((r) => r.exact.ok) ? 'all cold runs' : 'no' : 'n/a', exact.length ? (exact.every((r) => r.exact.ok) ? 'met' : 'NOT met') : 'n/a']);
  out(table(['target', 'measured', 'verdict'], rows));
}

const verdict = (v, max) => (Number.isFinite(v) ? (v <= max ? 'met' : 'NOT met') : 'n/a');

main().then(
  () => process.exit(0),
  (e) => {
    out(`benchmark aborted: ${e instanceof Error ? e.stack : String(e)}`);
    restoreAppends();
    process.exit(0);
  },
);
