import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer, type IngestResult } from '../../../src/core/ingest/indexer';
import { loadCounters, loadFacts } from '../../../src/core/query/facts';
import * as h from './helpers';
import { allSeenCalls } from '../../../src/core/store/seenCalls';
import { allPacked } from '../../../src/core/store/hashPacks';
import { CODEX_EVENTS } from '../../../src/core/sources/codex/applier';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { claudeCallRows } from '../store/claudeCallRows';

/**
 * The de-dup state of a refresh is spilled out of memory at every flush (claudeDedup.ts, spilledCalls.ts): the
 * outcome must be exactly the one of a refresh that keeps everything in memory. Each scenario is indexed twice —
 * once with no flush before the end and the default bound, once flushing after every file and keeping no call in
 * memory after a flush (maxCallsInMemory 0) — and everything stored is compared, plus the expected figures of the hand-made cases.
 */
const NOW = Date.parse('2026-05-01T00:00:00Z');
const T = (input: number, cached: number, output: number, reasoning: number) => ({ input, cached, output, reasoning });

/** Hand-made cases (expected figures asserted below) plus a bulk of sessions with copies across files. */
function writeTree(dir: string): void {
  const c = join(dir, 'c/projects/-home-u-proj');
  const a = (o: Parameters<typeof h.claudeAssistant>[0]) => h.claudeAssistant(o);
  // an old call (> 35 days before NOW) and a recent one, each only streamed here; their final copies come later
  h.write(join(c, 'a-old.jsonl'), a({ id: 'old1', ts: '2026-02-01T10:00:00Z', usage: { input: 10, output: 3, cacheRead: 1000 } }));
  h.write(join(c, 'a-rec.jsonl'), a({ id: 'rec1', ts: '2026-04-25T10:00:00Z', usage: { input: 20, output: 2, cw5m: 500 } }) + a({ id: 'rec2', ts: '2026-04-25T10:01:00Z', usage: { input: 21, output: 30 } }));
  // sidechain copy (new requestId) read before the parent's copy (its directory sorts first)
  h.write(join(c, 'b-side/subagents/agent-1.jsonl'), a({ id: 'sc1', req: 'req_side', sidechain: true, ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 40 } }));
  h.write(join(c, 'c-main.jsonl'), a({ id: 'sc1', req: 'req_1', ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 40 } }) + a({ id: 'own', ts: '2026-04-20T10:05:00Z', usage: { input: 4, output: 44 } }));
  // one message.id, two requestIds (two calls); later a copy without requestId matches the first of them
  h.write(join(c, 'd-multi.jsonl'), a({ id: 'dup', req: 'r1', ts: '2026-04-20T11:00:00Z', usage: { input: 1, output: 5 } }) + a({ id: 'dup', req: 'r2', ts: '2026-04-20T11:00:01Z', usage: { input: 1, output: 7 } }));
  h.write(join(c, 'e-norid.jsonl'), a({ id: 'dup', req: null, ts: '2026-04-20T11:00:02Z', usage: { input: 1, output: 50 } }));
  // a better copy with an earlier timestamp moves the call to the earlier 15-minute bucket
  h.write(join(c, 'f-late.jsonl'), a({ id: 'ts1', ts: '2026-04-20T10:20:00Z', usage: { input: 5, output: 100 } }));
  h.write(join(c, 'g-early.jsonl'), a({ id: 'ts1', ts: '2026-04-20T10:10:00Z', usage: { input: 5, output: 120 } }));
  // resumed session: replays earlier calls (equal copies) and brings the final copies of old1 and rec1
  h.write(
    join(c, 'z-resume.jsonl'),
    a({ id: 'sc1', req: 'req_1', ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 40 } }) +
      a({ id: 'old1', ts: '2026-02-01T10:00:01Z', usage: { input: 10, output: 300, cacheRead: 1000 } }) +
      a({ id: 'rec1', ts: '2026-04-25T10:00:02Z', usage: { input: 20, output: 200, cw5m: 500 } }) +
      a({ id: 'new1', ts: '2026-04-26T09:00:00Z', usage: { input: 7, output: 70 } }),
  );
  // bulk: sessions over 90 days, each call streamed then final; some final copies only in the next session's
  // file (a resumed session), some sidechain copies in a subagent file
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let s = 0; s < 30; s++) {
    let text = '';
    let side = '';
    for (let k = 0; k < 12; k++) {
      const id = `b${s}_${k}`;
      const ts = new Date(Date.parse('2026-02-01T00:00:00Z') + (s * 3 + k / 12) * 86_400_000).toISOString();
      const u = { input: 1 + rnd(9), output: 10 + rnd(900), cw5m: rnd(3) === 0 ? rnd(4000) : 0, cw1h: rnd(4) === 0 ? rnd(2000) : 0, cacheRead: rnd(90_000) };
      text += a({ id, ts, model: k % 3 === 0 ? 'claude-opus-4-6' : undefined, session: `s${s}`, usage: { ...u, output: 1 + rnd(8) } });
      const final = a({ id, ts, session: `s${s}`, model: k % 3 === 0 ? 'claude-opus-4-6' : undefined, usage: u });
      if (k % 5 === 4 && s < 29) h.write(join(c, `bulk${String(s + 1).padStart(2, '0')}-carry${k}.jsonl`), final);
      else text += final;
      if (k % 4 === 1) side += a({ id, req: `req_side_${id}`, sidechain: true, ts, usage: u });
    }
    h.write(join(c, `bulk${String(s).padStart(2, '0')}.jsonl`), text);
    if (side) h.write(join(c, `bulk${String(s).padStart(2, '0')}/subagents/agent-${s}.jsonl`), side);
  }
  // Codex: a parent and a fork replaying its history (read after it)
  const meta = h.codexSessionMeta('2026-04-01T08:00:00.000Z', '/w/app', 'main') + h.codexTurnContext('2026-04-01T08:00:00.000Z', 'gpt-5.3-codex');
  h.write(join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T10-00-00-p.jsonl'), meta + h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)) + h.codexTokenCount('2026-04-01T08:02:00.000Z', T(3000, 1500, 300, 0)));
  h.write(
    join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T11-00-00-f.jsonl'),
    h.codexSessionMeta('2026-04-01T09:00:00.000Z', '/w/app', 'dev', { forked_from_id: 'p' }) +
      h.codexTokenCount('2026-04-01T08:01:00.000Z', T(1000, 500, 100, 0)) +
      h.codexTokenCount('2026-04-01T08:02:00.000Z', T(3000, 1500, 300, 0)) +
      h.codexTokenCount('2026-04-01T09:05:00.000Z', T(3500, 1600, 350, 0)),
  );
}

