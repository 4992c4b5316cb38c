/**
 * The sessions, the projects table and the cost-by-project chart come from one pass over the range's rows
 * (tables.ts `rangeGroups`): the same rows as the separate passes they replace (kept here word for word as the
 * reference) — sessions whose rows fall in two projects, one session id in two sources, unpriced rows — and a
 * snapshot asked again over the same rows (the groups kept) is the snapshot made afresh, under every filter. Kept
 * across changes (keptGroups.ts): after rows replaced, added, dropped, moved, a session moving project, labels
 * changed, the groups are those one pass gives, and the groups no change touched are the same objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, type SnapshotInput } from '../../../src/app/dashboard/snapshot';
import { addRow, costOrNull, enrich, zeroSum, type Labeler, type Row, type Sum } from '../../../src/app/dashboard/enrich';
import { rangeGroups, sessionGroups } from '../../../src/app/dashboard/tables';
import { KeptGroups } from '../../../src/app/dashboard/keptGroups';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zoneClock } from '../../../src/core/report/tz';
import { SOURCE_IDS } from '../../../src/core/sources/registry';
import type { Fact, Source, TokenCounts } from '../../../src/core/types';
import { DEFAULT_FILTERS, type DashboardFilters, type LabeledValue, type ProjectRow } from '../../../src/shared/protocol';
import { fact } from '../report/facts';

const table = createPriceTable();
const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);
const NOW = Date.parse('2026-04-30T18:00:00Z');
const LABELS: Record<string, string> = { '-home-ana-shop': '/home/ana/shop', '-home-ana-api': '/home/ana/Api', '-home-ana-élan': '/home/ana/élan' };
const label: Labeler = (p) => LABELS[p] ?? p;

/** 120 sessions over 20 days; every 7th moves to another project half way, every 9th is Codex with a Claude id. */
function facts(): Fact[] {
  const out: Fact[] = [];
  const projects = [...Object.keys(LABELS), '-tmp-unlabelled'];
  const start = Date.parse('2026-04-10T06:00:00Z');
  for (let s = 0; s < 120; s++) {
    const codex = s % 9 === 4;
    const t0 = start + Math.floor(s / 6) * 24 * 3600_000 + (s % 6) * 47 * 60_000;
    const calls = 3 + (s * 5) % 9;
    for (let i = 0; i < calls; i++) {
      const moved = s % 7 === 0 && i >= calls / 2;
      out.push(fact(new Date(t0 + i * 11 * 60_000).toISOString(), {
        source: codex ? 'codex' : 'claude', session: codex ? `s${s - 1}` : `s${s}`, project: projects[(s + (moved ? 1 : 0)) % projects.length],
        model: codex ? 'gpt-5-codex' : s % 13 === 5 && i === 1 ? 'model-without-price' : i % 3 === 0 ? 'claude-opus-4-1-20250805' : 'claude-sonnet-4-5-20250929',
        input: 30 + ((s * 31 + i) % 300), output: 200 + ((s * 17 + i * 3) % 900), cacheRead: 1500 * (s % 5), cacheWrite5m: 400 * (i % 2), requests: 1 + (i % 2),
      }));
    }
  }
  return out.sort((a, b) => a.bucketStartMs - b.bucketStartMs);
}

/** The projects table before the single pass (tables.ts `projectRows` over rows), unchanged. */
function oldProjectRows(rows: Row[], lab: Labeler): ProjectRow[] {
  const by = new Map<string, { sessions: Map<Source, Set<string>>; sum: Sum; last: number; label: string }>();
  for (const r of rows) {
    let p = by.get(r.f.project);
    if (!p) {
      p = { sessions: new Map(), sum: zeroSum(), last: 0, label: lab(r.f.project, r.f.source) };
      by.set(r.f.project, p);
    }
    let ids = p.sessions.get(r.f.source);
    if (!ids) {
      ids = new Set();
      p.sessions.set(r.f.source, ids);
    }
    ids.add(r.f.session);
    if (r.f.lastMs > p.last) p.last = r.f.lastMs;
    addRow(p.sum, r);
  }
  return [...by].map(([project, p]): ProjectRow => ({
    project, label: p.label, sources: SOURCE_IDS.filter((s) => p.sessions.has(s)),
    sessions: [...p.sessions.values()].reduce((n, ids) => n + ids.size, 0), requests: p.sum.requests, tokens: p.sum.tokens, costUSD: costOrNull(p.sum), lastMs: p.last,
  })).sort((a, b) => (b.costUSD ?? -1) - (a.costUSD ?? -1) || b.tokens - a.tokens);
}

