import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCounters, loadLatestRateLimits, loadLimitResets, loadProjects, loadRateLimitSamples, loadFacts } from '../../../src/core/query/facts';
import { indexOnce, rootsFor, totals } from './helpers';

/** The committed fixture tree test/fixtures/basic: totals hand-computed in test/fixtures/README.md. */
const base = join(__dirname, '../../fixtures/basic');
const roots = rootsFor({ claude: join(base, 'claude'), codex: join(base, 'codex') });

test('fixture basic: Claude totals (de-dup, ignored copies, 5m/1h, web search, tiers)', async () => {
  const { db } = await indexOnce(roots);
  const c = totals(db, { source: 'claude' });
  // A1 3 + A2 5 + A3 4 + A4 10 + A5 1000 + S1 7 + B1 2
  assert.equal(c.input, 1031);
  // 412 (final copy, not the placeholder 8) + 150 + 60 + 100 + 500 + 70 + 40
  assert.equal(c.output, 1332);
  // 1000 + 200 + 700 (no breakdown → 5m) + 100
  assert.equal(c.cacheWrite5m, 2000);
  assert.equal(c.cacheWrite1h, 300);
  // 14000 + 15000 + 0 + 2000 + 250000 + 3000 + 1000
  assert.equal(c.cacheRead, 285000);
  assert.equal(c.webSearch, 2);
  assert.equal(c.requests, 7);
  const facts = loadFacts(db, { source: 'claude' });
  assert.ok(!facts.some((f) => f.model === '<synthetic>'));
  assert.deepEqual(facts.filter((f) => f.tier === 'fast').map((f) => f.model), ['claude-opus-4-6']);
  assert.equal(totals(db, { source: 'claude' }).requests - facts.filter((f) => f.tier === 'standard').reduce((n, f) => n + f.requests, 0), 2);
  const longFact = facts.find((f) => f.tier === 'long')!;
  assert.equal(longFact.cacheRead, 250000);
  // subagent file counts under the parent session
  assert.deepEqual([...new Set(facts.filter((f) => f.project === '-home-dev-alpha').map((f) => f.session))], ['11111111-aaaa']);
  assert.deepEqual([...new Set(facts.filter((f) => f.project === '-home-dev-beta').map((f) => f.branch))], ['feature/x']);
  assert.deepEqual(loadLimitResets(db, 0), [{ resetMs: Date.parse('2026-03-10T10:00:00Z'), observedMs: Date.parse('2026-03-10T09:12:00Z') }]);
});

test('fixture basic: Codex totals (deltas, re-emitted, reset, fork replay, archived copy, fallback model)', async () => {
  const { db } = await indexOnce(roots);
  const x = totals(db, { source: 'codex' });
  // file 1: (1000-400) + (1500-1000) + reset→last (700-100) = 1700; fork new event (1000-500) = 500; fallback 200-50 = 150
  assert.equal(x.input, 2350);
  // 400 + 1000 + 100 + 500 + 50
  assert.equal(x.cacheRead, 2050);
  // 100 + 200 + 50 + 100 + 20
  assert.equal(x.output, 470);
  // 40 + 60 + 10 + 20 + 0 (inside output, display only)
  assert.equal(x.reasoning, 130);
  assert.equal(x.requests, 5);
  const facts = loadFacts(db, { source: 'codex' });
  assert.deepEqual([...new Set(facts.map((f) => f.model))].sort(), ['gpt-5', 'gpt-5.3-codex']);
  const gamma = facts.find((f) => f.project === '/home/dev/gamma')!;
  assert.equal(new Date(gamma.bucketStartMs).toISOString(), '2026-03-01T23:30:00.000Z'); // line time, not the 03-02 in the name
  assert.equal(facts.find((f) => f.project === '/home/dev/alpha')!.branch, 'main');
  const latest = loadLatestRateLimits(db)!;
  assert.equal(latest.primary?.usedPercent, 35);
  assert.equal(latest.secondary?.windowMinutes, 10080);
  assert.equal(latest.primary?.resetsAtMs, 1773147600 * 1000);
  assert.equal(latest.planType, 'plus');
  // samples: one per 15-minute bucket (09:00 bucket keeps its newest, 09:05 → 20%), the 09:30 one
  assert.deepEqual(loadRateLimitSamples(db, 0).map((s) => s.primary?.usedPercent), [20, 35]);
});

test('fixture basic: counters and projects', async () => {
  const { db } = await indexOnce(roots);
  // Claude: A1 placeholder copy, sidechain copy of A2, resumed copy of A1 = 3; Codex: 1 re-emitted + 3 replayed = 4
  assert.deepEqual(loadCounters(db), { malformedLines: 2, duplicateLines: 7, codexFallbackModelEvents: 1 });
  const projects = loadProjects(db);
  assert.deepEqual(
    projects.map((p) => `${p.source}:${p.project}=${p.displayPath}`),
    ['claude:-home-dev-alpha=/home/dev/alpha', 'claude:-home-dev-beta=/home/dev/beta', 'codex:/home/dev/alpha=/home/dev/alpha', 'codex:/home/dev/gamma=/home/dev/gamma'],
  );
});
