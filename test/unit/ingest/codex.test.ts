import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { loadCounters, loadFacts, loadLatestRateLimits } from '../../../src/core/query/facts';
import { CODEX_EVENTS } from '../../../src/core/sources/codex/applier';
import { allPacked } from '../../../src/core/store/hashPacks';
import * as h from './helpers';

const T = (input: number, cached: number, output: number, reasoning: number) => ({ input, cached, output, reasoning });

function parse(text: string, state = {}): CodexParseOutput {
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state };
  parseCodexBlock(Buffer.from(text), 0, out);
  return out;
}
const meta = h.codexSessionMeta('2026-04-01T08:00:00.000Z', '/w/app', 'dev') + h.codexTurnContext('2026-04-01T08:00:00.100Z', 'gpt-5.3-codex');

test('cumulative deltas: re-emitted snapshots skipped, info:null is not usage, cached ⊂ input, reasoning ⊂ output', () => {
  const out = parse(
    meta +
      h.codexTokenCount('2026-04-01T08:00:01Z', null) +
      h.codexTokenCount('2026-04-01T08:01:00Z', T(1000, 800, 50, 20)) +
      h.codexTokenCount('2026-04-01T08:01:30Z', T(1000, 800, 50, 20)) + // re-emitted
      h.codexTokenCount('2026-04-01T08:02:00Z', T(1600, 1200, 90, 30), T(600, 400, 40, 10)),
  );
  assert.equal(out.duplicates, 1);
  // event 1: input 1000-800 = 200, cached 800, output 50 (incl. 20 reasoning)
  // event 2: delta (600, 400, 40, 10) → input 200, cached 400, output 40, reasoning 10
  assert.deepEqual(out.events.map((e) => [e.input, e.cacheRead, e.output, e.reasoning]), [[200, 800, 50, 20], [200, 400, 40, 10]]);
  assert.deepEqual(out.events.map((e) => [e.model, e.project, e.branch]), [['gpt-5.3-codex', '/w/app', 'dev'], ['gpt-5.3-codex', '/w/app', 'dev']]);
});

test('a decrease of the cumulative total is a reset: last_token_usage is used', () => {
  const out = parse(meta + h.codexTokenCount('2026-04-01T08:01:00Z', T(5000, 0, 500, 0)) + h.codexTokenCount('2026-04-01T08:02:00Z', T(300, 100, 30, 0), T(250, 100, 20, 0)));
  // reset event: last = (250, 100, 20) → input 150, cached 100, output 20
  assert.deepEqual(out.events.map((e) => [e.input, e.cacheRead, e.output]), [[5000, 0, 500], [150, 100, 20]]);
  assert.deepEqual(out.state.prev, [300, 100, 30, 0, 330]);
});

test('missing totals fall back to last_token_usage; a model on the event wins; no model → gpt-5 flagged', () => {
  const onlyLast = `${JSON.stringify({ timestamp: '2026-04-01T08:01:00Z', type: 'event_msg', payload: { type: 'token_count', info: { last_token_usage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 2 }, model: 'gpt-5.1-codex-max' } } })}\n`;
  const a = parse(meta + onlyLast);
  assert.deepEqual(a.events.map((e) => [e.model, e.input, e.cacheRead, e.output]), [['gpt-5.1-codex-max', 6, 4, 2]]);
  const b = parse(h.codexSessionMeta('2026-04-01T08:00:00Z', '/w') + h.codexTokenCount('2026-04-01T08:01:00Z', T(10, 0, 1, 0)));
  assert.deepEqual(b.events.map((e) => [e.model, e.fallbackModel]), [['gpt-5', true]]);
  assert.equal(b.fallbackModelEvents, 1);
});

test('rate limits: every field optional, resets_at seconds → ms, null windows', () => {
  const out = parse(
    h.codexTokenCount('2026-04-01T08:01:00Z', null, undefined, { primary: { used_percent: 42.5, window_minutes: 300, resets_at: 1775040000 }, secondary: null, plan_type: 'pro' }) +
      h.codexTokenCount('2026-04-01T08:02:00Z', null, undefined, { limit_id: 'premium', primary: null, secondary: null }) +
      h.codexTokenCount('2026-04-01T08:03:00Z', null, undefined, { primary: { used_percent: 1, resets_in_seconds: 60 } }),
  );
  assert.deepEqual(out.rateLimits[0], { observedMs: Date.parse('2026-04-01T08:01:00Z'), primary: { usedPercent: 42.5, windowMinutes: 300, resetsAtMs: 1775040000000 }, secondary: null, planType: 'pro', limitId: null });
  // the premium line has no window: it says nothing about the quota and is not kept (it would hide the real one)
  assert.equal(out.rateLimits.length, 2);
  assert.equal(out.rateLimits[1].primary?.resetsAtMs, Date.parse('2026-04-01T08:04:00Z'));
  assert.equal(out.events.length, 0);
});