/** The cost-by-project chart before the single pass (snapshot.ts `costByProject` over rows), unchanged. */
function oldCostByProject(rows: Row[], lab: Labeler, otherLabel = 'other'): LabeledValue[] {
  const by = new Map<string, { label: string; value: number }>();
  for (const r of rows) {
    let p = by.get(r.f.project);
    if (!p) {
      p = { label: lab(r.f.project, r.f.source), value: 0 };
      by.set(r.f.project, p);
    }
    if (r.cost !== null) p.value += r.cost;
  }
  const ranked = [...by].map(([key, p]) => ({ key, label: p.label, value: p.value })).filter((p) => p.value > 0).sort((a, b) => b.value - a.value);
  const top = ranked.slice(0, 10);
  const rest = ranked.slice(10).reduce((a, p) => a + p.value, 0);
  if (ranked.length > 10) top.push({ key: '', label: otherLabel, value: rest });
  return top;
}

function input(extra: Partial<SnapshotInput>): SnapshotInput {
  return {
    facts: facts(), filters: { ...DEFAULT_FILTERS }, nowMs: NOW, locale: 'en', settings: { timeZone: 'Europe/Berlin', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 } },
    cost, priceTableDate: '2026-04-01', status: { indexing: false, lastUpdatedMs: NOW, searched: {}, notes: [] }, projectLabel: (p) => LABELS[p], ...extra,
  };
}

test('one pass gives the projects and the sessions the separate passes gave, sessions in two projects counted in each', () => {
  const rows = enrich(facts(), zoneClock('Europe/Berlin'), cost);
  const { sessions, projects } = rangeGroups(rows, label);
  assert.deepEqual(sessions, sessionGroups(rows));
  const moved = sessions.filter((s) => rows.some((r) => r.f.session === s.session && r.f.source === s.source && r.f.project !== s.project));
  assert.ok(moved.length >= 10, 'sessions with rows in two projects');
  assert.ok(rows.some((r) => r.f.source === 'codex') && sessions.some((s) => s.source === 'codex' && sessions.some((o) => o.source === 'claude' && o.session === s.session)), 'one id in two sources');
  assert.ok(rows.some((r) => r.cost === null), 'unpriced rows');
  const shop = projects.find((p) => p.project === '-home-ana-shop');
  assert.deepEqual([...(shop?.sources ?? [])].sort(), ['claude', 'codex']);
  // the chart's values are the priced rows' costs added in row order: the projects' sums, to the last bit
  for (const p of projects) assert.equal(p.sum.costUSD, rows.filter((r) => r.f.project === p.project && r.cost !== null).reduce((a, r) => a + (r.cost ?? 0), 0));
});

