import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodexLine, codexLineKind, readTokenCountLine, type RateLimitsMemo } from '../../../src/core/ingest/parse/codexLayout';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { rng } from '../rng';
import * as h from './helpers';

/** What readTokenCountLine must return for a line JSON.parse accepts: the keys the Codex parser reads. */
function expected(text: string): unknown {
  const j = JSON.parse(text);
  const payload: Record<string, unknown> = { type: j.payload.type, info: j.payload.info };
  if ('rate_limits' in j.payload) payload.rate_limits = j.payload.rate_limits;
  return { timestamp: j.timestamp, type: j.type, payload };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const memo = (): RateLimitsMemo => ({ text: '', value: undefined });
const read = (text: string, m = memo()) => {
  const b = Buffer.from(text);
  return readTokenCountLine(b, 0, b.length, m);
};

/** Random token_count lines: mostly Codex's own layout, often with one deviation the reader must not accept blindly. */
function randomTokenCountLine(r: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const int = () => pick([0, 1, 7, 10, 258400, 22245043, 999999999999999, Math.floor(r() * 1e9)]);
  const usage = (): Record<string, unknown> => ({
    input_tokens: int(),
    cached_input_tokens: int(),
    output_tokens: int(),
    reasoning_output_tokens: int(),
    total_tokens: int(),
  });
  const window = { primary: { used_percent: pick([0, 12.5, 87.7, 100]), window_minutes: 300, resets_at: 1779516000 }, secondary: null };
  const info: Record<string, unknown> | null = r() < 0.15 ? null : { total_token_usage: usage(), last_token_usage: usage() };
  if (info && r() < 0.8) info.model_context_window = pick([258400, null, 0]);
  const payload: Record<string, unknown> = { type: 'token_count', info };
  if (r() < 0.85) payload.rate_limits = pick([null, window, { limit_id: 'codex', limit_name: null, ...window, credits: null, plan_type: 'plus' }]);
  const line: Record<string, unknown> = { timestamp: pick(['2026-05-23T05:59:16.640Z', '2026-05-23T05:59:16Z', 'x', '']), type: 'event_msg', payload };
  let text = JSON.stringify(line);
  // one deviation in about half of the lines
  switch (Math.floor(r() * 22)) {
    case 0:
      return text.replace('"input_tokens":', '"input_tokens": '); // a space
    case 1:
      return text.replace(/"output_tokens":\d+/, '"output_tokens":1.5'); // a fraction
    case 2:
      return text.replace(/"output_tokens":\d+/, '"output_tokens":-3'); // a sign
    case 3:
      return text.replace(/"total_tokens":\d+/, '"total_tokens":12345678901234567'); // 17 digits
    case 4:
      return text.replace(/"total_tokens":\d+/, '"total_tokens":0123'); // invalid JSON
    case 5:
      return text.replace('"2026', '"\\u0032026'); // an escape in the timestamp
    case 6:
      return text.replace('"cached_input_tokens":', '"cache_write_input_tokens":5,"cached_input_tokens":'); // an extra key
    case 7:
      return text.replace(/,"reasoning_output_tokens":\d+/, ''); // a missing key
    case 8:
      return `${text.slice(0, -2)},"extra":1}}`; // a key after rate_limits
    case 9:
      return text.replace('"info":', '"info" :');
    case 10:
      return `${text.slice(0, -1)} }`;
    case 11:
      if (info) text = text.replace('"model_context_window":', '"model":"gpt-5.3-codex","model_context_window":');
      return text;
    case 12:
      // Codex ≥ 0.145's cache writes, where it writes them (after cached_input_tokens): the fast path reads them
      return text.replace(/("cached_input_tokens":\d+)/g, `$1,"cache_write_input_tokens":${int()}`);
    case 13:
      return text.replace(/("cached_input_tokens":\d+)/, '$1,"cache_write_input_tokens":2.5'); // a fraction there
    default:
      return text;
  }
}

test('token_count lines in Codex layout are read exactly as JSON.parse reads them; anything else is left to JSON.parse', () => {
  const r = rng(20261122);
  const m = memo(); // shared, as in the parser: the rate_limits memo must never leak a previous line's value
  let fast = 0;
  for (let i = 0; i < 4000; i++) {
    const text = randomTokenCountLine(r);
    const got = read(text, m);
    if (got === undefined) continue;
    fast++;
    assert.ok(parsesAsJson(text), `accepted a line JSON.parse rejects: ${text}`);
    assert.deepEqual(got, expected(text), text);
  }
  assert.ok(fast > 1500, `the fast path took only ${fast} of 4000 lines`);
});

test("every line Codex writes in its own layout takes the fast path, with or without info and rate limits", () => {
  const lines = [
    h.codexTokenCount('2026-04-01T08:01:00.123Z', { input: 1000, cached: 800, output: 50, reasoning: 20 }),
    h.codexTokenCount('2026-04-01T08:01:00.123Z', null, undefined, { primary: { used_percent: 42.5, window_minutes: 300, resets_at: 1775040000 }, secondary: null }),
    '{"timestamp":"2026-02-24T09:50:09.455Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":22245043,"cached_input_tokens":20923264,"output_tokens":88672,"reasoning_output_tokens":29161,"total_tokens":22333715},"last_token_usage":{"input_tokens":209030,"cached_input_tokens":207744,"output_tokens":849,"reasoning_output_tokens":0,"total_tokens":209879},"model_context_window":258400}}}',
    // Codex ≥ 0.145 (ccusage/ccusage#1617, the line of a codex-sdk 0.148.0 session, with its "ordinal" key and without)
    '{"timestamp":"2026-08-20T05:49:12.034Z","ordinal":177,"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":935040,"cached_input_tokens":875306,"cache_write_input_tokens":57610,"output_tokens":11150,"reasoning_output_tokens":1141,"total_tokens":946190},"last_token_usage":{"input_tokens":58697,"cached_input_tokens":57817,"cache_write_input_tokens":0,"output_tokens":227,"reasoning_output_tokens":9,"total_tokens":58924},"model_context_window":258400},"rate_limits":null}}',
    '{"timestamp":"2026-08-20T05:49:12.034Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":935040,"cached_input_tokens":875306,"cache_write_input_tokens":57610,"output_tokens":11150,"reasoning_output_tokens":1141,"total_tokens":946190},"last_token_usage":{"input_tokens":58697,"cached_input_tokens":57817,"cache_write_input_tokens":0,"output_tokens":227,"reasoning_output_tokens":9,"total_tokens":58924},"model_context_window":258400},"rate_limits":null}}',
    '{"timestamp":"2026-02-24T09:50:09.455Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":2},"last_token_usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":2}},"rate_limits":null}}',
  ];
  for (const line of lines) {
    const text = line.trim();
    assert.deepEqual(read(text), expected(text), text);
  }
});

test('a token_count line cut anywhere, alone or run into the next line, is never read as usage by the fast path', () => {
  const full = h.codexTokenCount('2026-04-01T08:01:00.123Z', { input: 1000, cached: 800, output: 50, reasoning: 20 }, undefined, { primary: { used_percent: 1, window_minutes: 300, resets_at: 1 } }).trim();
  const next = h.codexTokenCount('2026-04-01T08:02:00.000Z', { input: 2000, cached: 1600, output: 90, reasoning: 30 }).trim();
  for (let cut = 1; cut < full.length; cut++) {
    for (const text of [full.slice(0, cut), full.slice(0, cut) + next]) {
      const got = read(text);
      if (got !== undefined) assert.deepEqual(got, expected(text), text); // only if JSON.parse accepts it too
    }
  }
});

test('the rate_limits memo re-uses a parsed value only for the same text', () => {
  const m = memo();
  const a = read(h.codexTokenCount('2026-04-01T08:01:00Z', null, undefined, { primary: { used_percent: 10 } }).trim(), m) as { payload: { rate_limits: unknown } };
  const b = read(h.codexTokenCount('2026-04-01T08:02:00Z', null, undefined, { primary: { used_percent: 10 } }).trim(), m) as { payload: { rate_limits: unknown } };
  const c = read(h.codexTokenCount('2026-04-01T08:03:00Z', null, undefined, { primary: { used_percent: 11 } }).trim(), m) as { payload: { rate_limits: unknown } };
  assert.equal(a.payload.rate_limits, b.payload.rate_limits); // same text: the same parsed value
  assert.deepEqual(c.payload.rate_limits, { primary: { used_percent: 11 } });
  assert.equal(read('{"timestamp":"t","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{"a":}}}', m), undefined);
  // no value at all: JSON.parse rejects the line, so must the fast path (with a fresh memo, whose text is '')
  assert.equal(read('{"timestamp":"t","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":}}'), undefined);
});

test('the head check classifies lines as JSON.parse would, or leaves them to the marker search', () => {
  const ts = '2026-04-01T08:00:00.000Z';
  const lines = [
    h.codexSessionMeta(ts, '/w'),
    h.codexTurnContext(ts, 'gpt-5'),
    h.codexTokenCount(ts, null),
    h.codexResponseItem(ts, 'hello "token_count" turn_context'),
    JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'agent_message', message: '"token_count"' } }),
    JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'token_count_v2' } }),
    JSON.stringify({ timestamp: ts, type: 'compacted', payload: { message: 'x' } }),
    JSON.stringify({ timestamp: ts, type: 'turn_context_extra', payload: {} }),
    JSON.stringify({ type: 'event_msg', timestamp: ts, payload: { type: 'token_count' } }),
    JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { info: null, type: 'token_count' } }),
    JSON.stringify({ timestamp: 'a"b', type: 'session_meta', payload: {} }),
    JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'function_call', name: 'exec_command', arguments: '{}' } }),
    JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'function_call_output', output: 'type":"function_call"' } }),
    JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'web_search_call', action: {} } }),
    `{"timestamp":"${ts}","type":"response_item","payload":{"type":"custom_tool_c\\u0061ll","input":""}}`, // an escape: JSON.parse reads a tool call
    JSON.stringify({ timestamp: ts, type: 'response_item', payload: { role: 'user', type: 'message' } }),
    // Codex ≥ 0.145 numbers its lines (`"ordinal"` after the timestamp): the same kinds
    JSON.stringify({ timestamp: ts, ordinal: 0, type: 'session_meta', payload: { id: 's', cli_version: '0.145.0' } }),
    JSON.stringify({ timestamp: ts, ordinal: 1, type: 'turn_context', payload: { turn_id: 't', model: 'gpt-5.6' } }),
    JSON.stringify({ timestamp: ts, ordinal: 177, type: 'event_msg', payload: { type: 'token_count', info: null, rate_limits: null } }),
    JSON.stringify({ timestamp: ts, ordinal: 178, type: 'response_item', payload: { type: 'function_call', name: 'exec_command', arguments: '{}' } }),
    JSON.stringify({ timestamp: ts, ordinal: 179, type: 'event_msg', payload: { type: 'agent_message', message: 'token_count' } }),
    JSON.stringify({ timestamp: ts, ordinal: -1, type: 'event_msg', payload: { type: 'token_count', info: null } }),
  ].map((l) => l.trim());
  const kinds = lines.map((text) => {
    const b = Buffer.from(text);
    const kind = codexLineKind(b, 0, b.length);
    const j = JSON.parse(text);
    const wanted = j.type === 'session_meta' || j.type === 'turn_context' || (j.type === 'event_msg' && j.payload?.type === 'token_count');
    const toolCall = j.type === 'response_item' && ['function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call'].includes(j.payload?.type);
    // a decided kind is right; an odd one leaves the question to the marker search
    if (kind === CodexLine.Meta || kind === CodexLine.TokenCount) assert.ok(wanted && !toolCall, text);
    if (kind === CodexLine.ToolCall) assert.ok(toolCall && !wanted, text);
    if (kind === CodexLine.Skip) assert.ok(!wanted && !toolCall, text);
    if (kind === CodexLine.OddWanted) assert.ok(!toolCall, text);
    if (kind === CodexLine.OddItem) assert.ok(!wanted, text);
    return kind;
  });
  // Codex's own layout is decided by the head check; other layouts are left to the marker search
  const { Skip, Meta, TokenCount, ToolCall, OddWanted, OddItem, Odd } = CodexLine;
  assert.deepEqual(kinds, [Meta, Meta, TokenCount, Skip, Skip, Skip, Skip, OddWanted, Odd, OddWanted, Odd, ToolCall, Skip, ToolCall, OddItem, Skip, Meta, Meta, TokenCount, ToolCall, Skip, Odd]);
});

