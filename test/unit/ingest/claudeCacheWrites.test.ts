/**
 * Cache writes as Claude Code itself prices them (2.1.268 `bre(e,n)` and 2.1.337 `aD`/`AKn`): every
 * `cache_creation_input_tokens` token is a write; `cache_creation.ephemeral_1h_input_tokens` of them (at most the total)
 * are 1-hour writes, the rest 5-minute. Usually the breakdown adds up to the total; 2.1.337 has code for a top-level
 * breakdown that does not (`a4o`: it looks among `usage.iterations[]` for the breakdowns that add up to
 * `cache_creation_input_tokens`). Line below: 2.1.337's assistant line shape with two `message` iterations (a
 * server-side tool loop) whose top-level `cache_creation` is the last iteration's while the total is both iterations'.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claudeLineReaders, parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';

function line(usage: Record<string, unknown>): string {
  return JSON.stringify({
    parentUuid: 'p1', isSidechain: false, userType: 'external', cwd: '/home/me/work/widget', sessionId: 's1', version: '2.1.337', gitBranch: 'main',
    message: { id: 'msg_01Cw', type: 'message', role: 'assistant', model: 'claude-sonnet-5', content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn', stop_sequence: null, usage },
    apiBlockIndex: 0, requestId: 'req_011Cw', requestedModel: 'claude-sonnet-5', type: 'assistant', uuid: 'u1', timestamp: '2026-12-01T11:00:00.000Z',
  });
}

const BASE = { input_tokens: 6, cache_read_input_tokens: 50000, output_tokens: 420, server_tool_use: { web_search_requests: 1, web_fetch_requests: 0 }, service_tier: 'standard', inference_geo: 'not_available', speed: 'standard', fallback_credit: null };

function writes(usage: Record<string, unknown>): [number, number][] {
  const out: [number, number][] = [];
  for (const readers of [undefined, claudeLineReaders(false)]) {
    const o: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
    parseClaudeBlock(Buffer.from(`${line({ ...BASE, ...usage })}\n`), 0, o, readers);
    assert.equal(o.calls.length, 1);
    out.push([o.calls[0].cw5m, o.calls[0].cw1h]);
  }
  assert.deepEqual(out[0], out[1], 'the wasm scanner and the JS reader agree');
  return [out[0]];
}

test('a breakdown that does not add up to cache_creation_input_tokens: the total counts, its 1-hour part as written, the rest 5-minute', () => {
  const usage = {
    cache_creation_input_tokens: 12800,
    cache_creation: { ephemeral_1h_input_tokens: 800, ephemeral_5m_input_tokens: 0 },
    iterations: [
      { type: 'message', input_tokens: 3, output_tokens: 180, cache_read_input_tokens: 25000, cache_creation_input_tokens: 12000, cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 12000 } },
      { type: 'message', input_tokens: 3, output_tokens: 240, cache_read_input_tokens: 25000, cache_creation_input_tokens: 800, cache_creation: { ephemeral_1h_input_tokens: 800, ephemeral_5m_input_tokens: 0 } },
    ],
  };
  // was [0, 800]: the breakdown alone, 12,000 written tokens lost
  assert.deepEqual(writes(usage), [[12000, 800]]);
  // a breakdown above the total: the 1-hour part is at most the total
  assert.deepEqual(writes({ cache_creation_input_tokens: 500, cache_creation: { ephemeral_1h_input_tokens: 900, ephemeral_5m_input_tokens: 100 } }), [[0, 500]]);
});

test('a breakdown that adds up (every line seen so far), no breakdown (before mid 2025), no total: as before', () => {
  assert.deepEqual(writes({ cache_creation_input_tokens: 3000, cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 2000 } }), [[2000, 1000]]);
  assert.deepEqual(writes({ cache_creation_input_tokens: 3000 }), [[3000, 0]]);
  assert.deepEqual(writes({ cache_creation: { ephemeral_1h_input_tokens: 7, ephemeral_5m_input_tokens: 5 } }), [[5, 7]]);
  assert.deepEqual(writes({ cache_creation_input_tokens: null, cache_creation: { ephemeral_1h_input_tokens: 7, ephemeral_5m_input_tokens: 5 } }), [[5, 7]]);
  assert.deepEqual(writes({}), [[0, 0]]);
});