test('history replayed into a fork read in a later refresh is counted once; an archived copy under another name too', async () => {
  const dir = h.tmpDir();
  const parent = meta + h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)) + h.codexTokenCount('2026-04-01T08:02:00.000Z', T(3000, 1500, 300, 0));
  h.write(join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T10-00-00-p.jsonl'), parent);
  const roots = h.rootsFor({ codex: join(dir, 'x') });
  const { db, indexer } = await h.indexOnce(roots);
  const before = h.totals(db);
  // parent: (1000-500) + (2000-1000) = 1500 input, 1500 cached, 300 output
  assert.deepEqual([before.input, before.cacheRead, before.output, before.requests], [1500, 1500, 300, 2]);
  const fork =
    h.codexSessionMeta('2026-04-01T09:00:00.000Z', '/w/app', 'dev', { forked_from_id: 'p' }) +
    h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)) +
    h.codexTokenCount('2026-04-01T08:02:00.000Z', T(3000, 1500, 300, 0)) +
    h.codexTokenCount('2026-04-01T09:05:00.000Z', T(3500, 1600, 350, 0));
  h.write(join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T11-00-00-f.jsonl'), fork);
  h.write(join(dir, 'x/archived_sessions/rollout-2026-04-01T10-00-00-p-copy.jsonl'), parent);
  await indexer.refresh();
  const after = h.totals(db);
  // only the fork's new event: (3500-3000) - (1600-1500) = 400 input, 100 cached, 50 output
  assert.deepEqual([after.input, after.cacheRead, after.output, after.requests], [1900, 1600, 350, 3]);
  assert.equal(loadCounters(db).duplicateLines, 4); // 2 replayed in the fork + 2 in the archived copy
  h.cleanup(dir);
});

test('per-file state survives between refreshes (delta against the stored previous total, model kept)', async () => {
  const dir = h.tmpDir();
  const f = h.write(join(dir, 'x/sessions/2026/04/01/rollout-a.jsonl'), meta + h.codexTokenCount('2026-04-01T08:01:00Z', T(1000, 0, 10, 0), undefined, { primary: { used_percent: 5 } }));
  const { db, indexer } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'x') }));
  h.append(f, h.codexTokenCount('2026-04-01T08:01:30Z', T(1000, 0, 10, 0)) + h.codexTokenCount('2026-04-01T08:31:00Z', T(1500, 200, 30, 0), undefined, { primary: { used_percent: 9 } }));
  await indexer.refresh();
  const facts = loadFacts(db);
  // 1000 + (500 - 200) input; 10 + 20 output; all gpt-5.3-codex from the first read's turn_context
  assert.equal(h.totals(db).input, 1300);
  assert.equal(h.totals(db).output, 30);
  assert.deepEqual([...new Set(facts.map((f) => f.model))], ['gpt-5.3-codex']);
  assert.equal(loadLatestRateLimits(db)?.primary?.usedPercent, 9);
  h.cleanup(dir);
});

test('a thread_spawn subagent file: the same-second replay burst at its start is not counted, its own usage is', () => {
  const sub = { source: { subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } } };
  const out = parse(
    h.codexSessionMeta('2026-04-01T10:00:00.100Z', '/w/app', 'dev', sub) +
      // parent's history replayed with new timestamps in the session_meta's second
      h.codexTokenCount('2026-04-01T10:00:00.200Z', T(1000, 500, 100, 0)) +
      h.codexTokenCount('2026-04-01T10:00:00.250Z', T(3000, 1500, 300, 0)) +
      h.codexTurnContext('2026-04-01T10:00:01.000Z', 'gpt-5.3-codex') +
      h.codexTokenCount('2026-04-01T10:00:09.000Z', T(3800, 1700, 350, 10)),
  );
  // only 3800-3000 = 800 input (200 cached → 600 uncached), 50 output
  assert.deepEqual(out.events.map((e) => [e.input, e.cacheRead, e.output, e.reasoning]), [[600, 200, 50, 10]]);
  assert.equal(out.duplicates, 2);
  // a normal (non-subagent) file counts an event in its first second
  const normal = parse(h.codexSessionMeta('2026-04-01T10:00:00.100Z', '/w') + h.codexTokenCount('2026-04-01T10:00:00.900Z', T(10, 0, 1, 0)));
  assert.equal(normal.events.length, 1);
});