/** Everything a refresh stores that de-dup decides. */
function stored(db: Database): unknown {
  const rows = (sql: string) => db.exec(sql)[0]?.values ?? [];
  return {
    facts: loadFacts(db),
    calls: (() => {
      const session = new Map(rows(`SELECT d.id, d.session FROM ${DIMS_AS_TEXT} d`).map(([id, s]) => [Number(id), s]));
      return claudeCallRows(db)
        .map(([mid, rid, side, ts, dim, ...figures]) => [mid, rid, side, ts, session.get(dim), ...figures.slice(0, 6)])
        .sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]));
    })(),
    seen: allSeenCalls(db),
    codex: allPacked(db, CODEX_EVENTS),
    counters: loadCounters(db),
  };
}

interface Variant {
  db: Database;
  indexer: Indexer;
  results: IngestResult[];
  flushEveryMs: number;
}

async function variant(dir: string, spill: boolean): Promise<Variant> {
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots: h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') }), now: () => NOW, maxCallsInMemory: spill ? 0 : undefined });
  return { db, indexer, results: [], flushEveryMs: spill ? 0 : 3_600_000 };
}

async function refresh(v: Variant): Promise<void> {
  v.results.push(await v.indexer.refresh({ flushEveryMs: v.flushEveryMs }));
}

