/**
 * `agentMeter.watch.usePolling` (WSL, network and container mounts where file events never arrive): switching it
 * on restarts the writer's log watcher in polling mode, and an appended line is still ingested without a manual
 * refresh. Runs the usage service with the index worker bundled as shipped.
 */
import { keepProcessAlive } from './serviceHarness';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeVscode, EventEmitter } from './fakeVscode';
import { bundledIndexWorker } from './bundleIndexWorker';
import { parseSettings } from '../../../src/app/settingsParse';
import type { AgentMeterSettings } from '../../../src/host/usageSource';
import { totalTokens, type Logger } from '../../../src/core/types';

installFakeVscode();
const { UsageService } = require('../../../src/host/usageService') as typeof import('../../../src/host/usageService');
const { createCoreIndex } = require('../../../src/app/coreIndex') as typeof import('../../../src/app/coreIndex');

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Claude Code assistant line as written to ~/.claude/projects/<project>/<session>.jsonl. */
function claudeLine(i: number, ts: string, output: number): string {
  return `${JSON.stringify({
    type: 'assistant', timestamp: ts, sessionId: 'sess-p', requestId: `req_p${i}`, cwd: '/mnt/share/app', gitBranch: 'main', isSidechain: false,
    message: {
      id: `msg_p${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 20, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 500 },
    },
  })}\n`;
}

test('usePolling: the watcher restarts in polling mode and an append is ingested without a refresh call', async () => {
  const root = mkdtempSync(join(tmpdir(), 'am-poll-'));
  const home = join(root, 'home');
  const projects = join(home, '.claude', 'projects', '-mnt-share-app');
  mkdirSync(projects, { recursive: true });
  const log = join(projects, 'sess-p.jsonl');
  appendFileSync(log, claudeLine(1, new Date(Date.now() - 60_000).toISOString(), 100));

  let settings: AgentMeterSettings = parseSettings(() => undefined).settings;
  assert.equal(settings.watchUsePolling, false, 'polling is off by default');
  const changed = new EventEmitter<AgentMeterSettings>();
  const store = { get: () => settings, onDidChange: changed.event };
  const infos: string[] = [];
  const logger: Logger = { info: (m) => infos.push(m), warn: () => {}, error: () => {}, debug: () => {} };
  const core = createCoreIndex({ wasmPath: '', workerScript: '', indexWorkerScript: await bundledIndexWorker(), env: { HOME: home }, home, logger });
  const svc = keepProcessAlive(new UsageService({ storageDir: join(root, 'storage'), windowId: 'P', settings: store, logger, core, saveDebounceMs: 50 }));
  await svc.start();
  await svc.whenReady();
  const tokens = async () => (await svc.index.loadFacts()).reduce((n, f) => n + totalTokens(f), 0);
  assert.equal(await tokens(), 620);
  const until = async (what: () => boolean | Promise<boolean>, ms: number) => {
    const t0 = Date.now();
    while (!(await what()) && Date.now() - t0 < ms) await wait(25);
    return Date.now() - t0;
  };
  await until(() => infos.some((m) => m.startsWith('watching 1 folder(s):')), 3000);
  assert.ok(infos.some((m) => m.startsWith('watching 1 folder(s):')), `events watcher started: ${infos.join(' | ')}`);

  settings = { ...settings, watchUsePolling: true };
  changed.fire(settings);
  await until(() => infos.some((m) => m.includes('(polling)')), 3000);
  assert.ok(infos.some((m) => m.startsWith('watching 1 folder(s) (polling):')), `polling watcher started: ${infos.join(' | ')}`);
  // chokidar's polling start-up walk records the current sizes first; the refresh it triggers when done is awaited
  // too, so the append below can only arrive through polling
  const pollingReady = () => infos.slice(infos.findIndex((m) => m.includes('(polling)'))).some((m) => m.startsWith('file watcher ready'));
  await until(pollingReady, 6000);
  assert.ok(pollingReady(), `the polling watcher finished its start-up walk: ${infos.join(' | ')}`);
  await wait(1500); // the ready refresh: debounce (200 ms) and the pass itself

  appendFileSync(log, claudeLine(2, new Date().toISOString(), 200));
  const took = await until(async () => (await tokens()) === 620 + 720, 6000);
  assert.equal(await tokens(), 620 + 720, 'the polling watcher saw the append');
  assert.ok(took < 4000, `polling (1 s interval) + debounce took ${took} ms`);
  await svc.shutdown();
});
