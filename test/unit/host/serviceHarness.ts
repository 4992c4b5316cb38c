/**
 * Windows (UsageService) over a real index worker whose calls can be delayed and counted, a foreign writer that holds
 * the lock, and helpers to read a saved index: for tests of races between refreshes, saves, rebuilds and role changes.
 */
import { mkdtempSync, mkdirSync, appendFileSync, readFileSync, writeFileSync, renameSync, copyFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { installFakeVscode, EventEmitter } from './fakeVscode';
import { bundledIndexWorker } from './bundleIndexWorker';
import { parseSettings } from '../../../src/app/settingsParse';
import type { AgentMeterSettings } from '../../../src/host/usageSource';
import type { CoreIndexApi, IndexUpdate } from '../../../src/app/indexApi';
import { nullLogger, totalTokens, type Logger } from '../../../src/core/types';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { loadFacts } from '../../../src/core/query/facts';
import { readIndexCopy } from '../../../src/core/store/persist';
import { journalPathOf } from '../../../src/core/store/indexJournal';

installFakeVscode();
export const { UsageService } = require('../../../src/host/usageService') as typeof import('../../../src/host/usageService');
const { createCoreIndex } = require('../../../src/app/coreIndex') as typeof import('../../../src/app/coreIndex');
export type Svc = InstanceType<typeof UsageService>;

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function claudeLine(i: number, ts: string, output: number): string {
  return `${JSON.stringify({
    type: 'assistant', timestamp: ts, sessionId: 'sess-1', requestId: `req_${i}`, cwd: '/home/me/app', gitBranch: 'main', isSidechain: false,
    message: {
      id: `msg_${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 10, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000 },
    },
  })}\n`;
}

/** Hooks a test can set on a window's core: delays, and call counters. */
export interface Hooks {
  refreshDelayMs: number;
  openWritableDelayMs: number;
  /** delay per index method (e.g. openReadOnly) */
  delays: Record<string, number>;
  calls: Record<string, number>;
  /** the most calls of a method that were in flight at once */
  maxInFlight: Record<string, number>;
  logListeners: Set<(paths?: string[]) => void>;
  /** what the worker's watcher would report: these files changed (undefined = look at every file) */
  fireLogsChanged(paths?: string[]): void;
  logs: string[];
  /** every update the index worker pushed, in order */
  updates: IndexUpdate[];
}

export function setup() {
  const root = mkdtempSync(join(tmpdir(), 'am-review-'));
  const home = join(root, 'home');
  const projects = join(home, '.claude', 'projects', '-home-me-app');
  mkdirSync(projects, { recursive: true });
  const log = join(projects, 'sess-1.jsonl');
  const t = Date.now() - 60_000;
  appendFileSync(log, claudeLine(1, new Date(t).toISOString(), 100) + claudeLine(2, new Date(t + 1000).toISOString(), 200));
  const storage = join(root, 'globalStorage');
  const settings: AgentMeterSettings = parseSettings(() => undefined).settings;
  const store = { get: () => settings, onDidChange: new EventEmitter<AgentMeterSettings>().event };
  const make = async (windowId: string, o: { storageDir?: string; saveDebounceMs?: number; periodicCheckMs?: number; indexWorkerScript?: string; statusExtraCostMs?: number; fold?: { afterIdleMs?: number; journalFromBytes?: number } } = {}) => {
    const logs: string[] = [];
    const logger: Logger = {
      info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`),
      error: (m) => logs.push(`error ${m}`), debug: (m) => logs.push(`debug ${m}`),
    };
    const real = createCoreIndex({ wasmPath: '', workerScript: '', indexWorkerScript: o.indexWorkerScript ?? (await bundledIndexWorker()), env: { HOME: home }, home, logger, statusExtraCostMs: o.statusExtraCostMs });
    const hooks: Hooks = {
      refreshDelayMs: 0, openWritableDelayMs: 0, delays: {}, calls: {}, maxInFlight: {}, logListeners: new Set(), logs, updates: [],
      fireLogsChanged: (paths) => { for (const l of [...hooks.logListeners]) l(paths); },
    };
    const inFlight: Record<string, number> = {};
    const count = (m: string) => (hooks.calls[m] = (hooks.calls[m] ?? 0) + 1);
    const index = new Proxy(real.index, {
      get(target, prop: string) {
        const fn = (target as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[prop];
        if (typeof fn !== 'function') return fn;
        return async (...a: unknown[]) => {
          count(prop);
          if (prop === 'refresh' && hooks.refreshDelayMs) await wait(hooks.refreshDelayMs);
          if (prop === 'openWritable' && hooks.openWritableDelayMs) await wait(hooks.openWritableDelayMs);
          inFlight[prop] = (inFlight[prop] ?? 0) + 1;
          hooks.maxInFlight[prop] = Math.max(hooks.maxInFlight[prop] ?? 0, inFlight[prop]);
          try {
            if (hooks.delays[prop]) await wait(hooks.delays[prop]);
            return await fn(...a);
          } finally {
            inFlight[prop]--;
          }
        };
      },
    });
    const core: CoreIndexApi = {
      discover: real.discover,
      index,
      // the worker's watcher is replaced by the test's own "logs changed" events
      onLogsChanged: (l) => {
        hooks.logListeners.add(l);
        const d = real.onLogsChanged(l);
        return { dispose: () => { hooks.logListeners.delete(l); d.dispose(); } };
      },
      onIndexUpdate: (l) => real.onIndexUpdate((u) => {
        hooks.updates.push(u);
        l(u);
      }),
      onIndexLost: real.onIndexLost,
      dispose: real.dispose,
    };
    const svc = new UsageService({
      storageDir: o.storageDir ?? storage, windowId, settings: store, logger, core,
      lockTimings: { heartbeatMs: 100, staleMs: 600, settleMs: 20, pollMs: 50 }, saveDebounceMs: o.saveDebounceMs ?? 50, periodicCheckMs: o.periodicCheckMs, fold: o.fold,
    });
    keepProcessAlive(svc);
    return { svc, hooks };
  };
  return { root, home, log, storage, make };
}

