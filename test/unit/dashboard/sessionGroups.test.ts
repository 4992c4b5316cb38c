import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anomalies } from '../../../src/app/dashboard/insights';
import { enrich } from '../../../src/app/dashboard/enrich';
import { sessionGroups } from '../../../src/app/dashboard/tables';
import { sessionRows } from '../../../src/app/dashboard/sessionTable';
import { unusualSessions } from '../../../src/core/limits/anomalies';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zoneClock } from '../../../src/core/report/tz';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { fact } from '../report/facts';

/**
 * The sessions table and the unusual sessions read one pass over the range's rows (`sessionGroups`): the unusual
 * sessions are exactly the core rule's over the rows themselves (same costs to the last bit, same order), and each
 * session row sums its rows (two sessions with the same id under Claude and Codex stay apart).
 */
const table = createPriceTable();
const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);

/** 30 sessions over two days, two models and branches each; s7 and s19 pay far more per request; s23 has an unpriced model. */
function facts(): Fact[] {
  const out: Fact[] = [];
  const start = Date.parse('2026-04-01T07:00:00Z');
  for (let i = 0; i < 900; i++) {
    const s = i % 30;
    const ms = start + i * 3 * 60_000;
    const heavy = s === 7 || s === 19;
    out.push(fact(new Date(ms).toISOString(), {
      session: `s${s}`, project: s % 2 ? '-home-ana-shop' : '-home-ana-api', branch: Math.floor(i / 30) % 4 ? 'main' : `feat-${s}`,
      source: s === 11 ? 'codex' : 'claude',
      model: s === 23 && Math.floor(i / 30) % 3 === 0 ? 'some-model-without-price' : s === 11 ? 'gpt-5-codex' : Math.floor(i / 30) % 5 ? 'claude-sonnet-4-5-20250929' : 'claude-opus-4-1-20250805',
      input: 10 + (i % 13), output: heavy ? 9000 + i : 300 + (i % 17) * 11, cacheRead: 20_000 + 37 * i, cacheWrite5m: 500 * (i % 3), requests: 1 + (i % 2),
    }));
  }
  // a Codex session with the id of a Claude one
  out.push(fact('2026-04-02T09:00:00Z', { source: 'codex', session: 's3', model: 'gpt-5-codex', input: 5, output: 7 }));
  return out.sort((a, b) => a.bucketStartMs - b.bucketStartMs);
}

test('unusual sessions from the session groups equal the core rule over the rows', () => {
  const rows = enrich(facts(), zoneClock('UTC'), cost);
  const map = new Map(rows.map((r) => [r.f, r.cost]));
  const expected = unusualSessions(rows.map((r) => r.f), (f) => map.get(f) ?? null).slice(0, 10);
  assert.deepEqual(expected.map((s) => s.session).sort(), ['s19', 's7']);
  const got = anomalies(rows, sessionGroups(rows), 'UTC', '2026-04-01', '2026-04-02', (p) => `~/${p}`).filter((a) => a.kind === 'session');
  assert.deepEqual(got, expected.map((s) => ({ kind: 'session', key: s.session, source: s.source, label: `~/${s.project}`, costUSD: s.costPerRequest, thresholdUSD: s.threshold })));
});

test('session rows sum their rows per source and session, newest first, with their branches and models', () => {
  const rows = enrich(facts(), zoneClock('UTC'), cost);
  const { sessions, sessionsTotal } = sessionRows(sessionGroups(rows), (p) => p, 500);
  assert.equal(sessionsTotal, 31);
  const codexS3 = sessions.find((s) => s.source === 'codex' && s.session === 's3')!;
  assert.equal(codexS3.requests, 1);
  assert.deepEqual(codexS3.models, ['gpt-5-codex']);
  const s7 = sessions.find((s) => s.source === 'claude' && s.session === 's7')!;
  const mine = rows.filter((r) => r.f.source === 'claude' && r.f.session === 's7');
  let c = 0;
  for (const r of mine) c += r.cost!;
  assert.equal(s7.costUSD, c);
  assert.equal(s7.requests, mine.reduce((n, r) => n + r.f.requests, 0));
  assert.deepEqual(s7.branches, ['feat-7', 'main']);
  assert.deepEqual(s7.models, ['claude-opus-4-1-20250805', 'claude-sonnet-4-5-20250929']);
  assert.equal(sessions.find((s) => s.session === 's23')!.costUSD, null, 'unpriced usage: cost unknown');
  assert.deepEqual(sessions.map((s) => s.startMs), [...sessions.map((s) => s.startMs)].sort((a, b) => b - a));
  assert.equal(sessionRows(sessionGroups(rows), (p) => p, 5).sessions.length, 5);
});
