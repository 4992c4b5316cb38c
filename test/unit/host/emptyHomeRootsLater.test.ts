/**
 * A fresh install: HOME has no agent logs yet. The dashboard's empty state lists where logs are expected; then the
 * user runs Codex for the first time (`~/.codex/sessions/YYYY/MM/DD/rollout-….jsonl` appears after start-up): the
 * writer's periodic discovery picks the new root up, ingests it, and watches it (a later append arrives through
 * the log watcher, without a manual refresh).
 */
import { keepProcessAlive } from './serviceHarness';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { installFakeVscode, EventEmitter } from './fakeVscode';
import { bundledIndexWorker } from './bundleIndexWorker';
import { parseSettings } from '../../../src/app/settingsParse';
import type { AgentMeterSettings } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';
import { nullLogger, totalTokens } from '../../../src/core/types';

installFakeVscode();
const { UsageService } = require('../../../src/host/usageService') as typeof import('../../../src/host/usageService');
const { createCoreIndex } = require('../../../src/app/coreIndex') as typeof import('../../../src/app/coreIndex');

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Codex CLI rollout as written to ~/.codex/sessions: session_meta, turn_context, cumulative token_count events. */
function codexRollout(cwd: string, startMs: number, turns: Array<{ input: number; cached: number; output: number }>): { id: string; lines: string[] } {
  const id = randomUUID();
  let t = startMs;
  const ts = () => {
    t += 1000;
    return new Date(t).toISOString();
  };
  const lines: object[] = [
    { timestamp: ts(), type: 'session_meta', payload: { id, timestamp: ts(), cwd, originator: 'codex_cli_rs', cli_version: '0.98.0', source: 'cli', model_provider: 'openai' } },
    { timestamp: ts(), type: 'turn_context', payload: { cwd, approval_policy: 'on-request', sandbox_policy: { mode: 'workspace-write' }, model: 'gpt-5-codex', effort: 'medium', summary: 'auto' } },
  ];
  const total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  for (const turn of turns) {
    const last = { input_tokens: turn.input, cached_input_tokens: turn.cached, output_tokens: turn.output, reasoning_output_tokens: 0, total_tokens: turn.input + turn.output };
    for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += last[k];
    lines.push({ timestamp: ts(), type: 'event_msg', payload: { type: 'user_message', message: 'go' } });
    lines.push({ timestamp: ts(), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 272000 } } });
  }
  return { id, lines: lines.map((o) => JSON.stringify(o)) };
}

test('empty HOME: the empty state says where logs are expected; a Codex root created later is found, ingested and watched', async () => {
  const root = mkdtempSync(join(tmpdir(), 'am-empty-'));
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const storage = join(root, 'globalStorage');
  const settings: AgentMeterSettings = parseSettings(() => undefined).settings;
  const store = { get: () => settings, onDidChange: new EventEmitter<AgentMeterSettings>().event };
  const core = createCoreIndex({ wasmPath: '', workerScript: '', indexWorkerScript: await bundledIndexWorker(), env: { HOME: home }, home, logger: nullLogger });
  const svc = keepProcessAlive(new UsageService({ storageDir: storage, windowId: 'W', settings: store, logger: nullLogger, core, saveDebounceMs: 50, periodicCheckMs: 300 }));
  await svc.start();
  await svc.whenReady();
  assert.equal(svc.getStatus().isWriter, true);

  const snapshot = () => svc.index.dashboardSnapshot({
    filters: DEFAULT_FILTERS, nowMs: Date.now(), locale: 'en', settings, status: svc.getStatus(), priceOverrides: {}, reload: true,
  });
  const empty = (await snapshot()).empty;
  assert.ok(empty, 'no logs: the dashboard shows its empty state');
  const looked = (id: string) => empty.searched.find((s) => s.source === id)?.dirs ?? [];
  assert.ok(looked('claude').includes(join(home, '.claude', 'projects')), `Claude roots: ${looked('claude').join(', ')}`);
  assert.deepEqual(looked('codex'), [join(home, '.codex', 'sessions'), join(home, '.codex', 'archived_sessions')]);
  assert.equal(empty.indexing, false);

  // the first Codex run after install creates ~/.codex/sessions/YYYY/MM/DD/
  const now = new Date();
  const ymd = [String(now.getFullYear()), String(now.getMonth() + 1).padStart(2, '0'), String(now.getDate()).padStart(2, '0')];
  const dir = join(home, '.codex', 'sessions', ...ymd);
  mkdirSync(dir, { recursive: true });
  const run = codexRollout(join(home, 'code', 'api'), Date.now() - 10 * 60_000, [{ input: 12000, cached: 8000, output: 900 }]);
  const file = join(dir, `rollout-${ymd.join('-')}T10-00-00-${run.id}.jsonl`);
  writeFileSync(file, `${run.lines.join('\n')}\n`);

  const tokens = async () => (await svc.index.loadFacts()).reduce((n, f) => n + totalTokens(f), 0);
  const t0 = Date.now();
  while ((await tokens()) === 0 && Date.now() - t0 < 5000) await wait(50);
  assert.equal(await tokens(), 12000 + 900, 'the new root was discovered and ingested by the periodic check');
  assert.equal((await snapshot()).empty, null, 'the empty state is gone once usage exists');
  assert.deepEqual(svc.getStatus().searched.codex.slice(0, 1), [join(home, '.codex', 'sessions')]);

  // the new root is watched too: the next turn (cumulative totals) arrives without a refresh call. The periodic
  // check (every 300 ms here) also refreshes, so it is stopped first: only the log watcher can bring the append.
  for (const t of (svc as unknown as { timers: NodeJS.Timeout[] }).timers) clearInterval(t);
  let changes = 0;
  svc.onDidChange(() => changes++);
  const more = { input_tokens: 5000, cached_input_tokens: 4000, output_tokens: 300, reasoning_output_tokens: 0, total_tokens: 5300 };
  appendFileSync(file, `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'token_count', info: {
    total_token_usage: { input_tokens: 17000, cached_input_tokens: 12000, output_tokens: 1200, reasoning_output_tokens: 0, total_tokens: 18200 },
    last_token_usage: more, model_context_window: 272000 } } })}\n`);
  const t1 = Date.now();
  while ((await tokens()) !== 18200 && Date.now() - t1 < 5000) await wait(25);
  assert.equal(await tokens(), 18200, 'the append in the new root was ingested');
  assert.ok(changes >= 1);
  await svc.shutdown();
});
