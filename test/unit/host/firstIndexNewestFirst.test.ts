/**
 * First index of a long history: the newest log files are ingested first and the views are told while the index
 * still runs, so today's usage is visible before the history is done (issue 3: "today's numbers appear within a
 * second even when the history is large"). The history here is big enough that the first index takes several
 * batches; the test checks what the first update with data shows (timings are printed, not asserted).
 */
import { keepProcessAlive } from './serviceHarness';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeVscode, EventEmitter } from './fakeVscode';
import { bundledIndexWorker } from './bundleIndexWorker';
import { parseSettings } from '../../../src/app/settingsParse';
import type { AgentMeterSettings } from '../../../src/host/usageSource';
import { nullLogger, totalTokens } from '../../../src/core/types';

installFakeVscode();
const { UsageService } = require('../../../src/host/usageService') as typeof import('../../../src/host/usageService');
const { createCoreIndex } = require('../../../src/app/coreIndex') as typeof import('../../../src/app/coreIndex');

const DAY = 86_400_000;
/** Claude Code assistant lines of one session (realistic shape incl. a long text block, as transcripts have). */
function session(id: string, cwd: string, startMs: number, calls: number, output: number): string {
  let out = '';
  for (let i = 0; i < calls; i++) {
    out += `${JSON.stringify({
      parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId: id, version: '2.0.14', gitBranch: 'main',
      type: 'assistant', uuid: `${id}-u${i}`, timestamp: new Date(startMs + i * 20_000).toISOString(), requestId: `req_${id}_${i}`,
      message: {
        id: `msg_${id}_${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: 'x'.repeat(300) }], stop_reason: 'end_turn',
        usage: { input_tokens: 10, output_tokens: output, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 },
      },
    })}\n`;
  }
  return out;
}

test('first index: today\'s usage is shown by a mid-index update, before the history is in', async () => {
  const root = mkdtempSync(join(tmpdir(), 'am-newest-'));
  const home = join(root, 'home');
  const projects = join(home, '.claude', 'projects', '-home-me-app');
  mkdirSync(projects, { recursive: true });
  const now = Date.now();
  // a year of history: 700 sessions of 60 calls (~30 MB): a first index of a few batches (real ones are far bigger)
  const HISTORY = 700;
  for (let k = 0; k < HISTORY; k++) {
    const t = now - (2 + (k % 360)) * DAY;
    const f = join(projects, `hist-${k}.jsonl`);
    writeFileSync(f, session(`hist-${k}`, '/home/me/app', t, 60, 50));
    utimesSync(f, new Date(t + 3_600_000), new Date(t + 3_600_000));
  }
  const todayFile = join(projects, 'today.jsonl');
  writeFileSync(todayFile, session('today', '/home/me/app', now - 30 * 60_000, 3, 5000));
  const todayTokens = 3 * (10 + 5000 + 100 + 1000);
  const historyTokens = HISTORY * 60 * (10 + 50 + 100 + 1000);

  const settings: AgentMeterSettings = parseSettings(() => undefined).settings;
  const store = { get: () => settings, onDidChange: new EventEmitter<AgentMeterSettings>().event };
  const core = createCoreIndex({ wasmPath: '', workerScript: '', indexWorkerScript: await bundledIndexWorker(), env: { HOME: home }, home, logger: nullLogger });
  const svc = keepProcessAlive(new UsageService({ storageDir: join(root, 'storage'), windowId: 'N', settings: store, logger: nullLogger, core, saveDebounceMs: 50 }));
  const t0 = Date.now();
  const updates: Array<Promise<{ ms: number; today: number; all: number; indexing: boolean }>> = [];
  svc.onDidChange(() => {
    const ms = Date.now() - t0;
    const indexing = svc.getStatus().indexing;
    updates.push((async () => {
      const facts = await svc.index.loadFacts();
      const today = facts.filter((f) => f.lastMs >= now - DAY).reduce((n, f) => n + totalTokens(f), 0);
      return { ms, indexing, today, all: facts.reduce((n, f) => n + totalTokens(f), 0) };
    })());
  });
  await svc.start();
  await svc.whenReady();
  const total = Date.now() - t0;
  const seen = await Promise.all(updates);
  assert.equal((await svc.index.loadFacts()).reduce((n, f) => n + totalTokens(f), 0), todayTokens + historyTokens, 'everything in at the end');
  const firstWithData = seen.find((u) => u.all > 0);
  const trace = `updates ${JSON.stringify(seen)}, whole first index ${total} ms`;
  assert.ok(firstWithData, trace);
  assert.ok(firstWithData.indexing && firstWithData.all < todayTokens + historyTokens, `usage was shown before the history was in: ${trace}`);
  assert.equal(firstWithData.today, todayTokens, `the newest file (today) was in the first batch: ${trace}`);
  console.log(`      (today's usage first shown ${firstWithData.ms} ms after start; first index ${total} ms)`);
  await svc.shutdown();
});
