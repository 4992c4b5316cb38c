import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine, type StatusQuery } from '../../../src/app/indexWorker/engine';
import { nullLogger } from '../../../src/core/types';
import { claudeAssistant, cleanup, rootsFor, tmpDir, write } from '../ingest/helpers';
import { statusSettingsOf } from '../../../src/app/status/statusSettings';
import { parseSettings } from '../../../src/app/settingsParse';
import type { UsageStatus } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';

/**
 * The status summary's unusual-day check (the anomaly alert's input) through the index engine, on Claude Code logs in
 * their real format: today's running cost judged by the dashboard's rule gives the same day and bound as the
 * dashboard's anomalies panel, in a whole-hour zone (hourly aggregates) and a :30 zone (15-minute rows); a normal day
 * is not unusual; with the setting off the summary has no anomaly at all.
 */
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-20T15:00:00Z');
const dir = tmpDir();
after(() => cleanup(dir));
const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };

// 25 days of a few dollars a day, then today ten times as much by 09:00 UTC (a runaway loop)
let lines = '';
for (let d = 25; d >= 1; d--) {
  const day = new Date(NOW - d * DAY).toISOString().slice(0, 10);
  lines += claudeAssistant({ id: `msg_${d}_a`, ts: `${day}T09:10:00.000Z`, usage: { input: 600_000 + (d % 5) * 100_000, output: 2000 } });
  lines += claudeAssistant({ id: `msg_${d}_b`, ts: `${day}T14:40:00.000Z`, usage: { input: 400_000, output: 1000 } });
}
lines += claudeAssistant({ id: 'msg_today', ts: '2026-06-20T09:05:00.000Z', usage: { input: 10_000_000, output: 5000 } });
write(join(dir, 'claude', 'projects', '-home-u-proj', 'sess.jsonl'), lines);

async function engine(): Promise<IndexEngine> {
  const e = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  await e.openWritable(join(dir, 'index.sqlite'));
  await e.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
  await e.refresh();
  return e;
}

function query(timeZone: string, anomalies: boolean, nowMs = NOW): StatusQuery {
  const settings = parseSettings((k) => ({ timeZone, 'alerts.anomalies': anomalies } as Record<string, unknown>)[k]).settings;
  return { ...statusSettingsOf(settings), nowMs };
}

test('today unusual: the same day and bound as the dashboard\'s anomalies, in a whole-hour and a :30 zone', async () => {
  const e = await engine();
  for (const timeZone of ['Europe/Berlin', 'Asia/Kolkata']) {
    const s = e.statusSummary(query(timeZone, true))!;
    assert.ok(s.anomaly, timeZone);
    assert.equal(s.anomaly.day, '2026-06-20');
    assert.equal(s.anomaly.costUsd, s.today.pricedCostUSD);
    assert.ok(s.anomaly.costUsd > 5 * s.anomaly.threshold, `${s.anomaly.costUsd} over ${s.anomaly.threshold}`);
    const settings = parseSettings((k) => (k === 'timeZone' ? timeZone : undefined)).settings;
    const snap = e.dashboardSnapshot({ filters: { ...DEFAULT_FILTERS, range: '7d' }, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: true });
    const shown = snap.anomalies?.find((a) => a.kind === 'day' && a.key === '2026-06-20');
    assert.ok(shown, `the dashboard shows today as unusual (${timeZone})`);
    assert.ok(Math.abs(shown.thresholdUSD - s.anomaly.threshold) < 1e-9, `${shown.thresholdUSD} vs ${s.anomaly.threshold}`);
    assert.ok(Math.abs(shown.costUSD - s.anomaly.costUsd) < 1e-9);
  }
  await e.close();
});

test('a normal day is not unusual; the setting off leaves the summary without an anomaly', async () => {
  const e = await engine();
  // yesterday at 23:00 UTC: its cost is within the bound of the days before
  const normal = e.statusSummary(query('UTC', true, NOW - DAY + 8 * 3_600_000))!;
  assert.ok(normal.today.pricedCostUSD > 0);
  assert.equal(normal.anomaly, null);
  // today again (the baseline is read again for the new day)
  assert.equal(e.statusSummary(query('UTC', true))!.anomaly?.day, '2026-06-20');
  const off = e.statusSummary(query('UTC', false))!;
  assert.equal('anomaly' in off, false);
  assert.equal(statusSettingsOf(parseSettings(() => undefined).settings).anomalies, undefined, 'off by default');
  await e.close();
});