test('a subagent replay burst that crosses into the next second is still not counted, across reads too', () => {
  const sub = { source: { subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } } };
  const head =
    h.codexSessionMeta('2026-04-01T09:05:00.998Z', '/w/app', 'dev', sub) +
    h.codexTurnContext('2026-04-01T09:05:00.998Z', 'gpt-5.3-codex') +
    h.codexTokenCount('2026-04-01T09:05:00.999Z', T(1000, 0, 100, 0), undefined, { primary: { used_percent: 12, window_minutes: 300 } }) +
    h.codexTokenCount('2026-04-01T09:05:01.000Z', T(3000, 1000, 300, 0));
  const tail =
    h.codexTokenCount('2026-04-01T09:05:01.001Z', T(3000, 1000, 300, 0)) + // re-emitted inside the replay
    h.codexTokenCount('2026-04-01T09:05:01.002Z', T(6000, 3000, 600, 0)) +
    h.codexTurnContext('2026-04-01T09:05:01.003Z', 'gpt-5.3-codex') + // the subagent's own turn
    h.codexTokenCount('2026-04-01T09:05:07.400Z', T(8000, 4000, 700, 0), undefined, { primary: { used_percent: 30, window_minutes: 300 } });
  // only the subagent's own call: 2000 input (1000 cached → 1000 uncached), 100 output
  const whole = parse(head + tail);
  assert.deepEqual(whole.events.map((e) => [e.input, e.cacheRead, e.output]), [[1000, 1000, 100]]);
  assert.equal(whole.duplicates, 4);
  // the replay's rate limits are the parent's old values under new timestamps: only the own call's are kept
  assert.deepEqual(whole.rateLimits.map((r) => [r.observedMs, r.primary?.usedPercent]), [[Date.parse('2026-04-01T09:05:07.400Z'), 30]]);
  const first = parse(head);
  assert.equal(first.events.length, 0);
  const second = parse(tail, first.state);
  assert.deepEqual(second.events.map((e) => [e.input, e.cacheRead, e.output]), [[1000, 1000, 100]]);
  // state stored by an older version (the burst's second) still ends the burst at the first late line
  const legacy = parse(tail, { ...first.state, burstMs: undefined, burst: '2026-04-01T09:05:00' });
  assert.deepEqual(legacy.events.map((e) => [e.input, e.cacheRead, e.output]), [[1000, 1000, 100]]);
  assert.equal(legacy.state.burst, undefined);
});

test('a replayed event with only last_token_usage inside the burst is not counted either', () => {
  const sub = { source: { subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } } };
  const onlyLast = (ts: string, input: number) => `${JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'token_count', info: { last_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: 5 } } } })}\n`;
  const out = parse(h.codexSessionMeta('2026-04-01T10:00:00.100Z', '/w', '', sub) + h.codexTurnContext('2026-04-01T10:00:00.100Z', 'gpt-5.3-codex') + onlyLast('2026-04-01T10:00:00.150Z', 900) + onlyLast('2026-04-01T10:00:04.000Z', 40));
  assert.deepEqual(out.events.map((e) => [e.input, e.output]), [[40, 5]]);
  assert.equal(out.duplicates, 1);
});

