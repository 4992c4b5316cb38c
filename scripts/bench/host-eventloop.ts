/**
 * How long the extension host's event loop is blocked while AgentMeter works: runs the real usage service (with
 * the fake `vscode` of the unit tests) over a generated corpus of a few hundred MB, while a 5 ms interval records
 * the worst delay of this thread. Prints one line per phase; nothing is asserted (timing depends on the machine).
 *   1. writer window: first index of the whole corpus (newest files first, batched writes), then its save
 *   2. reader window: first load of the saved index
 *   3. an append: the writer ingests and saves it, the reader reloads the file
 *   4. the status bar's summary and the dashboard's snapshot (all facts), as the consumers compute them
 * Corpus: the benchmark's generated corpus (`--mb`, large tool results, few calls) plus `--calls` small Claude calls
 * spread over a year, 40 projects and 3000 session files (a heavy year of use: ~100k facts, a 20-30 MB index).
 * Usage: npm run build && node --import tsx scripts/bench/host-eventloop.ts [--mb 300] [--calls 300000] [--repo <checkout>]
 * `--repo` measures another checkout with the same corpus (e.g. the code before the index worker, built with its
 * own `node scripts/build.mjs`): a checkout whose service still has `getDatabase()` is measured the old way
 * (status summary and snapshot computed on this thread, as its status bar and dashboard did).
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCorpus } from './corpus.mjs';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const repo = resolve(opt('--repo', join(__dirname, '..', '..')));
const mb = Number(opt('--mb', '300'));
const calls = Number(opt('--calls', '300000'));
const here = resolve(__dirname, '..', '..');

// the fake vscode must be installed before the service module loads
const fake = require(join(here, 'test/unit/host/fakeVscode.ts')) as typeof import('../../test/unit/host/fakeVscode');
fake.installFakeVscode();
const src = (p: string) => require(join(repo, 'src', p));
const { UsageService } = src('host/usageService') as typeof import('../../src/host/usageService');
const { createCoreIndex } = src('app/coreIndex') as typeof import('../../src/app/coreIndex');
const { parseSettings } = src('app/settingsParse') as typeof import('../../src/app/settingsParse');

/**
 * Worst delay of this thread's event loop, sampled by a 5 ms interval, and the worst time the loop was busy
 * (running JavaScript/native work, from `eventLoopUtilization`) between two samples. On a loaded machine the
 * delay also holds time the OS did not schedule this thread; the busy time is what our code blocked.
 */
class LoopMonitor {
  private worst = 0;
  private worstBusy = 0;
  private last = performance.now();
  private elu = performance.eventLoopUtilization();
  private readonly timer = setInterval(() => {
    const now = performance.now();
    const elu = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(elu, this.elu).active;
    this.elu = elu;
    const delay = now - this.last - 5;
    if (process.env.AM_EVENTLOOP_TRACE && delay > 40) console.log(`  [${now.toFixed(0)} ms] event loop delayed ${delay.toFixed(0)} ms (busy ${busy.toFixed(0)} ms)`);
    this.worst = Math.max(this.worst, delay);
    this.worstBusy = Math.max(this.worstBusy, busy);
    this.last = now;
  }, 5);
  /** The worst values since the last take, including the stretch since the last sample (a synchronous phase). */
  take(): { delay: number; busy: number } {
    const now = performance.now();
    const elu = performance.eventLoopUtilization();
    const r = {
      delay: Math.max(this.worst, now - this.last - 5),
      busy: Math.max(this.worstBusy, performance.eventLoopUtilization(elu, this.elu).active),
    };
    this.last = now;
    this.elu = elu;
    this.worst = 0;
    this.worstBusy = 0;
    return r;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await wait(20);
  }
}

