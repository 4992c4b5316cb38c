import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { factAt } from '../factAt';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import {
  customRange, defaultExportName, exportRows, parseExportArgs, presetRange, rowsToCsv, rowsToJson, validateDay,
} from '../../../src/app/export';

const prices = createPriceTable();
const TZ = 'America/New_York';
// Wednesday 2026-03-18 10:00 in New York (UTC-4 after the DST change on Mar 8)
const NOW = Date.parse('2026-03-18T14:00:00Z');

const fact = (iso: string, source: 'claude' | 'codex', model: string, t: Partial<TokenCounts>, project = '-home-me-app', session = 's1'): Fact =>
  factAt(iso, t, { source, model, project, session });

const facts: Fact[] = [
  fact('2026-03-18T03:10:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 1000, output: 500 }), // Mar 17 23:10 local
  fact('2026-03-18T13:05:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 2000, output: 1000, cacheWrite1h: 4000 }),
  fact('2026-03-18T13:10:00Z', 'codex', 'gpt-5', { input: 10_000, cacheRead: 30_000, output: 800, reasoning: 300 }, '/home/me/app', 'rollout-1'),
  fact('2026-03-18T13:10:00Z', 'claude', '=HYPERLINK("x")', { input: 10 }, '=cmd|evil', 's2'),
];

test('presets are local days in the zone: this month, last 30 days incl. today, all time', () => {
  assert.deepEqual(presetRange('all', NOW, TZ), {});
  const m = presetRange('thisMonth', NOW, TZ);
  assert.equal(new Date(m.sinceMs!).toISOString(), '2026-03-01T05:00:00.000Z'); // EST before the DST change
  assert.equal(new Date(m.untilMs!).toISOString(), '2026-03-19T04:00:00.000Z'); // end of today, EDT
  const l = presetRange('last30', NOW, TZ);
  assert.equal(new Date(l.sinceMs!).toISOString(), '2026-02-17T05:00:00.000Z');
  assert.equal(l.untilMs, m.untilMs);
});

test('custom ranges are validated: format, real dates, order', () => {
  assert.equal(validateDay('2026-03-01'), undefined);
  assert.match(validateDay('2026-02-30') ?? '', /YYYY-MM-DD/);
  assert.match(validateDay('03/01/2026') ?? '', /YYYY-MM-DD/);
  const r = customRange('2026-03-17', '2026-03-17', TZ);
  assert.equal(r.untilMs - r.sinceMs, 86_400_000);
  assert.throws(() => customRange('2026-03-18', '2026-03-17', TZ), RangeError);
});

test('non-interactive arguments: grain aliases, ranges, filters; bad values throw; no object = interactive', () => {
  assert.equal(parseExportArgs(undefined, NOW, TZ), undefined);
  assert.deepEqual(parseExportArgs({ grain: 'daily', range: 'all', path: '/tmp/x.csv' }, NOW, TZ), { grain: 'day', path: '/tmp/x.csv' });
  assert.deepEqual(parseExportArgs({ grain: 'model', range: { sinceMs: 5, untilMs: 10 }, source: 'codex', project: 'p' }, NOW, TZ), {
    grain: 'model', sinceMs: 5, untilMs: 10, source: 'codex', project: 'p',
  });
  assert.deepEqual(parseExportArgs({ grain: '15min', sinceMs: 100 }, NOW, TZ), { grain: 'bucket', sinceMs: 100 });
  const custom = parseExportArgs({ grain: 'week', range: { since: '2026-03-01', until: '2026-03-18' } }, NOW, TZ)!;
  assert.equal(new Date(custom.sinceMs!).toISOString(), '2026-03-01T05:00:00.000Z');
  assert.equal(parseExportArgs({ grain: 'day', source: 'all' }, NOW, TZ)?.source, undefined);
  assert.throws(() => parseExportArgs({ grain: 'fortnight' }, NOW, TZ), TypeError);
  assert.throws(() => parseExportArgs({ grain: 'day', range: 'yesterday' }, NOW, TZ), TypeError);
  assert.throws(() => parseExportArgs({ grain: 'day', source: 'nosuch' }, NOW, TZ), TypeError);
  assert.throws(() => parseExportArgs({ grain: 'day', range: { sinceMs: 'soon' } }, NOW, TZ), TypeError);
});

test('daily rows follow the local day; 15-minute buckets are the stored UTC buckets', () => {
  const days = exportRows(facts, 'day', prices, { timeZone: TZ, weekStart: 1 });
  assert.deepEqual(days.map((r) => [r.key, r.requests]), [['2026-03-17', 1], ['2026-03-18', 3]]);
  const buckets = exportRows(facts, 'bucket', prices, { timeZone: TZ, weekStart: 1 });
  assert.deepEqual(buckets.map((r) => [r.key, r.requests]), [
    ['2026-03-18T03:00:00.000Z', 1],
    ['2026-03-18T13:00:00.000Z', 3],
  ]);
  // sonnet: 2000*3 + 1000*15 + 4000 * (2 * 3) per million = 0.045 ; gpt-5: 10000*1.25 + 30000*0.125 + 800*10 = 0.02425
  const b = buckets[1];
  assert.equal(b.costUSD, null, 'the hostile "model" is unpriced');
  assert.ok(Math.abs(b.pricedCostUSD - (0.045 + 0.02425)) < 1e-12, String(b.pricedCostUSD));
});

test('CSV: header like the CLI, formula injection neutralised, totals equal the rows', () => {
  const rows = exportRows(facts, 'project', prices, { timeZone: TZ, weekStart: 1 }, (_source, p) => (p === '-home-me-app' ? '/home/me/app' : undefined));
  const csv = rowsToCsv(rows);
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0].split(',').slice(0, 4).join(','), 'key,source,model,requests');
  assert.ok(lines.some((l) => l.startsWith("'=cmd|evil,")), csv);
  assert.ok(!lines.some((l) => l.startsWith('=')));
  const json = JSON.parse(rowsToJson(rows, { grain: 'project', timeZone: TZ, skipped: { malformedLines: 2, duplicateLines: 7 } }));
  assert.equal(json.by, 'project');
  assert.equal(json.timezone, TZ);
  assert.deepEqual(json.skipped, { malformedLines: 2, duplicateLines: 7 });
  const sum = (k: string) => json.rows.reduce((n: number, r: Record<string, number>) => n + r[k], 0);
  for (const k of ['requests', 'inputTokens', 'outputTokens', 'cacheCreation1hTokens', 'cacheReadTokens', 'totalTokens']) assert.equal(json.totals[k], sum(k), k);
  assert.equal(json.totals.costUSD, null);
  assert.equal(typeof json.rows[0].firstTimestamp, 'string');
  assert.equal('firstMs' in json.rows[0], false);
});

test('default file name uses the local date', () => {
  assert.equal(defaultExportName('session', 'csv', Date.parse('2026-03-18T02:00:00Z'), TZ), 'agentmeter-session-2026-03-17.csv');
  assert.equal(defaultExportName('day', 'json', NOW, 'UTC'), 'agentmeter-day-2026-03-18.json');
});
