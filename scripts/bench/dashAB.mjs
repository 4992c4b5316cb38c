// A/B of the dashboard snapshot on the year index, interleaved: `node scripts/bench/dashAB.mjs A_DIR B_DIR [rounds]
// [--prof] [--ranges=30d,all] [--per=3] [--warm: one change first, not measured] [--warm-reads: the window start's all-time reads ahead first] [--status: a status summary before all] [--b-only]` bundles scripts/bench/dashSnapshot.ts of each checkout (each built: dist/), then runs them in turns (A, B,
// A, B, …), each a fresh process over a fresh copy of .bench/index-year-*.sqlite of B_DIR, with 30 days and all time
// asked after one appended call each (as the year bench's dashboard part); prints medians of CPU per version.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { claudeCallAppends } from './appendChunk.mjs';
import { createRng } from './prng.mjs';
import { createTextPool } from './textPool.mjs';
import { rememberForRestore, restoreAppends } from './restore.mjs';
import { appendTarget, copyIndex, removeIndex } from './yearSteps.mjs';
import { median } from './measure.mjs';

const [a, b, roundsArg] = process.argv.slice(2).filter((x) => !x.startsWith('--')).map((x, i) => (i < 2 ? resolve(x) : x));
const prof = process.argv.includes('--prof');
const turns = Number(roundsArg ?? 4);
const benchDir = join(b, '.bench');
const corpusDir = readdirSync(benchDir).find((n) => /^year-[0-9a-f]+-\d{4}-\d\d-\d\d$/.test(n));
const db = join(benchDir, `index-${corpusDir}.sqlite`);
const corpus = { dir: join(benchDir, corpusDir), claudeDir: join(benchDir, corpusDir, 'claude'), codexDir: join(benchDir, corpusDir, 'codex') };
const target = appendTarget(corpus);
const scripts = {};
for (const [name, dir] of [['A', a], ['B', b]]) {
  scripts[name] = join(benchDir, `dash-${name}.cjs`);
  await esbuild.build({ entryPoints: [join(dir, 'scripts/bench/dashSnapshot.ts')], outfile: scripts[name], bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: dir });
  if (!existsSync(join(dir, 'dist/sql-wasm.wasm'))) throw new Error(`${dir}: not built`);
}
const opt = (name, d) => process.argv.find((x) => x.startsWith(`--${name}=`))?.split('=')[1] ?? d;
const ranges = opt('ranges', '30d,all').split(',');
const per = Number(opt('per', '3'));
const warm = process.argv.includes('--warm');
const warmReads = process.argv.includes('--warm-reads');
const status = process.argv.includes('--status');
const results = { A: [], B: [] };
for (let t = 0; t < turns; t++) {
  for (const name of process.argv.includes('--b-only') ? ['B'] : t % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    const dir = name === 'A' ? a : b;
    const copy = join(benchDir, `dash-${name}.sqlite`);
    copyIndex(db, copy);
    const rng = createRng(4141 + t);
    const changes = claudeCallAppends(rng, createTextPool(rng, 100_000), target, per * ranges.length + (warm ? 1 : 0), Date.now() + 5_000);
    rememberForRestore(benchDir, [target]);
    try {
      const args = JSON.stringify({ root: dir, claudeDir: corpus.claudeDir, codexDir: corpus.codexDir, db: copy, target, changes: warm ? changes.slice(1) : changes, warm: warm ? changes.slice(0, 1) : [], ranges, warmReads, status });
      const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${join(benchDir, 'prof')}`, `--cpu-prof-name=dash-${name}-${t}.cpuprofile`] : [];
      const stdout = execFileSync(process.execPath, ['--expose-gc', ...flags, scripts[name], args], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      results[name].push(JSON.parse(line.slice('BENCH_RESULT '.length)));
    } finally {
      restoreAppends(benchDir);
      removeIndex(copy);
    }
    process.stdout.write(`${name} turn ${t} done\n`);
  }
}
const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim();
for (const range of ranges) {
  for (const name of ['A', 'B']) {
    if (results[name].length === 0) continue;
    const rs = results[name].map((r) => r[range]);
    const change = rs.flatMap((r) => r.change), again = rs.flatMap((r) => r.again);
    const f = (xs, k) => median(xs.map((x) => x[k])).toFixed(0);
    process.stdout.write(`${range} ${name}: after a change CPU ${f(change, 'cpuMs')} ms (wall ${f(change, 'wallMs')}), asked again CPU ${f(again, 'cpuMs')} ms (wall ${f(again, 'wallMs')}); message ${(rs[0].bytes / 1000).toFixed(0)} KB (sessions ${(rs[0].sessionBytes / 1000).toFixed(0)} KB); n=${change.length}/${again.length}\n`);
  }
}
for (const name of ['A', 'B']) {
  if (results[name].length === 0) continue;
  const f = (range) => median(results[name].map((r) => r.first[range].cpuMs)).toFixed(0);
  process.stdout.write(`${name}: first snapshot of the process (${ranges[0]}) CPU ${f(ranges[0])} ms; then the range changed:${ranges.slice(1).map((r) => ` ${r} CPU ${f(r)} ms`).join(',')}\n`);
}
process.stdout.write(`load after: ${load}\n`);