/** `calls` Claude Code calls over the last 365 days in `<dir>/projects/<project>/<session>.jsonl` (deterministic). */
function writeYear(dir: string, calls: number): void {
  rmSync(dir, { recursive: true, force: true });
  const models = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001', 'claude-opus-4-5-20251101'];
  const sessions = 3000;
  const day = 86_400_000;
  const end = Date.now() - 3_600_000;
  let x = 12345;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const perSession = new Map<number, string[]>();
  for (let i = 0; i < calls; i++) {
    const s = i % sessions;
    const ts = end - Math.floor((s / sessions) * 365 * day) - Math.floor(rnd() * day);
    const project = `-home-me-src-project${s % 40}`;
    const line = JSON.stringify({
      type: 'assistant', timestamp: new Date(ts).toISOString(), sessionId: `year-${s}`, requestId: `req_y_${i}`,
      cwd: `/home/me/src/project${s % 40}`, gitBranch: `branch-${s % 7}`, isSidechain: false,
      message: {
        id: `msg_y_${i}`, type: 'message', role: 'assistant', model: models[i % models.length], content: [{ type: 'text', text: 'ok' }],
        usage: { input_tokens: 10 + (i % 50), output_tokens: 100 + (i % 900), cache_creation_input_tokens: i % 3 === 0 ? 2000 : 0, cache_read_input_tokens: 1000 + (i % 5000) },
      },
    });
    let list = perSession.get(s);
    if (!list) {
      list = [];
      perSession.set(s, list);
    }
    list.push(`${project}\u0000${line}`);
  }
  for (const [s, list] of perSession) {
    const project = list[0]!.split('\u0000')[0]!;
    mkdirSync(join(dir, 'projects', project), { recursive: true });
    writeFileSync(join(dir, 'projects', project, `year-${s}.jsonl`), `${list.map((l) => l.split('\u0000')[1]).join('\n')}\n`);
  }
  writeFileSync(join(dir, 'done'), '');
}

/** New Claude Code assistant lines (unique message and request ids, timestamps now). */
function freshClaudeLines(n: number): string {
  const t = Date.now();
  let out = '';
  for (let i = 0; i < n; i++) {
    out += `${JSON.stringify({
      type: 'assistant', timestamp: new Date(t - (n - i) * 1000).toISOString(), sessionId: 'eventloop-bench', requestId: `req_el_${t}_${i}`,
      cwd: '/home/me/eventloop', gitBranch: 'main', isSidechain: false,
      message: {
        id: `msg_el_${t}_${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }],
        usage: { input_tokens: 10, output_tokens: 100 + i, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000 },
      },
    })}\n`;
  }
  return out;
}

async function main(): Promise<void> {
  const corpus = ensureCorpus({
    baseDir: join(here, '.bench', 'eventloop'),
    claudeBytes: Math.round(mb * 0.8e6),
    codexBytes: Math.round(mb * 0.2e6),
    log: (s) => console.log(s),
  });
  const work = mkdtempSync(join(tmpdir(), 'am-eventloop-'));
  // the append goes to a new file in the corpus (removed afterwards); the index lives in a temp folder
  const storage = join(work, 'globalStorage');
  mkdirSync(storage, { recursive: true });
  const year = join(here, '.bench', 'eventloop', `year-${calls}`);
  if (!existsSync(join(year, 'done'))) writeYear(year, calls);
  const parsed = parseSettings(() => undefined).settings;
  const settings = { ...parsed, sources: { ...parsed.sources, dirs: { ...parsed.sources.dirs, claude: [corpus.claudeDir, year] } } };
  const store = { get: () => settings, onDidChange: new fake.EventEmitter<typeof settings>().event };
  const env = { HOME: work, CLAUDE_CONFIG_DIR: corpus.claudeDir, CODEX_HOME: corpus.codexDir };
  const dist = (f: string) => join(repo, 'dist', f);
  const trace = (m: string) => process.env.AM_EVENTLOOP_TRACE && console.log(`  [${performance.now().toFixed(0)} ms] ${m}`);
  const logger = { info: trace, debug: trace, warn: (m: string) => console.log(`warn: ${m}`), error: (m: string) => console.log(`error: ${m}`) };
  const make = (windowId: string) =>
    new UsageService({
      storageDir: storage, windowId, settings: store, logger, saveDebounceMs: 500,
      core: createCoreIndex({ wasmPath: dist('sql-wasm.wasm'), workerScript: dist('ingest-worker.js'), indexWorkerScript: dist('index-worker.js'), env, home: work, logger }),
    });
  const old = 'getDatabase' in UsageService.prototype;
  console.log(`code: ${repo} (${old ? 'index on the host thread' : 'index worker'}); corpus ${((corpus.manifest.claude.bytes + corpus.manifest.codex.bytes) / 1e6).toFixed(0)} MB + ${calls} calls over a year`);

  const mon = new LoopMonitor();
  const rows: [string, number, { delay: number; busy: number }][] = [];
  const phase = async (label: string, fn: () => Promise<void>) => {
    mon.take();
    const t0 = performance.now();
    await fn();
    rows.push([label, performance.now() - t0, mon.take()]);
  };
  const dbFile = join(storage, 'usage-index.sqlite');
  const a = make('window-A');
  await phase('writer: first index', async () => {
    await a.start();
    await a.whenReady();
  });
  await phase('writer: save', async () => {
    await until(() => existsSync(dbFile), 60_000);
    await wait(300);
  });
  console.log(`index file: ${(statSync(dbFile).size / 1e6).toFixed(1)} MB`);
  const b = make('window-B');
  await phase('reader: first load', async () => {
    await b.start();
    await b.whenReady();
  });
  const target = join(corpus.claudeDir, 'projects', 'eventloop-bench', 'append.jsonl');
  mkdirSync(join(target, '..'), { recursive: true });
  await phase('append: ingest, save, reader reload', async () => {
    let changed = false;
    const sub = b.onDidChange(() => (changed = true));
    appendFileSync(target, freshClaudeLines(2000));
    await a.refresh();
    await until(() => changed, 30_000);
    sub.dispose();
  });
  const nowMs = Date.now();
  await phase('status bar summary', async () => {
    await statusSummary(a, settings, nowMs, old);
  });
  await phase('dashboard snapshot (all facts)', async () => {
    await dashboardSnapshot(a, settings, nowMs, old);
  });
  mon.stop();
  await b.shutdown();
  await a.shutdown();
  rmSync(join(target, '..'), { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (a loaded machine inflates the delays, not the busy times)`);
  console.log('phase'.padEnd(40) + 'took ms'.padStart(10) + 'worst delay ms'.padStart(16) + 'worst busy ms'.padStart(16));
  for (const [l, took, w] of rows) console.log(l.padEnd(40) + took.toFixed(0).padStart(10) + w.delay.toFixed(0).padStart(16) + w.busy.toFixed(0).padStart(16));
  const worst = (k: 'delay' | 'busy') => Math.round(Math.max(...rows.map((r) => r[2][k])));
  console.log(`BENCH_EVENTLOOP ${JSON.stringify({ repo, old, mb, worstDelayMs: worst('delay'), worstBusyMs: worst('busy'), phases: rows.map(([l, t, w]) => ({ phase: l, ms: Math.round(t), worstDelayMs: Math.round(w.delay), worstBusyMs: Math.round(w.busy) })) })}`);
}

