import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { loadCounters } from '../../../src/core/query/facts';
import { nullLogger } from '../../../src/core/types';
import * as h from './helpers';

/**
 * Forked and spawned Codex threads. Codex writes a fork's copied parent history into the new rollout right after its
 * session_meta, each line stamped with the time it is written (openai/codex rollout/src/recorder.rs at b505ee80:
 * `JsonlWriter::write_rollout_item` uses `OffsetDateTime::now_utc()`; core `record_initial_history`,
 * InitialHistory::Forked → `persist_rollout_items`), and seeds the fork's token counter with the parent's last totals
 * (`set_token_info(last_token_info_from_rollout(…))`). Lines below are in Codex's layout (serde key order, ordinals
 * as Codex ≥ 0.145 writes them).
 */

function parse(text: string, state = {}): CodexParseOutput {
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state };
  parseCodexBlock(Buffer.from(text), 0, out);
  return out;
}

let ordinal = 0;
const line = (timestamp: string, type: string, payload: unknown) => `${JSON.stringify({ timestamp, ordinal: ordinal++, type, payload })}\n`;
type U = [input: number, cached: number, output: number, reasoning: number];
const usage = ([input, cached, output, reasoning]: U) => ({ input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: input + output });
const tokenCount = (ts: string, total: U, last: U) =>
  line(ts, 'event_msg', { type: 'token_count', info: { total_token_usage: usage(total), last_token_usage: usage(last), model_context_window: 258400 }, rate_limits: null });
const sessionMeta = (ts: string, id: string, extra: Record<string, unknown>) =>
  line(ts, 'session_meta', { id, ...extra, timestamp: ts, cwd: '/home/dev/app', originator: 'codex_cli_rs', cli_version: '0.148.0', source: 'cli', model_provider: 'openai', git: { commit_hash: 'c0ffee1', branch: 'main', repository_url: 'git@example.com:dev/app.git' } });
const turnContext = (ts: string) => line(ts, 'turn_context', { cwd: '/home/dev/app', approval_policy: 'on-request', sandbox_policy: { type: 'workspace-write' }, model: 'gpt-5.5', effort: 'medium', summary: 'auto' });
const userMessage = (ts: string, text: string) => line(ts, 'event_msg', { type: 'user_message', message: text, images: [] });

const PARENT = '019af3c2-0a11-7c40-8e2b-5d1f6a9b3e01';
// the parent: two calls
const parentHistory = (at: (k: number) => string) =>
  sessionMeta(at(0), PARENT, {}) +
  turnContext(at(1)) +
  userMessage(at(2), 'add the parser') +
  tokenCount(at(3), [20149, 9984, 5, 0], [20149, 9984, 5, 0]) +
  tokenCount(at(4), [43884, 20480, 11, 0], [23735, 10496, 6, 0]);

test('codex fork: the parent history copied in under the fork time is not counted; the fork\'s own call is', () => {
  // `codex fork <id> "ping"` (PokeTokenBar#128's pair, ccusage#1370): child session_meta with forked_from_id, then the
  // parent's lines stamped 2026-11-30T10:00:00.4xx, then the fork's own turn
  const ms = (k: number) => `2026-11-30T10:00:00.${410 + k}Z`;
  const fork =
    sessionMeta('2026-11-30T10:00:00.400Z', '019af3d9-77aa-7e51-9b02-c4e1d2f3a4b5', { forked_from_id: PARENT }) +
    parentHistory(ms) +
    turnContext('2026-11-30T10:00:12.900Z') +
    userMessage('2026-11-30T10:00:12.901Z', 'ping') +
    tokenCount('2026-11-30T10:00:15.320Z', [65884, 40960, 20, 2], [22000, 20480, 9, 2]);
  const out = parse(fork);
  // only the own call: 22000 input of which 20480 cached → 1520 uncached; 9 output (2 reasoning)
  assert.deepEqual(out.events.map((e) => [e.input, e.cacheRead, e.output, e.reasoning]), [[1520, 20480, 9, 2]]);
  assert.equal(out.duplicates, 2);
  assert.deepEqual([out.state.project, out.state.fork, out.state.subagent], ['/home/dev/app', true, undefined]);
  // the same bytes read in two parts (the copied history first) give the same
  const cut = fork.indexOf('10:00:12.900Z');
  const head = fork.slice(0, fork.lastIndexOf('\n', cut) + 1);
  const a = parse(head);
  assert.equal(a.events.length, 0);
  const b = parse(fork.slice(head.length), a.state);
  assert.deepEqual(b.events.map((e) => [e.input, e.cacheRead, e.output, e.reasoning]), [[1520, 20480, 9, 2]]);
  // a session that is no fork counts the same history (its own)
  const plain = parse(parentHistory(ms));
  assert.deepEqual(plain.events.map((e) => [e.input, e.cacheRead, e.output]), [[20149 - 9984, 9984, 5], [23735 - 10496, 10496, 6]]);
});