test('a restarted counter that rose in every field is still a reset: last_token_usage is the call', () => {
  // a short first process, then a resumed process whose counter starts again: it rose in every field, but by more
  // cached input (19000) than input (6000), which no call can do
  const out = parse(
    meta +
      h.codexTokenCount('2026-04-01T08:01:00Z', T(20000, 0, 300, 100), T(20000, 0, 300, 100)) +
      h.codexTokenCount('2026-04-01T09:00:00Z', T(26000, 19000, 500, 200), T(26000, 19000, 500, 200)) +
      h.codexTokenCount('2026-04-01T09:01:00Z', T(30000, 22000, 560, 210), T(4000, 3000, 60, 10)),
  );
  // 20000 uncached + 300 out; then the restart's own call 26000-19000 = 7000 uncached, 19000 cached, 500 out;
  // then an ordinary increment: 4000-3000 = 1000 uncached, 3000 cached, 60 out
  assert.deepEqual(out.events.map((e) => [e.input, e.cacheRead, e.output, e.reasoning]), [[20000, 0, 300, 100], [7000, 19000, 500, 200], [1000, 3000, 60, 10]]);
  // more new cached than new input cannot be an increment either (no last_token_usage: the total is the call)
  const noLast = parse(meta + h.codexTokenCount('2026-04-01T08:01:00Z', T(20000, 0, 300, 0)) + h.codexTokenCount('2026-04-01T09:00:00Z', T(21000, 5000, 400, 0)));
  assert.deepEqual(noLast.events.map((e) => [e.input, e.cacheRead, e.output]), [[20000, 0, 300], [16000, 5000, 400]]);
});

test('newest files first: history replayed into a newer fork is attributed to the parent session once the parent is read, also with a flush between the fork and its parent', async () => {
  const dir = h.tmpDir();
  const parentPath = h.write(join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T10-00-00-p.jsonl'), meta + h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)));
  const forkPath = h.write(
    join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T11-00-00-f.jsonl'),
    h.codexSessionMeta('2026-04-01T09:00:00.000Z', '/w/app', 'dev', { forked_from_id: 'p' }) +
      h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)) + // replay (before the fork started)
      h.codexTokenCount('2026-04-01T09:05:00.000Z', T(1600, 800, 150, 0)),
  );
  utimesSync(parentPath, new Date('2026-04-01T08:02:00Z'), new Date('2026-04-01T08:02:00Z'));
  utimesSync(forkPath, new Date('2026-04-01T09:06:00Z'), new Date('2026-04-01T09:06:00Z'));
  // one refresh; then flushes after every file (0) and never (1 h), with nothing of the de-dup state kept in memory
  for (const flush of [undefined, 0, 3_600_000]) {
    const db = await h.freshDb();
    const spill = flush === undefined ? {} : { maxCallsInMemory: 0 };
    await new Indexer({ db, roots: h.rootsFor({ codex: join(dir, 'x') }), ...spill }).refresh({ newestFirst: true, flushEveryMs: flush });
    const bySession = Object.fromEntries(loadFacts(db).map((f) => [f.session.slice(-1), [f.input, f.cacheRead, f.output, f.requests]]));
    // parent: 1000-500 input, 500 cached, 100 out; fork: only its own delta (600-300, 300, 50)
    assert.deepEqual(bySession, { p: [500, 500, 100, 1], f: [300, 300, 50, 1] }, `flush every ${flush ?? 'default'} ms`);
  }
  h.cleanup(dir);
});