type Svc = InstanceType<typeof UsageService>;
type Settings = ReturnType<typeof parseSettings>['settings'];

/** What the status bar computes: through the index worker, or (old code) from the database on this thread. */
async function statusSummary(svc: Svc, s: Settings, nowMs: number, old: boolean): Promise<void> {
  const q = { nowMs, timeZone: s.timeZone, weekStart: s.weekStart, billingCycleStartDay: s.budgets.billingCycleStartDay, budgets: s.budgets, priceOverrides: s.priceOverrides };
  if (!old) {
    await svc.index.statusSummary(q);
    return;
  }
  const db = (svc as unknown as { getDatabase(): import('sql.js').Database }).getDatabase();
  const facts = src('core/query/facts') as typeof import('../../src/core/query/facts');
  const sum = src('app/status/statusSummary') as typeof import('../../src/app/status/statusSummary');
  const { createPriceTable } = src('core/pricing/priceTable') as typeof import('../../src/core/pricing/priceTable');
  const since = sum.statusFactsSince(nowMs, q);
  const projects = new Map(facts.loadProjects(db).map((p) => [p.project, p.displayPath]));
  sum.summarizeStatus({
    ...q, facts: facts.loadFacts(db, { sinceMs: since }), prices: createPriceTable(s.priceOverrides), rateLimits: facts.loadLatestRateLimits(db),
    limitResets: facts.loadLimitResets(db, since), displayPathOf: (p) => projects.get(p),
  });
}

/** What the dashboard computes for its first snapshot (all facts loaded). */
async function dashboardSnapshot(svc: Svc, s: Settings, nowMs: number, old: boolean): Promise<void> {
  const { DEFAULT_FILTERS } = src('shared/protocol') as typeof import('../../src/shared/protocol');
  const ctx = { filters: DEFAULT_FILTERS, nowMs, locale: 'en', settings: s, status: svc.getStatus() };
  if (!old) {
    await svc.index.dashboardSnapshot({ ...ctx, priceOverrides: s.priceOverrides, reload: true });
    return;
  }
  const db = (svc as unknown as { getDatabase(): import('sql.js').Database }).getDatabase();
  const fd = src('app/dashboard/fromDatabase') as typeof import('../../src/app/dashboard/fromDatabase');
  const { createPriceTable, priceTableDate } = src('core/pricing/priceTable') as typeof import('../../src/core/pricing/priceTable');
  fd.snapshotFrom(fd.loadDashboardData(db, nowMs), { ...ctx, table: createPriceTable(s.priceOverrides), priceTableDate });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