test('the parser gives the same events, duplicates and rate limits whether lines take the fast path or JSON.parse', () => {
  const r = rng(99);
  let total = { input: 0, cached: 0, output: 0, reasoning: 0 };
  let fastText = h.codexSessionMeta('2026-04-01T08:00:00.000Z', '/w/app', 'dev') + h.codexTurnContext('2026-04-01T08:00:00.100Z', 'gpt-5.3-codex');
  for (let i = 0; i < 300; i++) {
    const ts = new Date(Date.parse('2026-04-01T08:01:00Z') + i * 7000).toISOString();
    if (r() < 0.7) {
      const add = { input: Math.floor(r() * 5000), cached: 0, output: Math.floor(r() * 300), reasoning: 0 };
      add.cached = Math.floor(add.input * r());
      add.reasoning = Math.floor(add.output * r());
      total = { input: total.input + add.input, cached: total.cached + add.cached, output: total.output + add.output, reasoning: total.reasoning + add.reasoning };
    }
    const rl = { primary: { used_percent: Math.floor(i / 10), window_minutes: 300, resets_at: 1775040000 }, secondary: null };
    fastText += r() < 0.1 ? h.codexTokenCount(ts, null, undefined, rl) : h.codexTokenCount(ts, total, undefined, rl);
  }
  // the same lines with a space after each colon: none fits the layout, all go through JSON.parse
  const slowText = fastText
    .split('\n')
    .map((l) => l.replace(/":/g, '": '))
    .join('\n');
  const run = (text: string) => {
    const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
    parseCodexBlock(Buffer.from(text), 0, out);
    return out;
  };
  const fast = run(fastText);
  const slow = run(slowText);
  assert.ok(fast.events.length > 150);
  assert.deepEqual(fast, slow);
});

test('session_meta and turn_context lines read by the selective reader give the same state and events as JSON.parse', () => {
  const ts = (s: number) => new Date(Date.parse('2026-04-01T09:00:00Z') + s * 1000).toISOString();
  const meta = (s: number, payload: Record<string, unknown>) => `${JSON.stringify({ timestamp: ts(s), type: 'session_meta', payload: { id: 'x', timestamp: ts(s), base_instructions: { text: 'a "quoted" long text\n'.repeat(200) }, ...payload } })}\n`;
  const turn = (s: number, payload: Record<string, unknown>) => `${JSON.stringify({ timestamp: ts(s), type: 'turn_context', payload: { cwd: '/x', approval_policy: 'never', ...payload } })}\n`;
  const usage = (s: number, n: number) => h.codexTokenCount(ts(s), { input: 1000 * n, cached: 500 * n, output: 10 * n, reasoning: n });
  const files = [
    meta(0, { cwd: '/w/a', git: { commit_hash: 'c', branch: 'feat/é' }, source: 'cli' }) + turn(1, { model: 'gpt-5.3-codex' }) + usage(5, 1) + turn(9, { collaboration_mode: { mode: 'x', settings: { model: 'gpt-5.1-codex-max' } } }) + usage(12, 2),
    meta(0, { cwd: '/w/b', source: { subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } } }) + usage(0.2, 1) + turn(0.4, { model: 'gpt-5' }) + usage(30, 2),
    meta(0, { cwd: '', git: null, source: { subagent: null } }) + turn(1, { model: '', collaboration_mode: { settings: { model: 7 } } }) + usage(5, 1) + meta(6, { cwd: '/w/later' }) + usage(9, 3),
    meta(0, { cwd: ['/w'], git: { branch: ['x'] }, source: ['subagent'] }) + turn(1, { model: { name: 'gpt-5' } }) + usage(5, 1),
  ];
  for (const text of files) {
    const run = (t: string) => {
      const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
      parseCodexBlock(Buffer.from(t), 0, out);
      return out;
    };
    // a space after each colon: no line fits Codex's layout, every line goes through JSON.parse
    const slow = text.split('\n').map((l) => l.replace(/":/g, '": ')).join('\n');
    const fast = run(text);
    assert.ok(fast.events.length > 0, text.slice(0, 200));
    assert.deepEqual(fast, run(slow), text.slice(0, 200));
  }
});