const factOf = (db: Database, session: string) => loadFacts(db).filter((f) => f.session === session);
const sum = (facts: { output: number; requests: number }[]) => facts.reduce((t, f) => [t[0] + f.output, t[1] + f.requests], [0, 0]);

test('spilling the de-dup state after every file changes no outcome: streamed/final copies across files, sidechain copies, resumed replays, better copies after the spill, old and recent calls', async () => {
  const dir = h.tmpDir();
  writeTree(dir);
  const whole = await variant(dir, false);
  const spilled = await variant(dir, true);
  await refresh(whole);
  await refresh(spilled);
  assert.deepEqual(stored(spilled.db), stored(whole.db));
  // every Claude call stays in memory without a bound (records: 3 Codex events; dup: two calls, one message.id)
  assert.equal(whole.results[0].peakCallsInMemory, whole.results[0].records - 3 - 1);
  assert.ok(spilled.results[0].peakCallsInMemory <= 12, `${spilled.results[0].peakCallsInMemory}`); // one file's calls

  const db = spilled.db;
  // old1 and rec1: the final copies in z-resume (read after the streamed ones were spilled) replaced them, and the
  // calls moved with them (the kept copy's session); old1 was then compacted (> 35 days), rec1 stays correctable
  assert.deepEqual(sum(factOf(db, 'a-old')), [0, 0]);
  assert.deepEqual(sum(factOf(db, 'a-rec')), [30, 1]);
  assert.deepEqual(sum(factOf(db, 'z-resume')), [300 + 200 + 70, 3]);
  // sc1: the parent's copy won over the sidechain copy read first; the replay in z-resume counted nothing
  assert.deepEqual(sum(factOf(db, 'b-side')), [0, 0]);
  assert.deepEqual(sum(factOf(db, 'c-main')), [40 + 44, 2]);
  // dup: two calls; the copy without requestId replaced the first one kept (5 → 50), not the second (7)
  assert.deepEqual(sum([...factOf(db, 'd-multi'), ...factOf(db, 'e-norid')]), [50 + 7, 2]);
  // ts1: the better, earlier copy moved the call to the 10:00 bucket
  const ts1 = [...factOf(db, 'f-late'), ...factOf(db, 'g-early')].filter((f) => f.requests > 0);
  assert.deepEqual(ts1.map((f) => [f.bucketStartMs, f.output]), [[Date.parse('2026-04-20T10:00:00Z'), 120]]);
  const calls = claudeCallRows(db).length;
  const seen = allSeenCalls(db).length;
  assert.ok(calls > 0 && seen > 0, `${calls} recent, ${seen} compacted`);
  // Codex: the fork's replayed history counted once (parent 1500/300 + the fork's own 400/50)
  const codex = h.totals(db, { source: 'codex' });
  assert.deepEqual([codex.input, codex.output, codex.requests], [1900, 350, 3]);

  // a later refresh over the stored state: a better copy of a recent call (in claude_packs), a copy of a compacted
  // one, a replay of calls spilled in the first refresh, new calls
  const c = join(dir, 'c/projects/-home-u-proj');
  h.append(join(c, 'a-rec.jsonl'), h.claudeAssistant({ id: 'rec2', ts: '2026-04-25T10:01:05Z', usage: { input: 21, output: 300 } }));
  h.append(join(c, 'a-old.jsonl'), h.claudeAssistant({ id: 'old1', ts: '2026-02-01T10:00:05Z', usage: { input: 10, output: 999, cacheRead: 1000 } }));
  h.write(join(c, 'y-again.jsonl'), readFileSync(join(c, 'bulk03.jsonl'), 'utf8') + h.claudeAssistant({ id: 'new2', ts: '2026-04-27T09:00:00Z', usage: { input: 8, output: 80 } }));
  await refresh(whole);
  await refresh(spilled);
  assert.deepEqual(stored(spilled.db), stored(whole.db));
  assert.deepEqual(sum(factOf(db, 'a-rec')), [300, 1]); // rec2 corrected from claude_packs (30 → 300)
  assert.deepEqual(sum(factOf(db, 'a-old')), [0, 0]); // old1 compacted: a duplicate, not a correction
  assert.deepEqual(sum(factOf(db, 'z-resume')), [300 + 200 + 70, 3]);
  assert.deepEqual(sum(factOf(db, 'y-again')), [80, 1]);
  h.cleanup(dir);
});

