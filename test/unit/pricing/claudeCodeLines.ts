/**
 * Claude Code 2.1.2xx assistant lines, as the pricing tests write them (key order as current versions write it), and
 * what those tests do with them: parse a block of lines into calls, take a call's tokens, compare a cost.
 */
import assert from 'node:assert/strict';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import type { ClaudeCallRecord } from '../../../src/core/ingest/records';
import type { TokenCounts } from '../../../src/core/types';

/** One assistant line of `model` with message id `id` and this usage object, in session `session`. */
export function claudeCodeLine(model: string, usage: Record<string, unknown>, id: string, ts = '2026-11-20T10:00:00.000Z', session = 's'): string {
  return JSON.stringify({
    parentUuid: 'p', isSidechain: false, userType: 'external', cwd: '/home/u/proj', sessionId: session, version: '2.1.293', gitBranch: 'main',
    message: { id, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage },
    requestId: `req_${id}`, type: 'assistant', uuid: `u_${id}`, timestamp: ts,
  });
}

/** A usage object: where the request ran (`inference_geo`), its web searches, its speed, its iterations. */
export function claudeCodeUsage(u: {
  input: number;
  cw5m: number;
  read: number;
  output: number;
  geo?: string;
  searches?: number;
  speed?: string;
  iterations?: unknown[];
}): Record<string, unknown> {
  return {
    input_tokens: u.input, cache_creation_input_tokens: u.cw5m, cache_read_input_tokens: u.read, output_tokens: u.output,
    server_tool_use: { web_search_requests: u.searches ?? 0, web_fetch_requests: 0 }, service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: u.cw5m }, inference_geo: u.geo ?? 'global',
    iterations: u.iterations ?? [{ input_tokens: u.input, output_tokens: u.output, cache_read_input_tokens: u.read, cache_creation_input_tokens: u.cw5m, type: 'message' }],
    speed: u.speed ?? 'standard',
  };
}

/** Lines as a log holds them (each ended by a newline). */
export const log = (...lines: string[]): string => `${lines.join('\n')}\n`;

export function parse(text: string): ClaudeCallRecord[] {
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  return out.calls;
}

export const tokensOf = (c: ClaudeCallRecord): TokenCounts => ({
  input: c.input, output: c.output, cacheWrite5m: c.cw5m, cacheWrite1h: c.cw1h, cacheRead: c.cacheRead, reasoning: 0, webSearch: c.webSearch, requests: 1,
});

/** A cost that is priced and equal to `expected` (to floating-point error). */
export const close = (actual: number | null, expected: number, what = '') => {
  assert.notEqual(actual, null, `${what} priced`);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
};
