import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { loadCounters, loadFacts } from '../../../src/core/query/facts';
import { openIndexDatabase, saveIndexDatabase } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import * as h from './helpers';
import { claudeCallRows } from '../store/claudeCallRows';
import { allSeenCalls } from '../../../src/core/store/seenCalls';
import { hash53 } from '../../../src/core/hash';

const NOW = Date.parse('2026-05-01T00:00:00Z');
const now = () => NOW;

function parse(text: string): ClaudeParseOutput {
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  return out;
}

test('only top-level message.usage counts (progress, agent_progress and toolUseResult copies do not)', () => {
  const progress = `${JSON.stringify({ type: 'progress', data: { type: 'agent_progress', message: { type: 'assistant', message: { id: 'msg_x', model: 'claude-haiku-4-5', usage: { input_tokens: 9, output_tokens: 9 } } } }, timestamp: '2026-04-01T00:00:00Z' })}\n`;
  const toolResult = `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'r' }, toolUseResult: { totalTokens: 18, usage: { input_tokens: 9, output_tokens: 9 } }, timestamp: '2026-04-01T00:00:00Z' })}\n`;
  const out = parse(progress + toolResult + h.claudeAssistant({ id: 'm', ts: '2026-04-01T00:00:00Z', usage: { input: 1, output: 2 } }));
  assert.equal(out.calls.length, 1);
  assert.equal(out.calls[0].input, 1);
  assert.equal(out.malformed, 0);
});

test('<synthetic> and API-error lines carry no tokens; a usage limit reset time is recorded', () => {
  const syn = h.claudeAssistant({ id: 's', ts: '2026-04-01T00:00:00Z', model: '<synthetic>', usage: { input: 5, output: 5 } });
  const err = `${JSON.stringify({ type: 'assistant', isApiErrorMessage: true, message: { id: 'e', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Claude AI usage limit reached|1775000000' }], usage: { input_tokens: 3, output_tokens: 3 } }, timestamp: '2026-04-01T00:00:01Z' })}\n`;
  const out = parse(syn + err);
  assert.equal(out.calls.length, 0);
  assert.deepEqual(out.resets, [{ resetMs: 1775000000 * 1000, observedMs: Date.parse('2026-04-01T00:00:01Z') }]);
});

test('cache writes: 5m/1h from cache_creation when present, else all 5m; web searches kept; tiers', () => {
  const out = parse(
    h.claudeAssistant({ id: 'a', ts: '2026-04-01T00:00:00Z', usage: { input: 1, cw5m: 30, cw1h: 70 } }) +
      h.claudeAssistant({ id: 'b', ts: '2026-04-01T00:00:00Z', usage: { input: 1, cacheCreate: 90, webSearch: 3 } }) +
      h.claudeAssistant({ id: 'c', ts: '2026-04-01T00:00:00Z', usage: { input: 100, cw5m: 50_000, cacheRead: 149_901 } }) +
      h.claudeAssistant({ id: 'd', ts: '2026-04-01T00:00:00Z', usage: { input: 100, cw5m: 50_000, cacheRead: 149_900 } }) +
      h.claudeAssistant({ id: 'e', ts: '2026-04-01T00:00:00Z', usage: { input: 100, cacheRead: 300_000, speed: 'fast' } }),
  );
  assert.deepEqual(out.calls.map((c) => [c.cw5m, c.cw1h, c.webSearch]), [[30, 70, 0], [90, 0, 3], [50_000, 0, 0], [50_000, 0, 0], [0, 0, 0]]);
  // c: 100 + 50,000 + 149,901 = 200,001 > 200k → long; d: exactly 200,000 → standard; e: fast wins
  assert.deepEqual(out.calls.map((c) => c.tier), ['standard', 'standard', 'long', 'standard', 'fast']);
});

test('streaming copies: the larger copy arriving in a later refresh corrects the totals (also after persist/reload)', async () => {
  const dir = h.tmpDir();
  const f = h.write(join(dir, 'c/projects/p/s.jsonl'), h.claudeAssistant({ id: 'm1', ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 1, cw5m: 10, cacheRead: 100 } }));
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const SQL = await loadSqlJs();
  const dbFile = join(dir, 'index.db');
  let db = (await h.indexOnce(roots, undefined, NOW)).db;
  assert.equal(h.totals(db).output, 1);
  saveIndexDatabase(db, dbFile);
  db = openIndexDatabase(SQL, dbFile).db; // the de-dup state must come back from the file
  h.append(f, h.claudeAssistant({ id: 'm1', ts: '2026-04-20T10:00:01Z', usage: { input: 3, output: 250, cw5m: 10, cacheRead: 100 } }));
  await new Indexer({ db, roots, now }).refresh();
  const t = h.totals(db);
  assert.equal(t.output, 250); // corrected, not 1 + 250
  assert.equal(t.input, 3);
  assert.equal(t.requests, 1);
  // a smaller copy later changes nothing
  h.append(f, h.claudeAssistant({ id: 'm1', ts: '2026-04-20T10:00:02Z', usage: { input: 3, output: 5, cw5m: 10, cacheRead: 100 } }));
  await new Indexer({ db, roots, now }).refresh();
  assert.equal(h.totals(db).output, 250);
  assert.equal(loadCounters(db).duplicateLines, 2);
  h.cleanup(dir);
});