/**
 * The extension host never exits while a window is open. In a test, awaiting a window (a reader waiting for the
 * writer's first save through the follower's unref'd poll, a writer polling for a reader's rebuild request, say) could
 * see node exit with only unref'd handles left: the window keeps this process alive until it is shut down or disposed
 * (60 s at most).
 */
export function keepProcessAlive<T extends { shutdown(): Promise<void>; dispose(): void }>(svc: T): T {
  const keepAlive = setTimeout(() => {}, 60_000);
  const shutdown = svc.shutdown.bind(svc);
  svc.shutdown = async () => {
    try {
      await shutdown();
    } finally {
      clearTimeout(keepAlive);
    }
  };
  const dispose = svc.dispose.bind(svc);
  svc.dispose = () => {
    clearTimeout(keepAlive);
    dispose();
  };
  return svc;
}

/** Tokens in the window's index (-1 before there is one). */
export async function tokensIn(svc: Svc): Promise<number> {
  if (!svc.hasData()) return -1;
  return (await svc.index.loadFacts()).reduce((n, f) => n + totalTokens(f), 0);
}

/** Tokens in a saved index file (-1 when missing). */
export async function tokensInFile(path: string): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return -1;
  }
  const SQL = await loadSqlJs();
  // as another window reads it: the file and the writer's journal since it was written whole
  let journal: Buffer | undefined;
  try {
    journal = readFileSync(journalPathOf(path));
  } catch {
    journal = undefined;
  }
  const db = readIndexCopy(SQL, bytes, journal);
  try {
    return loadFacts(db).reduce((n, f) => n + totalTokens(f), 0);
  } finally {
    db.close();
  }
}

/**
 * Another window (same host, live pid) that holds the lock: writes its record with a fresh heartbeat, and keeps
 * it fresh until stopped. The window under test then steps down at its next heartbeat / stays a reader.
 */
export function foreignWriter(lockPath: string): { stop(): void } {
  const write = () => {
    const tmp = `${lockPath}.foreign.tmp`;
    writeFileSync(tmp, JSON.stringify({ pid: process.pid, windowId: 'foreign-window', hostname: hostname(), heartbeatMs: Date.now() }));
    renameSync(tmp, lockPath);
  };
  write();
  const t = setInterval(write, 50);
  return { stop: () => clearInterval(t) };
}

/** Atomically puts `src` in place of `dest` (as the foreign writer's save would). */
export function atomicCopy(src: string, dest: string): void {
  copyFileSync(src, `${dest}.foreign-save`);
  renameSync(`${dest}.foreign-save`, dest);
}

export async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await cond()) return true;
    await wait(25);
  }
  return cond();
}

export { nullLogger };

/**
 * The index worker wrapped so that a test can make it crash: after `crashNext()`, the next request makes the worker
 * thread exit with code 7 (as an uncaught error or running out of memory would end it).
 */
export async function crashableIndexWorker(): Promise<{ script: string; crashNext(): void }> {
  const real = await bundledIndexWorker();
  const dir = mkdtempSync(join(tmpdir(), 'am-crashy-'));
  const flag = join(dir, 'crash-next');
  const script = join(dir, 'crashy-index-worker.js');
  writeFileSync(script, [
    "const { parentPort } = require('node:worker_threads');",
    "const fs = require('node:fs');",
    `parentPort.on('message', () => { if (fs.existsSync(${JSON.stringify(flag)})) { fs.rmSync(${JSON.stringify(flag)}); process.exit(7); } });`,
    `require(${JSON.stringify(real)});`,
  ].join('\n'));
  return { script, crashNext: () => writeFileSync(flag, '') };
}
