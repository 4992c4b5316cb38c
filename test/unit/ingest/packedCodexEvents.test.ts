import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { codexEventAt, packCodexEvents } from '../../../src/core/ingest/packedCodexEvents';
import type { CodexUsageRecord } from '../../../src/core/ingest/records';
import * as h from './helpers';

/** Codex events as the parser makes them: two models, tool calls before some calls, a restarted counter, big totals. */
function parsedEvents(): CodexUsageRecord[] {
  let text = h.codexSessionMeta('2026-04-01T08:00:00.000Z', '/w/app', 'feat/é') + h.codexTurnContext('2026-04-01T08:00:00.100Z', 'gpt-5.3-codex');
  let total = { input: 0, cached: 0, output: 0, reasoning: 0 };
  for (let i = 0; i < 40; i++) {
    const ts = new Date(Date.parse('2026-04-01T08:01:00Z') + i * 9000).toISOString();
    if (i === 20) text += h.codexTurnContext(ts, 'gpt-5.1-codex-max');
    if (i % 3 === 0) text += `${JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'function_call', name: i % 2 ? 'apply_patch' : 'exec_command', arguments: '{}', call_id: `c${i}` } })}\n`;
    const add = { input: 1000 + i, cached: 800, output: 50 + i, reasoning: i };
    total = i === 30 ? add : { input: total.input + add.input, cached: total.cached + add.cached, output: total.output + add.output, reasoning: total.reasoning + add.reasoning };
    if (i === 35) total.input += 2 ** 40;
    text += h.codexTokenCount(ts, total, add);
  }
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
  parseCodexBlock(Buffer.from(text), 0, out);
  return out.events;
}

test('packed Codex events come back exactly as the parser made them, with one copy of each distinct string', () => {
  const events = parsedEvents();
  assert.equal(events.length, 40);
  const p = packCodexEvents(events);
  assert.equal(p.n, 40);
  assert.deepStrictEqual(Array.from({ length: p.n }, (_, i) => codexEventAt(p, i)), events);
  const distinct = new Set(events.flatMap((e) => [e.model, e.project, e.branch, ...(e.activity === undefined ? [] : [e.activity])]));
  assert.equal(p.strings.length, distinct.size);
  assert.equal(new Set(p.strings).size, p.strings.length);
  // flags, an absent activity and odd numbers stay exact
  const odd: CodexUsageRecord = { h: 2 ** 53 - 1, ts: -1, model: 'gpt-5', fallbackModel: true, replayed: true, project: '(unknown)', branch: '', input: 0.5, output: 2 ** 40, cacheRead: 0, cacheWrite: 3, reasoning: 7 };
  assert.deepStrictEqual(codexEventAt(packCodexEvents([odd]), 0), odd);
  const replayedOnly = { ...odd, fallbackModel: false, activity: 'coding' };
  assert.deepStrictEqual(codexEventAt(packCodexEvents([replayedOnly]), 0), replayedOnly);
  assert.equal(packCodexEvents([]).n, 0);
});

test('packed Codex events cross to another thread whole', () => {
  const events = parsedEvents();
  const payload = { events: packCodexEvents(events), rateLimits: [], fallbackModelEvents: 0 };
  const { port1, port2 } = new MessageChannel();
  port1.postMessage({ type: 'result', result: { payload } });
  const got = receiveMessageOnPort(port2)?.message as { result: { payload: typeof payload } };
  port1.close();
  const q = got.result.payload.events;
  assert.deepStrictEqual(Array.from({ length: q.n }, (_, i) => codexEventAt(q, i)), events);
});