test('a resumed session copying history into a new file (later refresh) is not counted again', async () => {
  const dir = h.tmpDir();
  const l1 = h.claudeAssistant({ id: 'm1', ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 40, cacheRead: 100 } });
  const l2 = h.claudeAssistant({ id: 'm2', ts: '2026-04-20T10:01:00Z', usage: { input: 4, output: 50, cacheRead: 200 } });
  h.write(join(dir, 'c/projects/p/s1.jsonl'), l1 + l2);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const { db, indexer } = await h.indexOnce(roots, undefined, NOW);
  h.write(join(dir, 'c/projects/p/s2.jsonl'), l1 + l2 + h.claudeAssistant({ id: 'm3', ts: '2026-04-21T10:00:00Z', usage: { input: 5, output: 60 } }));
  await indexer.refresh();
  const t = h.totals(db);
  assert.equal(t.output, 150); // 40 + 50 + 60
  assert.equal(t.requests, 3);
  assert.deepEqual(loadFacts(db).map((f) => f.session), ['s1', 's2']); // history stays with the first session
  h.cleanup(dir);
});

test('a sidechain copy with the same message.id and a new requestId is the same call; the parent copy wins', async () => {
  const dir = h.tmpDir();
  const parent = h.claudeAssistant({ id: 'm1', req: 'req_1', ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 40 } });
  const side = h.claudeAssistant({ id: 'm1', req: 'req_side', sidechain: true, ts: '2026-04-20T10:00:00Z', usage: { input: 3, output: 40 } });
  // the sidechain copy is read first (its file sorts first), the parent's in a later refresh
  h.write(join(dir, 'c/projects/p/a-side/subagents/agent-1.jsonl'), side);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const { db, indexer } = await h.indexOnce(roots, undefined, NOW);
  assert.equal(loadFacts(db)[0].session, 'a-side');
  h.write(join(dir, 'c/projects/p/main.jsonl'), parent);
  await indexer.refresh();
  const facts = loadFacts(db);
  assert.equal(facts.length, 1);
  assert.equal(facts[0].session, 'main'); // moved to the non-sidechain copy
  assert.equal(facts[0].output, 40);
  assert.equal(facts[0].requests, 1);
  h.cleanup(dir);
});

test('two non-sidechain copies with the same message.id but different requestIds are two calls; a copy without requestId matches by message.id', async () => {
  const dir = h.tmpDir();
  h.write(
    join(dir, 'c/projects/p/a.jsonl'),
    h.claudeAssistant({ id: 'm1', req: 'r1', ts: '2026-04-20T10:00:00Z', usage: { input: 1, output: 5 } }) +
      h.claudeAssistant({ id: 'm1', req: 'r2', ts: '2026-04-20T10:00:01Z', usage: { input: 1, output: 7 } }),
  );
  h.write(join(dir, 'c/projects/p/b.jsonl'), h.claudeAssistant({ id: 'm2', req: 'r1', ts: '2026-04-20T10:00:00Z', usage: { input: 2, output: 5 } }) + h.claudeAssistant({ id: 'm2', req: null, ts: '2026-04-20T10:00:02Z', usage: { input: 2, output: 50 } }));
  const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, NOW);
  // m1: two calls (5 + 7); m2: one call, the larger copy (50)
  assert.equal(h.totals(db).requests, 3);
  assert.equal(h.totals(db).output, 5 + 7 + 50);
  assert.equal(loadCounters(db).duplicateLines, 1);
  h.cleanup(dir);
});

test('calls older than 35 days are compacted to the seen packs; a later copy of one is a duplicate, not a correction', async () => {
  const dir = h.tmpDir();
  const f = h.write(join(dir, 'c/projects/p/s.jsonl'), h.claudeAssistant({ id: 'old', ts: '2026-03-01T10:00:00Z', usage: { input: 3, output: 1 } }) + h.claudeAssistant({ id: 'new', ts: '2026-04-25T10:00:00Z', usage: { input: 4, output: 1 } }));
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const { db, indexer } = await h.indexOnce(roots, undefined, NOW);
  assert.deepEqual(allSeenCalls(db), [hash53('old')]);
  assert.equal(claudeCallRows(db).length, 1);
  h.append(f, h.claudeAssistant({ id: 'old', ts: '2026-03-01T10:00:01Z', usage: { input: 3, output: 99 } }) + h.claudeAssistant({ id: 'new', ts: '2026-04-25T10:00:01Z', usage: { input: 4, output: 99 } }));
  await indexer.refresh();
  assert.equal(h.totals(db).output, 1 + 99); // old: kept 1 (compacted); new: corrected to 99
  assert.equal(h.totals(db).requests, 2);
  h.cleanup(dir);
});

