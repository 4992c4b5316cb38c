/**
 * The one-year benchmark corpus (`npm run bench -- --year`), generated here at a tiny scale: deterministic for a seed,
 * shaped like a year of heavy use (weekdays heavy, weekends light, working hours), two lines per Claude call (a
 * streaming copy, then the final usage), and a ground truth that the real index reproduces exactly, cost included.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { countClaudeCall, type ClaudeTruth } from '../../../scripts/bench/claudeTruth.mjs';
import { compareTotals, listFiles, truthCost } from '../../../scripts/bench/truth.mjs';
import { localDay, YEAR_SHAPE } from '../../../scripts/bench/yearCalendar.mjs';
import { ensureYearCorpus } from '../../../scripts/bench/yearCorpus.mjs';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { indexCorpus } from './indexCorpus';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const SCALE = 0.002; // 10 calls a weekday, 3 a weekend day
const END_DAY = '2026-06-01';

function generate(seed: number) {
  const base = mkdtempSync(join(tmpdir(), 'agentmeter-year-test-'));
  dirs.push(base);
  return ensureYearCorpus({ baseDir: base, seed, scale: SCALE, endDay: END_DAY });
}

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of listFiles(dir).sort()) h.update(relative(dir, f)).update(readFileSync(f));
  return h.digest('hex');
}

const corpus = generate(3);
const m = corpus.manifest;

interface AssistantLine { timestamp: string; message: { id: string; model: string; stop_reason: string | null; usage: Record<string, number> & { cache_creation: Record<string, number>; server_tool_use: Record<string, number> } } }
const claudeLines = (): AssistantLine[] =>
  listFiles(corpus.claudeDir).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AssistantLine));

test('the same seed gives the same year byte for byte; another seed a different one; a second ask reuses it', () => {
  const again = generate(3);
  assert.equal(digest(again.dir), digest(corpus.dir));
  assert.deepEqual(again.manifest.claude.truthByModel, m.claude.truthByModel);
  assert.notEqual(digest(generate(4).dir), digest(corpus.dir));
  assert.equal(ensureYearCorpus({ baseDir: join(corpus.dir, '..'), seed: 3, scale: SCALE, endDay: END_DAY }).generated, false);
});

test('365 days ending on the end day: weekdays heavy, weekends light, every call in local working hours', () => {
  const days = Object.keys(m.claude.callsByDay);
  assert.equal(days.length, 365);
  assert.equal(days[0], '2025-06-02');
  assert.equal(days[364], END_DAY);
  const perDay = new Map<string, number>();
  for (const l of claudeLines()) {
    const t = new Date(l.timestamp);
    assert.ok(t.getHours() >= YEAR_SHAPE.workStartHour && t.getHours() < YEAR_SHAPE.workEndHour, `${l.timestamp} outside working hours`);
    if (l.message.stop_reason !== null) perDay.set(localDay(t), (perDay.get(localDay(t)) ?? 0) + 1);
  }
  for (const day of days) {
    const dow = new Date(`${day}T12:00:00`).getDay();
    const want = Math.round((dow === 0 || dow === 6 ? YEAR_SHAPE.weekendCalls : YEAR_SHAPE.weekdayCalls) * SCALE);
    assert.equal(m.claude.callsByDay[day], want, day);
    assert.equal(perDay.get(day), want, `calls written on ${day}`);
  }
  assert.equal(m.claude.calls, days.reduce((n, d) => n + m.claude.callsByDay[d]!, 0));
  // Codex: a tenth of the calls (at least one a day)
  for (const day of days) assert.equal(m.codex.callsByDay[day], Math.max(1, Math.round(m.claude.callsByDay[day]! * YEAR_SHAPE.codexShare)));
});

test('two lines per Claude call: a streaming copy with a placeholder output, then the final usage; truth = the final lines', () => {
  const lines = claudeLines();
  assert.equal(lines.length, 2 * m.claude.calls);
  assert.equal(m.claude.lines, lines.length);
  assert.equal(m.claude.streamingCopies, m.claude.calls);
  const byId = new Map<string, AssistantLine[]>();
  for (const l of lines) byId.set(l.message.id, [...(byId.get(l.message.id) ?? []), l]);
  assert.equal(byId.size, m.claude.calls);
  const truth: Record<string, ClaudeTruth> = {};
  for (const [id, [copy, final]] of byId) {
    assert.ok(copy && final && byId.get(id)!.length === 2, id);
    assert.equal(copy.message.stop_reason, null);
    assert.notEqual(final.message.stop_reason, null);
    assert.ok(copy.message.usage.output_tokens! <= final.message.usage.output_tokens! && copy.message.usage.output_tokens! <= 31);
    const u = final.message.usage;
    countClaudeCall(truth, final.message.model, {
      input: u.input_tokens!, output: u.output_tokens!, cacheRead: u.cache_read_input_tokens!,
      cw5m: u.cache_creation.ephemeral_5m_input_tokens!, cw1h: u.cache_creation.ephemeral_1h_input_tokens!, webSearch: u.server_tool_use.web_search_requests!,
    });
  }
  assert.deepEqual(truth, m.claude.truthByModel);
});

test('the real index reproduces the ground truth exactly: tokens per source, and cost to the cent', async () => {
  const db = await indexCorpus(corpus, m.claude.files + m.codex.files);
  const facts = loadFacts(db);
  const rows = ['claude', 'codex'].map((source) => {
    const fs = facts.filter((f) => f.source === source);
    const sum = (k: 'requests' | 'input' | 'output' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead' | 'reasoning') => fs.reduce((n, f) => n + (f[k] as number), 0);
    return { source, requests: sum('requests'), input: sum('input'), output: sum('output'), cw5m: sum('cacheWrite5m'), cw1h: sum('cacheWrite1h'), cacheRead: sum('cacheRead'), reasoning: sum('reasoning') };
  });
  const cmp = compareTotals(rows, m, { claude: true, codex: true });
  assert.ok(cmp.ok, cmp.details.join('\n'));
  const table = createPriceTable();
  const want = truthCost(m);
  for (const source of ['claude', 'codex'] as const) {
    const got = facts.filter((f) => f.source === source).reduce((n, f) => n + costOf(f, f.model, f.tier, table)!, 0);
    assert.ok(Math.abs(got - want[source]) < 0.005, `${source} cost ${got} vs truth ${want[source]}`);
  }
  db.close();
});
