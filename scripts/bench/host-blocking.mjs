// How long the thread that runs the indexer is blocked during a first index (issue 2: never > 50 ms).
// Runs `Indexer.refresh()` in this process over part of the benchmark corpus (Claude project folders until --mb,
// plus the Codex rollouts with --codex) while a 5 ms interval records the worst lateness of the event loop, then
// the save. Prints one line per phase; nothing is asserted (timing depends on the machine and its load).
// Usage: node scripts/build.mjs && node --import tsx scripts/bench/host-blocking.mjs [--mb 180] [--workers N (default: the indexer's default for this machine)]
//        [--codex] [--corpus .bench/corpus-<id>]   (run `npm run bench` once first to generate the corpus)
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join, relative } from 'node:path';
import { discoverRoots } from '../../src/core/discovery.ts';
import { Indexer } from '../../src/core/ingest/indexer.ts';
import { defaultParseWorkers } from '../../src/core/ingest/parseWorkers.ts';
import { openIndexDatabase, saveIndexDatabase } from '../../src/core/store/persist.ts';
import { loadSqlJs } from '../../src/core/store/sqljs.ts';

const root = new URL('../..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const mb = Number(opt('--mb', 180));
const workersOpt = opt('--workers', undefined);
const workers = workersOpt === undefined ? defaultParseWorkers() : Number(workersOpt); // default: the indexer's
const corpus = opt('--corpus', findCorpus());

function findCorpus() {
  const dir = join(root, '.bench');
  const found = readdirSync(dir).filter((n) => n.startsWith('corpus-')).map((n) => join(dir, n));
  found.sort((a, b) => size(join(b, 'claude')) - size(join(a, 'claude')));
  if (!found[0]) throw new Error('no corpus under .bench/: run `npm run bench` once');
  return found[0];
}

function size(dir) {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath ?? e.path, e.name)).size;
  } catch {
    /* missing */
  }
  return n;
}

/** A config dir whose projects/ holds symlinks to the .jsonl files of whole project folders, up to `limit` bytes. */
function partialClaude(limit) {
  const projects = join(corpus, 'claude', 'projects');
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-blocking-'));
  let bytes = 0;
  for (const p of readdirSync(projects).sort()) {
    if (bytes >= limit) break;
    for (const e of readdirSync(join(projects, p), { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
      const src = join(e.parentPath ?? e.path, e.name);
      const dst = join(dir, 'projects', relative(projects, src));
      mkdirSync(join(dst, '..'), { recursive: true });
      symlinkSync(src, dst);
      bytes += statSync(src).size;
    }
  }
  return { dir, bytes };
}

/**
 * Worst lateness of a 5 ms interval while `fn` runs, and the maximum of node's event-loop delay histogram.
 * The interval runs for a few ticks before `fn` starts (its first tick after a long synchronous start-up is late
 * for reasons that have nothing to do with `fn`).
 */
async function watch(fn) {
  let last = performance.now();
  let worst = 0;
  let t0 = last;
  const timer = setInterval(() => {
    const now = performance.now();
    if (process.env.DEBUG_GAPS && now - last > 45) process.stderr.write(`gap ${(now - last).toFixed(0)} ms ending at +${(now - t0).toFixed(0)} ms\n`);
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 30));
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  worst = 0;
  last = t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
    h.disable();
  }
  worst = Math.max(worst, performance.now() - last - 5); // a block at the very end
  return { ms: performance.now() - t0, worst, histMax: h.max / 1e6 };
}

const claude = partialClaude(mb * 1e6);
try {
  const SQL = await loadSqlJs(join(root, 'dist', 'sql-wasm.wasm'));
  const { db } = openIndexDatabase(SQL, undefined);
  const roots = discoverRoots({ env: {}, home: '/nonexistent-home', claudeDirs: [claude.dir], codexDirs: [argv.includes('--codex') ? join(corpus, 'codex') : 'none'] });
  const indexer = new Indexer({ db, roots, workerScript: join(root, 'dist', 'ingest-worker.js'), workers });
  const out = (s) => process.stdout.write(`${s}\n`);
  out(`corpus ${corpus}: ${(claude.bytes / 1e6).toFixed(0)} MB of Claude logs${argv.includes('--codex') ? ' + the Codex rollouts' : ''}; ${workers > 0 ? `${workers} parse workers` : 'parsed in-process'}; load ${loadavg()[0].toFixed(2)}`);
  let result;
  const r = await watch(async () => {
    const t = performance.now();
    result = await indexer.refresh({ newestFirst: true, onProgress: (p) => process.env.DEBUG_GAPS && process.stderr.write(`file ${p.filesDone}/${p.filesTotal} at +${(performance.now() - t).toFixed(0)} ms\n`) });
  });
  out(`first index: ${r.ms.toFixed(0)} ms, ${result.records} records, ${(result.bytesRead / 1e6).toFixed(0)} MB — worst event-loop delay ${r.worst.toFixed(1)} ms (5 ms interval), ${r.histMax.toFixed(1)} ms (monitorEventLoopDelay)`);
  const dbFile = join(claude.dir, 'index.sqlite');
  const s = await watch(async () => saveIndexDatabase(db, dbFile));
  out(`save: ${s.ms.toFixed(0)} ms (${(statSync(dbFile).size / 1e6).toFixed(1)} MB) — worst event-loop delay ${s.worst.toFixed(1)} ms (5 ms interval), ${s.histMax.toFixed(1)} ms (monitorEventLoopDelay)`);
  await indexer.dispose();
  db.close();
} finally {
  rmSync(claude.dir, { recursive: true, force: true });
}