test('the snapshot tables and chart equal the separate passes under every filter and range, asked again or afresh', () => {
  const rows = enrich(facts(), zoneClock('Europe/Berlin'), cost);
  const projectLabel = (p: string) => LABELS[p];
  const filters: DashboardFilters[] = [
    { ...DEFAULT_FILTERS, range: 'all' }, { ...DEFAULT_FILTERS, range: '7d' }, { ...DEFAULT_FILTERS, range: 'all', source: 'codex' },
    { ...DEFAULT_FILTERS, range: 'all', project: '-home-ana-api' }, { ...DEFAULT_FILTERS, range: '30d', model: 'claude-opus-4-1-20250805' },
  ];
  for (const f of filters) {
    const inRange = (snap: ReturnType<typeof buildSnapshot>) => rows.filter((r) => (f.source === 'all' || r.f.source === f.source) && (f.project === null || r.f.project === f.project)
      && (f.model === null || r.f.model === f.model) && r.at.day >= (snap.rangeFromDay ?? "") && r.at.day <= (snap.rangeToDay ?? ""));
    const fresh = buildSnapshot(input({ filters: f }));
    const kept1 = buildSnapshot(input({ filters: f, rows, projectLabel }));
    const kept2 = buildSnapshot(input({ filters: f, rows, projectLabel }));
    const lab: Labeler = (p) => LABELS[p] ?? p;
    assert.ok(fresh.projects.length > 0, `${f.range} ${f.source} ${f.project} ${f.model}`);
    assert.deepEqual(fresh.projects, oldProjectRows(inRange(fresh), lab));
    assert.deepEqual(fresh.costByProject, oldCostByProject(inRange(fresh), lab));
    for (const k of [kept1, kept2]) {
      assert.deepEqual({ ...k, generatedMs: 0 }, { ...fresh, generatedMs: 0 });
    }
  }
});

test('groups kept across changes equal one pass over the new rows; untouched groups are kept', () => {
  const clock = zoneClock('Europe/Berlin');
  let rows = enrich(facts(), clock, cost);
  let lab: Labeler = (p) => LABELS[p] ?? p;
  const kept = new KeptGroups();
  const keptGroups = (r: readonly Row[], l: Labeler) => kept.of(r, l);
  const check = (next: Row[]) => {
    const before = keptGroups(rows, lab);
    const got = keptGroups(next, lab);
    assert.deepEqual(got, rangeGroups(next, lab));
    rows = next;
    return { before, got };
  };
  check(rows);
  const again = keptGroups(rows, lab);
  assert.deepEqual(again, rangeGroups(rows, lab));
  // one row replaced (a call appended to a session: its dims row read again)
  const r = rows[200];
  const replaced = [...rows.slice(0, 200), ...enrich([{ ...r.f, output: r.f.output + 777, requests: r.f.requests + 1 }], clock, cost), ...rows.slice(201)];
  const { before, got } = check(replaced);
  const touched = (s: { source: string; session: string }) => s.source === r.f.source && s.session === r.f.session;
  const untouched = got.sessions.filter((s) => !touched(s));
  assert.ok(untouched.length > 50 && untouched.every((s) => before.sessions.includes(s)), 'untouched sessions are the same objects');
  assert.ok(!before.sessions.includes(got.sessions.find(touched)!), 'the touched session summed again');
  assert.ok(got.projects.some((p) => before.projects.includes(p)), 'untouched projects kept');
  // a new session in a new project at the end, a row of an old session in another project in the middle
  const s7 = rows.find((x) => x.f.session === 's7')!;
  check([...rows.slice(0, 300), ...enrich([{ ...s7.f, project: '-home-ana-new', bucketStartMs: rows[300].f.bucketStartMs }], clock, cost), ...rows.slice(300),
    ...enrich([fact('2026-05-02T10:00:00Z', { session: 'fresh', project: '-tmp-fresh' })], clock, cost)]);
  // rows dropped (the first ones: the range starts later), one in the middle; a block moved
  check([...rows.slice(3, 150), ...rows.slice(151)]);
  check([...rows.slice(0, 40), ...rows.slice(60), ...rows.slice(40, 60)]);
  // labels changed: the same rows, a project labelled anew
  lab = (p) => (p === '-home-ana-api' ? '/srv/api' : LABELS[p] ?? p);
  assert.deepEqual(keptGroups(rows, lab), rangeGroups(rows, lab));
  // many rows changed (made again in one pass), then none
  check(enrich(rows.map((x) => x.f), clock, cost));
  check(rows.slice());
  check([]);
});
