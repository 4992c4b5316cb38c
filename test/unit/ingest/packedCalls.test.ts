import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { claudeCallAt, packClaudeCalls, packedTransfer, readClaudeCall } from '../../../src/core/ingest/packedCalls';
import type { ClaudeCallRecord } from '../../../src/core/ingest/records';
import * as h from './helpers';

/** Claude calls as the parser makes them: streaming and final copies, sidechains, tools, models, branches, tiers. */
function parsedCalls(): ClaudeCallRecord[] {
  let text = '';
  for (let i = 0; i < 50; i++) {
    const content = i % 4 === 0 ? [{ type: 'tool_use', id: `toolu_${i}`, name: i % 8 === 0 ? 'Edit' : 'Bash', input: { command: 'ls' } }] : [{ type: 'text', text: 'ok' }];
    text += h.claudeAssistant({
      id: `msg_${i >> 1}`, req: i % 9 === 0 ? null : `req_${i >> 1}`, ts: `2026-04-01T10:${String(i).padStart(2, '0')}:00.${String(i).padStart(3, '0')}Z`,
      sidechain: i % 7 === 0, model: i % 3 === 0 ? 'claude-opus-4-6' : undefined, branch: i % 5 === 0 ? 'feat/é' : 'main',
      usage: { input: 3 + i, output: i % 2 ? 900 + i : 1, cw5m: 1000 * i, cw1h: i % 4 ? 0 : 77, cacheRead: 2 ** 33 + i, webSearch: i % 6 === 0 ? 2 : undefined, speed: i % 11 === 0 ? 'fast' : undefined },
      content,
    });
  }
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  return out.calls;
}

test('packed Claude calls come back exactly as the parser made them, with one copy of each distinct string', () => {
  const calls = parsedCalls();
  assert.equal(calls.length, 50);
  const p = packClaudeCalls(calls);
  assert.equal(p.n, 50);
  assert.deepStrictEqual(Array.from({ length: p.n }, (_, i) => claudeCallAt(p, i)), calls);
  const distinct = new Set(calls.flatMap((c) => [c.model, c.branch, c.tier, ...(c.activity === undefined ? [] : [c.activity])]));
  assert.equal(p.strings.length, distinct.size);
  assert.equal(new Set(p.strings).size, p.strings.length);
  // an unknown activity (absent) stays absent; odd numbers stay exact
  const odd: ClaudeCallRecord = { mid: 2 ** 53 - 1, rid: 0, sidechain: false, ts: -1, model: 'm', branch: '', tier: 'standard', input: 0.5, output: 2 ** 40, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 1 };
  assert.deepStrictEqual(claudeCallAt(packClaudeCalls([odd]), 0), odd);
  assert.equal(packClaudeCalls([]).n, 0);
});

test('one record reused for every call of the columns reads each exactly; an absent activity reads as undefined', () => {
  // the parser's calls (each with an activity), then one with none (unknown)
  const none: ClaudeCallRecord = { mid: 2 ** 53 - 1, rid: 0, sidechain: false, ts: -1, model: 'm', branch: '', tier: 'standard', input: 0.5, output: 2 ** 40, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 1 };
  const calls = [...parsedCalls(), none];
  assert.ok(calls.at(-2)?.activity !== undefined);
  const p = packClaudeCalls(calls);
  const one = claudeCallAt(p, 0);
  for (let i = 0; i < p.n; i++) {
    assert.equal(readClaudeCall(p, i, one), one);
    assert.deepStrictEqual({ ...one, activity: one.activity }, { ...calls[i], activity: calls[i].activity }, `call ${i}`);
  }
});

test('packed calls move to another thread without a copy, and arrive whole', () => {
  const calls = parsedCalls();
  const payload = { calls: packClaudeCalls(calls), resets: [] };
  const transfer = packedTransfer(payload);
  assert.equal(transfer.length, 3);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage({ type: 'result', result: { payload } }, transfer);
  const got = receiveMessageOnPort(port2)?.message as { result: { payload: typeof payload } };
  port1.close();
  assert.equal(payload.calls.num.length, 0, 'moved: the sender’s columns are detached');
  const q = got.result.payload.calls;
  assert.deepStrictEqual(Array.from({ length: q.n }, (_, i) => claudeCallAt(q, i)), calls);
  // any other payload moves nothing (its buffers may be shared, e.g. Node's Buffer pool)
  assert.deepEqual(packedTransfer({ records: [Buffer.from('x')] }), []);
  assert.deepEqual(packedTransfer(undefined), []);
  assert.deepEqual(packedTransfer({ calls: [] }), []);
});
