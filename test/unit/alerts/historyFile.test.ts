import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertHistoryFile, ALERT_HISTORY_FILE } from '../../../src/app/alerts/historyFile';
import { entryFromAlert, HISTORY_CAP } from '../../../src/app/alerts/history';
import { evaluateBudgetAlerts } from '../../../src/core/limits/alerts';
import { emptyAlertState } from '../../../src/core/limits/alertState';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { summarizeStatus } from '../../../src/app/status/statusSummary';
import { factAt } from '../factAt';

/** The alert history file: entries from real budget alerts survive a restart (a new reader), capped, never torn. */
const dir = mkdtempSync(join(tmpdir(), 'agentmeter-alert-history-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('alerts recorded by one window are read back by a new one (a restart), with time, rule, value and threshold', async () => {
  const path = join(dir, 'a', ALERT_HISTORY_FILE);
  const NOW = Date.parse('2026-03-18T12:00:00Z');
  // Sonnet input at $3/M: $3 on Tuesday + $0.264 today = 81.6 % of a $4 week (since Mon Mar 16)
  const summary = summarizeStatus({
    facts: [factAt('2026-03-17T09:00:00Z', { input: 1_000_000 }, {}, 60_000), factAt('2026-03-18T10:05:00Z', { input: 2000, output: 8000 }, {}, 60_000),
      factAt('2026-03-18T11:00:00Z', { input: 1000, output: 9000 }, {}, 60_000)],
    prices: createPriceTable(), nowMs: NOW, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1,
    budgets: { weeklyUsd: 4, thresholds: [50, 80, 100] }, rateLimits: null, planLimit: null,
  });
  const fired = evaluateBudgetAlerts(summary.budgets, emptyAlertState(), NOW).fire;
  assert.equal(fired.length, 1);
  await new AlertHistoryFile(path).append(fired.map((a) => entryFromAlert(a, NOW)));

  const restarted = new AlertHistoryFile(path);
  const back = await restarted.read();
  assert.equal(back.length, 1);
  assert.equal(back[0].timeMs, NOW);
  assert.equal(back[0].rule, 'budget');
  assert.equal(back[0].threshold, 80);
  assert.ok(Math.abs(back[0].value! - 81.6) < 1e-9);
  assert.match(back[0].message, /Weekly budget: \$3\.26 of \$4\.00/);
  assert.deepEqual(readdirSync(join(dir, 'a')), [ALERT_HISTORY_FILE]); // no temp file left
});

test('capped: the newest entries are kept, oldest dropped; a damaged file reads as empty (one warning) and is replaced', async () => {
  const path = join(dir, 'b', ALERT_HISTORY_FILE);
  const warnings: string[] = [];
  const file = new AlertHistoryFile(path, (m) => warnings.push(m), 5);
  const e = (i: number) => ({ timeMs: 1_000 * i, rule: 'codexQuota' as const, severity: 'warning' as const, value: 80 + i, threshold: 80, message: `m${i}`, key: `k${i}` });
  // appends that overlap run one after another: none is lost to another's read-modify-write
  await Promise.all([1, 2, 3, 4].map((i) => file.append([e(i)])));
  const after = await file.append([e(5), e(6), e(7)]);
  assert.deepEqual(after.map((x) => x.message), ['m3', 'm4', 'm5', 'm6', 'm7']);
  assert.deepEqual((await new AlertHistoryFile(path, undefined, 5).read()).map((x) => x.message), ['m3', 'm4', 'm5', 'm6', 'm7']);
  assert.equal(HISTORY_CAP, 500);

  writeFileSync(path, '{"v":1,"entries":[{"timeMs":1,"rule":"budget","message":"kept"},{"rule":"nonsense"}]}');
  assert.deepEqual((await file.read()).map((x) => x.message), ['kept']); // the malformed entry alone is dropped
  writeFileSync(path, '{"v":1,"entries":[{"timeMs":1,"rule":"bud');
  assert.deepEqual(await file.read(), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /not valid JSON/);
  await file.append([e(9)]);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).entries.map((x: { message: string }) => x.message), ['m9']);
});