test('the de-dup holds a bounded number of calls while indexing many: the bound plus one file', async () => {
  const dir = h.tmpDir();
  const files = 60;
  const perFile = 25;
  for (let f = 0; f < files; f++) {
    let text = '';
    for (let k = 0; k < perFile; k++) {
      const ts = new Date(Date.parse('2026-03-01T00:00:00Z') + (f * perFile + k) * 600_000).toISOString();
      text += h.claudeAssistant({ id: `m${f}_${k}`, ts, usage: { input: 1, output: 1 } }) + h.claudeAssistant({ id: `m${f}_${k}`, ts, usage: { input: 1, output: 10 + k } });
      // the first call of the file read 6 files (150 calls) earlier, replayed: it was spilled by then
      if (k === 0 && f >= 6) text += h.claudeAssistant({ id: `m${f - 6}_0`, ts, usage: { input: 1, output: 10 } });
    }
    h.write(join(dir, `c/projects/p/s${String(f).padStart(3, '0')}.jsonl`), text);
  }
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const bounded = await h.freshDb();
  const r = await new Indexer({ db: bounded, roots, now: () => NOW, maxCallsInMemory: 100 }).refresh({ flushEveryMs: 3_600_000 });
  const unbounded = await h.freshDb();
  const u = await new Indexer({ db: unbounded, roots, now: () => NOW }).refresh({ flushEveryMs: 3_600_000 });
  assert.equal(r.records, files * perFile);
  assert.equal(u.peakCallsInMemory, files * perFile); // without a bound every call of the refresh stays in memory
  assert.ok(r.peakCallsInMemory <= 100 + perFile, `${r.peakCallsInMemory} calls in memory at once`);
  assert.deepEqual(stored(bounded), stored(unbounded));
  assert.equal(h.totals(bounded).output, files * (perFile * 10 + (perFile * (perFile - 1)) / 2));
  h.cleanup(dir);
});

test('calls kept in memory across trims (small bounds, a flush after every file) are found, replaced and spilled as with no bound', async () => {
  const dir = h.tmpDir();
  writeTree(dir);
  // one message.id with two requestIds (two calls) read last in its file, so that a trim keeps both copies in memory;
  // better copies of each in the next files
  const c = join(dir, 'c/projects/-home-u-two');
  const a = (id: string, req: string, min: number, output: number) => h.claudeAssistant({ id, req, ts: `2026-04-28T10:${String(min).padStart(2, '0')}:00Z`, usage: { input: 1, output } });
  h.write(join(c, 'k1.jsonl'), a('f1', 'q1', 0, 1) + a('f2', 'q2', 1, 2) + a('f3', 'q3', 2, 3) + a('two', 'r1', 3, 5) + a('two', 'r2', 4, 7));
  h.write(join(c, 'k2.jsonl'), a('two', 'r2', 4, 70) + a('f4', 'q4', 5, 4));
  h.write(join(c, 'k3.jsonl'), a('two', 'r1', 3, 50));
  const whole = await variant(dir, false);
  await refresh(whole);
  assert.deepEqual(sum(['k1', 'k2', 'k3'].flatMap((s) => factOf(whole.db, s))), [1 + 2 + 3 + 4 + 70 + 50, 6]);
  for (const bound of [1, 2, 3, 4, 5, 9]) {
    const db = await h.freshDb();
    const indexer = new Indexer({ db, roots: h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') }), now: () => NOW, maxCallsInMemory: bound });
    const r = await indexer.refresh({ flushEveryMs: 0 });
    assert.deepEqual(stored(db), stored(whole.db), `bound ${bound}`);
    assert.ok(r.peakCallsInMemory <= bound + 12, `bound ${bound}: ${r.peakCallsInMemory}`);
  }
  h.cleanup(dir);
});