test('a fork whose token counter starts from the parent\'s totals without a replayed token_count counts its calls only', () => {
  // Codex Desktop subagent (steipete/CodexBar#3524, 0.148.0-alpha.9 … 0.153.1): no token_count copied, and the first
  // total is the parent's cumulative total plus the first call
  const inherited: U = [3_150_000_000, 3_100_000_000, 7_600_000, 2_000_000];
  const first: U = [9000, 8448, 35, 12];
  const second: U = [14000, 12800, 60, 20];
  const add = (a: U, b: U) => a.map((v, i) => v + b[i]) as U;
  const spawn = {
    forked_from_id: PARENT,
    parent_thread_id: PARENT,
  };
  const child =
    line('2026-11-30T11:00:00.000Z', 'session_meta', {
      id: '019af411-3c5d-7a10-8f66-0b1c2d3e4f50',
      ...spawn,
      timestamp: '2026-11-30T11:00:00.000Z',
      cwd: '/home/dev/app',
      originator: 'Codex Desktop',
      cli_version: '0.148.0-alpha.9',
      source: { subagent: { thread_spawn: { parent_thread_id: PARENT, depth: 1, agent_nickname: 'Gauss', agent_role: 'worker' } } },
      thread_source: 'subagent',
      model_provider: 'openai',
    }) +
    sessionMeta('2026-11-30T11:00:00.002Z', PARENT, {}) + // the parent's, copied
    turnContext('2026-11-30T11:00:00.003Z') +
    userMessage('2026-11-30T11:00:00.004Z', 'copied parent prompt') +
    turnContext('2026-11-30T11:00:04.500Z') +
    tokenCount('2026-11-30T11:00:09.100Z', add(inherited, first), first) +
    tokenCount('2026-11-30T11:00:20.700Z', add(add(inherited, first), second), second);
  const out = parse(child);
  assert.deepEqual(out.events.map((e) => [e.input, e.cacheRead, e.output, e.reasoning]), [[9000 - 8448, 8448, 35, 12], [14000 - 12800, 12800, 60, 20]]);
  assert.equal(out.state.subagent, true);
  // a counter that started from zero (CodexBar#2193: first total = last) is counted the same
  const fromZero = parse(
    sessionMeta('2026-11-30T12:00:00.000Z', 'c2', { forked_from_id: PARENT }) + turnContext('2026-11-30T12:00:03.000Z') + tokenCount('2026-11-30T12:00:08.000Z', first, first),
  );
  assert.deepEqual(fromZero.events.map((e) => [e.input, e.cacheRead, e.output]), [[9000 - 8448, 8448, 35]]);
  // without last_token_usage the total is all there is
  const onlyTotal = `${JSON.stringify({ timestamp: '2026-11-30T12:00:08.000Z', type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: usage(first) } } })}\n`;
  assert.deepEqual(parse(sessionMeta('2026-11-30T12:00:00.000Z', 'c3', { forked_from_id: PARENT }) + turnContext('2026-11-30T12:00:03.000Z') + onlyTotal).events.length, 1);
});

test('indexed: a parent and its fork (copied history under new timestamps) count the parent once and the fork\'s own call', async () => {
  const dir = h.tmpDir();
  const ms = (k: number) => `2026-11-30T09:00:0${k}.000Z`;
  h.write(join(dir, `x/sessions/2026/11/30/rollout-2026-11-30T10-00-00-${PARENT}.jsonl`), parentHistory(ms));
  const fork =
    sessionMeta('2026-11-30T10:00:00.400Z', 'f1', { forked_from_id: PARENT }) +
    parentHistory((k) => `2026-11-30T10:00:00.${410 + k}Z`) +
    turnContext('2026-11-30T10:00:12.900Z') +
    tokenCount('2026-11-30T10:00:15.320Z', [65884, 40960, 20, 2], [22000, 20480, 9, 2]);
  h.write(join(dir, 'x/sessions/2026/11/30/rollout-2026-11-30T11-00-00-f1.jsonl'), fork);
  const { db } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'x') }));
  const t = h.totals(db);
  // parent: 10165 + 13239 uncached, 9984 + 10496 cached, 5 + 6 output; fork: 1520, 20480, 9
  assert.deepEqual([t.input, t.cacheRead, t.output, t.requests], [10165 + 13239 + 1520, 9984 + 10496 + 20480, 20, 3]);
  assert.equal(loadCounters(db).duplicateLines, 2);
  h.cleanup(dir);
});

test('an index of Codex parser version 1 (forks counted in full) is taken back and read again once, with its replay hashes', async () => {
  const dir = h.tmpDir();
  const ms = (k: number) => `2026-11-30T09:00:0${k}.000Z`;
  h.write(join(dir, `x/sessions/2026/11/30/rollout-2026-11-30T10-00-00-${PARENT}.jsonl`), parentHistory(ms));
  const fork = sessionMeta('2026-11-30T10:00:00.400Z', 'f1', { forked_from_id: PARENT }) + parentHistory((k) => `2026-11-30T10:00:00.${410 + k}Z`);
  h.write(join(dir, 'x/sessions/2026/11/30/rollout-2026-11-30T11-00-00-f1.jsonl'), fork);
  const roots = h.rootsFor({ codex: join(dir, 'x') });
  const { db } = await h.indexOnce(roots);
  const version = () => db.exec("SELECT value FROM meta WHERE key = 'sourceVersion:codex'")[0]?.values[0]?.[0];
  assert.equal(version(), '2');
  const right = h.totals(db);
  // an index written by version 1 has no version recorded: Codex is taken back whole (its replay hashes too, or every
  // event read again would be a replay and count nothing) and read again, to the same figures
  db.run("DELETE FROM meta WHERE key = 'sourceVersion:codex'");
  const infos: string[] = [];
  await new Indexer({ db, roots, logger: { ...nullLogger, info: (m) => infos.push(m) } }).refresh();
  assert.deepEqual(h.totals(db), right);
  assert.equal(version(), '2');
  assert.ok(infos.includes('Codex: read again from the start (its parsers changed)'));
  h.cleanup(dir);
});