test('an index dropped after its run (the CLI with --no-cache) writes no replay hashes and counts exactly what a kept index counts, with flushes between files', async () => {
  const dir = h.tmpDir();
  const parent =
    meta +
    h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0), undefined, { primary: { used_percent: 4, window_minutes: 300, resets_at: 1775048400 } }) +
    h.codexResponseItem('2026-04-01T08:01:30.000Z', 'done') +
    h.codexTokenCount('2026-04-01T08:02:00.000Z', T(3000, 1500, 300, 20), undefined, { primary: { used_percent: 7, window_minutes: 300, resets_at: 1775048400 } });
  const parentPath = h.write(join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T10-00-00-p.jsonl'), parent);
  // a fork replaying the parent's history, then its own call; an archived copy of the parent under another name
  const forkPath = h.write(
    join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T11-00-00-f.jsonl'),
    h.codexSessionMeta('2026-04-01T09:00:00.000Z', '/w/app', 'dev', { forked_from_id: 'p' }) +
      h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)) +
      h.codexTokenCount('2026-04-01T08:02:00.000Z', T(3000, 1500, 300, 20)) +
      h.codexTokenCount('2026-04-01T09:05:00.000Z', T(3500, 1600, 350, 20)),
  );
  const copyPath = h.write(join(dir, 'x/archived_sessions/rollout-2026-04-01T10-00-00-p-copy.jsonl'), parent);
  utimesSync(parentPath, new Date('2026-04-01T08:03:00Z'), new Date('2026-04-01T08:03:00Z'));
  utimesSync(forkPath, new Date('2026-04-01T09:06:00Z'), new Date('2026-04-01T09:06:00Z'));
  utimesSync(copyPath, new Date('2026-04-02T00:00:00Z'), new Date('2026-04-02T00:00:00Z'));
  const run = async (discardedAfterRun: boolean, flushEveryMs: number) => {
    const db = await h.freshDb();
    // newest first with a flush after every file: the fork's replay is met before its original, the copy first of all
    await new Indexer({ db, roots: h.rootsFor({ codex: join(dir, 'x') }), discardedAfterRun }).refresh({ newestFirst: true, flushEveryMs });
    return {
      facts: loadFacts(db).map((f) => [f.session.slice(-6), f.bucketStartMs, f.model, f.input, f.cacheRead, f.output, f.reasoning, f.requests]),
      counters: loadCounters(db),
      rateLimit: loadLatestRateLimits(db)?.primary?.usedPercent,
      hashes: allPacked(db, CODEX_EVENTS).length,
    };
  };
  for (const flushEveryMs of [0, 3_600_000]) {
    const kept = await run(false, flushEveryMs);
    const dropped = await run(true, flushEveryMs);
    assert.equal(kept.hashes, 3); // the parent's two events and the fork's own one
    assert.equal(dropped.hashes, 0);
    assert.deepEqual({ ...dropped, hashes: 3 }, kept, `flush every ${flushEveryMs} ms`);
    // parent 1500 input, 1500 cached, 300 output in two calls; the fork's own call once; 2 + 2 replayed lines skipped
    assert.equal(kept.counters.duplicateLines, 4);
    assert.equal(kept.rateLimit, 7);
  }
  h.cleanup(dir);
});

test('Codex ≥ 0.145 cache writes: part of input_tokens, counted as cache writes (not as uncached input), fast path or JSON.parse', () => {
  // ccusage/ccusage#1617: a codex-sdk 0.148.0 session's token_count (GPT-5.6 Terra), with its "ordinal" key; the
  // same totals are also written here without it (Codex's rollout layout, read by the fast path)
  const real =
    '{"timestamp":"2026-08-20T05:49:12.034Z","ordinal":177,"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":935040,"cached_input_tokens":875306,"cache_write_input_tokens":57610,"output_tokens":11150,"reasoning_output_tokens":1141,"total_tokens":946190},"last_token_usage":{"input_tokens":58697,"cached_input_tokens":57817,"cache_write_input_tokens":0,"output_tokens":227,"reasoning_output_tokens":9,"total_tokens":58924},"model_context_window":258400},"rate_limits":null}}';
  const next =
    '{"timestamp":"2026-08-20T05:49:40.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":995040,"cached_input_tokens":925306,"cache_write_input_tokens":66610,"output_tokens":11450,"reasoning_output_tokens":1151,"total_tokens":1006490},"last_token_usage":{"input_tokens":60000,"cached_input_tokens":50000,"cache_write_input_tokens":9000,"output_tokens":300,"reasoning_output_tokens":10,"total_tokens":60300},"model_context_window":258400},"rate_limits":null}}';
  const head = `${h.codexSessionMeta('2026-08-20T05:40:00.000Z', '/w/app')}${h.codexTurnContext('2026-08-20T05:40:00.100Z', 'gpt-5.6-terra')}`;
  for (const first of [real, real.replace('"ordinal":177,', '')]) {
    const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
    parseCodexBlock(Buffer.from(`${head}${first}\n${next}\n${next}\n`), 0, out);
    assert.equal(out.malformed, 0);
    assert.equal(out.duplicates, 1); // the re-emitted snapshot
    const got = out.events.map((e) => [e.model, e.input, e.cacheRead, e.cacheWrite, e.output, e.reasoning]);
    assert.deepEqual(got, [
      // the file's first event is its whole total: 935,040 − 875,306 cached − 57,610 written
      ['gpt-5.6-terra', 2124, 875306, 57610, 11150, 1141],
      // the increase: 60,000 in = 1,000 uncached + 50,000 cached + 9,000 written
      ['gpt-5.6-terra', 1000, 50000, 9000, 300, 10],
    ]);
    // the file state keeps the cache-write total, so the next read's increase is right
    assert.deepEqual(out.state.prev, [995040, 925306, 11450, 1151, 1006490, 66610]);
  }
});