test('long lines: a top-level user message is skipped unscanned; nested or string look-alikes are not mistaken for it', async () => {
  const { isTopLevelUserMessage } = await import('../../../src/core/ingest/parse/claude');
  const big = 'x'.repeat(5000);
  const user = JSON.stringify({ parentUuid: 'a', isSidechain: false, cwd: '/p', message: { role: 'user', content: [{ type: 'tool_result', content: big }] }, toolUseResult: { stdout: big, usage: { input_tokens: 9, output_tokens: 9 } }, type: 'user', timestamp: '2026-04-01T00:00:00Z' });
  const fake = JSON.stringify({ parentUuid: 'a', note: '"message":{"role":"user"', data: { message: { role: 'user' } }, message: { id: 'm9', model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: big }], usage: { input_tokens: 4, output_tokens: 40 } }, requestId: 'r9', type: 'assistant', timestamp: '2026-04-01T00:00:00Z' });
  const b = (t: string) => Buffer.from(t);
  assert.equal(isTopLevelUserMessage(b(user), 0, user.length), true);
  assert.equal(isTopLevelUserMessage(b(fake), 0, fake.length), false);
  const out = parse(`${user}\n${fake}\n`);
  assert.deepEqual(out.calls.map((c) => [c.input, c.output]), [[4, 40]]);
});

test('an equal copy in another file (a resumed conversation\'s copied history) is counted once, in the first (project, session) in path order, whatever order the files are read in', async () => {
  const ts = '2026-04-20T10:00:00.000Z';
  const call = (session: string, cwd: string) => h.claudeAssistant({ id: 'msg_shared', req: 'req_shared', ts, session, cwd, usage: { input: 3, output: 412, cw5m: 1000, cacheRead: 14000 } });
  const own = (id: string, session: string, cwd: string) => h.claudeAssistant({ id, ts: '2026-04-20T11:00:00.000Z', session, cwd, usage: { input: 5, output: 7 } });
  const places: string[][] = [];
  for (const olderFirst of [true, false]) {
    const dir = h.tmpDir();
    try {
      const a = h.write(join(dir, 'projects/-home-u-alpha/aaaa.jsonl'), call('aaaa', '/home/u/alpha') + own('msg_a', 'aaaa', '/home/u/alpha'));
      const b = h.write(join(dir, 'projects/-home-u-beta/bbbb.jsonl'), call('bbbb', '/home/u/beta') + own('msg_b', 'bbbb', '/home/u/beta'));
      // the first index reads the newest file first: once alpha's, once beta's
      const [older, newer] = olderFirst ? [a, b] : [b, a];
      utimesSync(older, new Date('2026-04-20T12:00:00Z'), new Date('2026-04-20T12:00:00Z'));
      utimesSync(newer, new Date('2026-04-21T12:00:00Z'), new Date('2026-04-21T12:00:00Z'));
      const db = await h.freshDb();
      const indexer = new Indexer({ db, roots: h.rootsFor({ claude: dir }), now });
      await indexer.refresh({ newestFirst: true });
      const facts = loadFacts(db).filter((f) => f.cacheRead === 14000);
      places.push(facts.map((f) => `${f.project} ${f.session} ${f.requests}`));
      assert.equal(h.totals(db).input, 3 + 5 + 5, 'the shared call once');
      await indexer.dispose();
      db.close();
    } finally {
      h.cleanup(dir);
    }
  }
  assert.deepEqual(places, [['-home-u-alpha aaaa 1'], ['-home-u-alpha aaaa 1']]);
});

test('an equal copy arriving in a later refresh moves the call to the first file in path order; a copy in a later file leaves it', async () => {
  const dir = h.tmpDir();
  try {
    const ts = '2026-04-20T10:00:00.000Z';
    const call = (session: string, cwd: string) => h.claudeAssistant({ id: 'msg_shared', req: 'req_shared', ts, session, cwd, usage: { input: 3, output: 412 } });
    h.write(join(dir, 'projects/-home-u-beta/bbbb.jsonl'), call('bbbb', '/home/u/beta'));
    const { db, indexer } = await h.indexOnce(h.rootsFor({ claude: dir }), undefined, NOW);
    const where = () => loadFacts(db).filter((f) => f.output === 412).map((f) => f.project);
    assert.deepEqual(where(), ['-home-u-beta']);
    h.write(join(dir, 'projects/-home-u-gamma/cccc.jsonl'), call('cccc', '/home/u/gamma'));
    await indexer.refresh();
    assert.deepEqual(where(), ['-home-u-beta'], 'gamma sorts after beta');
    h.write(join(dir, 'projects/-home-u-alpha/aaaa.jsonl'), call('aaaa', '/home/u/alpha'));
    await indexer.refresh();
    assert.deepEqual(where(), ['-home-u-alpha'], 'alpha sorts first: the call moves, counted once');
    assert.equal(h.totals(db).output, 412);
    await indexer.dispose();
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
