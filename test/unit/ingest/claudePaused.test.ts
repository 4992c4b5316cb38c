/**
 * A reply the API paused and Claude Code resumed (API resumption, in Claude Code 2.1.337, not in 2.1.268): one
 * message.id over two requests. Each content block's line carries the requestId of the request that streamed it; when
 * the reply ends, Claude Code sets the lines' `message.usage` to the last request's usage and adds
 * `message.pausedResponses` with the earlier request's usage (2.1.337's stream handler: `JC.push({limit:
 * yd.paused_limit,usage:xg,finishedBlocks:…,requestId:CB,…,resumedRequestId:kf,resumedMessageId:
 * yd.resumed_message_id})`, then `ky.message.usage=xg … ky.message.pausedResponses=JC` on every line of the reply).
 * Claude Code counts such a message as usage + Σ pausedResponses[].usage (its /stats reader: `UPe(we.message.usage,
 * we.message.pausedResponses)`). Lines below: the fields 2.1.337 writes for an assistant block (`requestedModel`,
 * `apiBlockIndex`, usage with `fallback_credit`), ids and numbers made up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { claudeLineReaders, parseClaudeBlock, type ClaudeLineReaders, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { loadFacts } from '../../../src/core/query/facts';
import { hash53 } from '../../../src/core/hash';
import * as h from './helpers';

function usage(o: { input: number; output: number; cacheRead: number; cw5m: number }) {
  return {
    input_tokens: o.input, cache_creation_input_tokens: o.cw5m, cache_read_input_tokens: o.cacheRead, output_tokens: o.output,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: o.cw5m }, inference_geo: 'not_available',
    iterations: [], speed: 'standard', fallback_credit: null,
  };
}

// request A: streamed until the API paused it (its final usage: 8192 out); request B resumed it (350 out)
const A_START = usage({ input: 3, output: 1, cacheRead: 40000, cw5m: 2000 });
const A_FINAL = usage({ input: 3, output: 8192, cacheRead: 40000, cw5m: 2000 });
const B_FINAL = usage({ input: 2, output: 350, cacheRead: 42000, cw5m: 0 });
const PAUSED = [{ limit: 'max_tokens', usage: A_FINAL, finishedBlocks: 1, requestId: 'req_011PzA', resumedRequestId: 'req_011PzB', resumedMessageId: 'msg_01PzResumed' }];

function line(o: { uuid: string; ts: string; requestId: string; block: unknown; index: number; usage: unknown; paused?: unknown }): string {
  const message: Record<string, unknown> = {
    id: 'msg_01Pz', type: 'message', role: 'assistant', model: 'claude-opus-4-8', content: [o.block],
    stop_reason: 'tool_use', stop_sequence: null, stop_details: null, usage: o.usage, context_management: null,
  };
  if (o.paused) message.pausedResponses = o.paused;
  return JSON.stringify({
    parentUuid: 'p0', isSidechain: false, userType: 'external', entrypoint: 'cli', cwd: '/home/me/work/widget', sessionId: 's1', version: '2.1.337', gitBranch: 'main',
    message, apiBlockIndex: o.index, requestId: o.requestId, requestedModel: 'claude-opus-4-8', type: 'assistant', uuid: o.uuid, timestamp: o.ts,
  });
}

const TEXT = { type: 'text', text: 'Here is the plan…' };
const TOOL = { type: 'tool_use', id: 'toolu_01Pz', name: 'Edit', input: { file_path: '/home/me/work/widget/a.ts', old_string: 'a', new_string: 'b' } };
// as written when each block's line is flushed before the reply ends: request A's line with its start usage,
// request B's (last) line with the final usage and the paused entry
const STREAMED = [
  line({ uuid: 'u1', ts: '2026-12-01T10:00:05.000Z', requestId: 'req_011PzA', block: TEXT, index: 0, usage: A_START }),
  line({ uuid: 'u2', ts: '2026-12-01T10:01:40.000Z', requestId: 'req_011PzB', block: TOOL, index: 1, usage: B_FINAL, paused: PAUSED }),
];
// as written when both lines are flushed after the reply ended: both carry the final usage and the paused entry
const SETTLED = [
  line({ uuid: 'u1', ts: '2026-12-01T10:00:05.000Z', requestId: 'req_011PzA', block: TEXT, index: 0, usage: B_FINAL, paused: PAUSED }),
  line({ uuid: 'u2', ts: '2026-12-01T10:01:40.000Z', requestId: 'req_011PzB', block: TOOL, index: 1, usage: B_FINAL, paused: PAUSED }),
];

function parse(text: string, readers?: ClaudeLineReaders): ClaudeParseOutput {
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out, readers);
  return out;
}

test('a paused entry is a copy of its own request (same message.id, its requestId); the top-level usage is the resuming request', () => {
  for (const readers of [undefined, claudeLineReaders(false)]) {
    const calls = parse(`${STREAMED[1]}\n`, readers).calls;
    assert.deepEqual(
      calls.map((c) => [c.mid === hash53('msg_01Pz'), c.rid === hash53('req_011PzB') ? 'B' : c.rid === hash53('req_011PzA') ? 'A' : c.rid, c.input, c.output, c.cacheRead, c.cw5m]),
      [
        [true, 'B', 2, 350, 42000, 0],
        [true, 'A', 3, 8192, 40000, 2000],
      ],
    );
  }
  // a line without pausedResponses is one call, as before
  assert.equal(parse(`${STREAMED[0]}\n`).calls.length, 1);
});

for (const [name, lines] of [['flushed while streaming', STREAMED], ['flushed after the reply ended', SETTLED]] as const) {
  test(`a paused and resumed reply counts both requests once each, with their final usage (lines ${name})`, async () => {
    const dir = h.tmpDir();
    try {
      const plain = h.claudeAssistant({ id: 'm2', ts: '2026-12-01T10:02:00Z', usage: { input: 5, output: 7 }, model: 'claude-opus-4-8' });
      h.write(join(dir, 'c/projects/-home-me-work-widget/s1.jsonl'), `${lines.join('\n')}\n${plain}`);
      const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, Date.parse('2026-12-02T00:00:00Z'));
      const sum = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, requests: 0 };
      for (const f of loadFacts(db, {})) {
        sum.input += f.input;
        sum.output += f.output;
        sum.cacheRead += f.cacheRead;
        sum.cacheWrite5m += f.cacheWrite5m;
        sum.requests += f.requests;
      }
      // request A (3 / 8192 / 40000 / 2000) + request B (2 / 350 / 42000 / 0) + the plain call (5 / 7)
      assert.deepEqual(sum, { input: 10, output: 8549, cacheRead: 82000, cacheWrite5m: 2000, requests: 3 });
      db.close();
    } finally {
      h.cleanup(dir);
    }
  });
}

test('a paused request takes its tier by the line\'s own rule: fast mode above 200k in Opus 4.6\'s long-context period is dated1longfast, US-only on top', () => {
  // Opus 4.6 before 2026-03-13 billed prompts above 200k at long rates, fast mode at 6x those (contextTier.ts)
  const fastLong = { ...usage({ input: 5, output: 900, cacheRead: 230_000, cw5m: 1000 }), speed: 'fast', inference_geo: 'us' };
  const paused = [{ limit: 'max_tokens', usage: fastLong, finishedBlocks: 1, requestId: 'req_011PzA', resumedRequestId: 'req_011PzB', resumedMessageId: 'msg_01PzResumed' }];
  const text = line({ uuid: 'u2', ts: '2026-02-20T10:01:40.000Z', requestId: 'req_011PzB', block: TOOL, index: 1, usage: fastLong, paused });
  const out = parse(`${text.replaceAll('claude-opus-4-8', 'claude-opus-4-6')}\n`);
  assert.equal(out.calls.length, 2);
  // the line's own request and the paused one: the same usage, the same tier
  assert.deepEqual(out.calls.map((c) => c.tier), ['dated1longfast@us', 'dated1longfast@us']);
});
