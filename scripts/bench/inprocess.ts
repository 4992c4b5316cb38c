/**
 * In-process benchmark entry, bundled on the fly by scripts/bench.mjs into .bench/inprocess.cjs and run in a
 * fresh child process per measurement (so `process.resourceUsage().maxRSS` is that run's peak).
 *   cold: fresh in-memory index -> one refresh of the given roots -> atomic save; prints timings, CPU, peak RSS,
 *         database size and the stored token totals per source/model (checked against the corpus ground truth).
 *   warm: open the saved index, one refresh with nothing new, then for each prepared chunk: append it to its
 *         log file (not timed) and time that refresh alone, then the save.
 *   parsecost: single-thread cost of each parsing step (see parseCost).
 * cold and warm run in a worker thread with the extension's index-worker heap limits (threadLimits.ts), as the
 * extension runs its index; process-wide CPU time and peak RSS include the thread.
 * Output: one line `BENCH_RESULT <json>` on stdout.
 */
import { appendFileSync, closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../src/core/discovery';
import { Indexer } from '../../src/core/ingest/indexer';
import { benchChildMain } from './childThread';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../src/core/ingest/parse/claude';
import { parseCodexBlock, type CodexParseOutput } from '../../src/core/ingest/parse/codex';
import { openIndexDatabase, saveIndexDatabase } from '../../src/core/store/persist';
import { loadSqlJs } from '../../src/core/store/sqljs';
import { DIMS_AS_TEXT } from '../../src/core/store/strs';

interface CommonArgs {
  /** repository root (for dist/) */
  root: string;
  claudeDir: string | null;
  codexDir: string | null;
  db: string;
  /** 0 = parse in-process (no worker threads) */
  workers: number;
  /** a HOME whose agents' folders every other source's default discovery finds (`--year --mix`); none by default */
  home?: string;
  /** only these sources (default: every source the home and dirs give) */
  sources?: string[];
}
interface ColdArgs extends CommonArgs {
  mode: 'cold';
}
interface ParseCostArgs {
  mode: 'parsecost';
  source: 'claude' | 'codex';
  dir: string;
}
interface WarmArgs extends CommonArgs {
  mode: 'warm';
  appends: { label: string; target: string; chunkFile: string }[];
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

function makeIndexer(a: CommonArgs, db: Database): Indexer {
  const roots = discoverRoots({
    env: {},
    home: a.home ?? '/nonexistent-home',
    platform: a.home ? 'linux' : undefined,
    dirs: { claude: [a.claudeDir ?? 'none'], codex: [a.codexDir ?? 'none'] },
    enabled: a.sources,
  });
  return new Indexer({
    db,
    roots,
    workerScript: a.workers > 0 ? join(a.root, 'dist', 'ingest-worker.js') : undefined,
    workers: Math.max(1, a.workers),
  });
}

/** Stored token sums per source and model, straight from the usage table (schema.ts). */
function storedTotals(db: Database): Record<string, number | string>[] {
  const res = db.exec(
    `SELECT d.source, d.model, SUM(u.requests), SUM(u.input), SUM(u.output), SUM(u.cw5m), SUM(u.cw1h), SUM(u.cache_read), SUM(u.reasoning)
     FROM usage u JOIN ${DIMS_AS_TEXT} d ON d.id = u.dim GROUP BY d.source, d.model ORDER BY d.source, d.model`,
  );
  return (res[0]?.values ?? []).map(([source, model, requests, input, output, cw5m, cw1h, cacheRead, reasoning]) => ({
    source: String(source),
    model: String(model),
    requests: Number(requests),
    input: Number(input),
    output: Number(output),
    cw5m: Number(cw5m),
    cw1h: Number(cw1h),
    cacheRead: Number(cacheRead),
    reasoning: Number(reasoning),
  }));
}

async function cold(a: ColdArgs): Promise<unknown> {
  const t0 = performance.now();
  const SQL = await loadSqlJs(join(a.root, 'dist', 'sql-wasm.wasm'));
  const { db } = openIndexDatabase(SQL, undefined);
  const setupMs = ms(t0);
  const indexer = makeIndexer(a, db);
  const t1 = performance.now();
  const result = await indexer.refresh();
  const refreshMs = ms(t1);
  // the peak up to here (the refresh's), before the save adds its own
  const refreshRssKb = process.resourceUsage().maxRSS;
  await indexer.dispose();
  const t2 = performance.now();
  saveIndexDatabase(db, a.db);
  const saveMs = ms(t2);
  const totals = storedTotals(db);
  db.close();
  const cpu = process.cpuUsage();
  return {
    setupMs,
    refreshMs,
    saveMs,
    cpuUserMs: cpu.user / 1000,
    cpuSysMs: cpu.system / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    refreshRssKb,
    dbBytes: statSync(a.db).size,
    result,
    totals,
  };
}

async function warm(a: WarmArgs): Promise<unknown> {
  const t0 = performance.now();
  const SQL = await loadSqlJs(join(a.root, 'dist', 'sql-wasm.wasm'));
  const { db, rebuiltReason } = openIndexDatabase(SQL, a.db);
  const openMs = ms(t0);
  const indexer = makeIndexer(a, db);
  const t1 = performance.now();
  const idle = await indexer.refresh();
  const noChangeMs = ms(t1);
  const appends: unknown[] = [];
  for (const ap of a.appends) {
    appendFileSync(ap.target, readFileSync(ap.chunkFile));
    const t = performance.now();
    const result = await indexer.refresh();
    const refreshMs = ms(t);
    const ts = performance.now();
    saveIndexDatabase(db, a.db);
    appends.push({ label: ap.label, refreshMs, saveMs: ms(ts), result });
  }
  await indexer.dispose();
  db.close();
  return { openMs, rebuiltReason, noChangeMs, idle, appends, maxRssKb: process.resourceUsage().maxRSS };
}

/**
 * Where a worker's time goes, on one thread with synchronous whole-file reads: each pass reads every file again
 * and adds one step (newline walk, marker scans, the real block parser). CPU ms per pass; differences = the step.
 */
function parseCost(a: ParseCostArgs): unknown {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl')) files.push(p);
    }
  };
  walk(a.dir);
  let buf = Buffer.allocUnsafe(1 << 20);
  let sink = 0;
  const pass = (step: (block: Buffer) => void) => {
    const c0 = process.cpuUsage();
    let bytes = 0;
    for (const f of files) {
      const size = statSync(f).size;
      if (size > buf.length) buf = Buffer.allocUnsafe(size);
      const fd = openSync(f, 'r');
      let off = 0;
      while (off < size) {
        const n = readSync(fd, buf, off, size - off, off);
        if (n <= 0) break;
        off += n;
      }
      closeSync(fd);
      bytes += off;
      const end = buf.lastIndexOf(10, off - 1) + 1;
      if (end > 0) step(buf.subarray(0, end));
    }
    const c = process.cpuUsage(c0);
    return { cpuMs: (c.user + c.system) / 1000, bytes };
  };
  const scan = (needle: Buffer) => (b: Buffer) => {
    for (let p = b.indexOf(needle); p >= 0; p = b.indexOf(needle, p + 1)) sink++;
  };
  const passes: Record<string, { cpuMs: number; bytes: number }> = {};
  passes.read = pass(() => {});
  passes.read2 = pass(() => {}); // the first pass may include page-cache effects
  passes.newlines = pass((b) => {
    for (let p = 0, nl = b.indexOf(10); nl >= 0; p = nl + 1, nl = b.indexOf(10, p)) sink++;
  });
  if (a.source === 'claude') {
    passes['"usage": scan'] = pass(scan(Buffer.from('"usage":')));
    passes['"isApiErrorMessage":true scan'] = pass(scan(Buffer.from('"isApiErrorMessage":true')));
    const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
    passes.parseClaudeBlock = pass((b) => {
      out.state = {};
      parseClaudeBlock(b, 0, out);
    });
    sink += out.calls.length;
  } else {
    passes['"token_count" scan'] = pass(scan(Buffer.from('"token_count"')));
    const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
    passes.parseCodexBlock = pass((b) => {
      out.state = {};
      parseCodexBlock(b, 0, out);
    });
    sink += out.events.length;
  }
  return { files: files.length, passes, sink };
}

benchChildMain<ColdArgs | WarmArgs | ParseCostArgs>(
  (a) => (a.mode === 'warm' ? warm(a) : a.mode === 'parsecost' ? parseCost(a) : cold(a)),
  (a) => a.mode !== 'parsecost',
);
