import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FileInfo } from '../plugin';
import { geminiJsonlParser } from './jsonlParser';
import { emptyOut, fixture, lastPerKey, parseBlocks, splitAfterLine, sum } from './testKit';

const dir = __dirname;
const S1 = '4f1c2a9e-7b3d-4c55-9a0e-2d8f6b1c3e70';
const S2 = '9c0d1e2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f';
const file1: FileInfo = { path: '/h/.gemini/tmp/webapp/chats/session-2026-03-02T09-14-4f1c2a9e.jsonl', project: '/home/dev/proj/webapp', session: 'session-2026-03-02T09-14-4f1c2a9e', format: 'jsonl' };
const file2: FileInfo = { ...file1, path: '/h/.gemini/tmp/webapp/chats/session-2026-03-03T14-02-9c0d1e2f.jsonl', session: 'session-2026-03-03T14-02-9c0d1e2f' };
const one = (name: string, file: FileInfo) => parseBlocks(geminiJsonlParser, [fixture(dir, name)], file);

test('gemini jsonl: cached is inside input (input = input − cached, cacheRead = cached)', () => {
  const calls = lastPerKey(one('session-2026-03-02T09-14-4f1c2a9e.jsonl', file1).records);
  const a1 = calls.get(`${S1}:a1c9f0e2-6d4b-4b8a-9f3e-1c2d3e4f5a61`)!;
  assert.equal(a1.input, 8412 - 6144);
  assert.equal(a1.cacheRead, 6144);
  const c2 = calls.get(`${S1}:c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e72`)!;
  assert.equal(c2.input, 9120 - 8192);
  assert.equal(c2.cacheRead, 8192);
});

test('gemini jsonl: thoughts are added to output and shown as reasoning', () => {
  const calls = lastPerKey(one('session-2026-03-02T09-14-4f1c2a9e.jsonl', file1).records);
  const a1 = calls.get(`${S1}:a1c9f0e2-6d4b-4b8a-9f3e-1c2d3e4f5a61`)!;
  assert.equal(a1.output, 96 + 211);
  assert.equal(a1.reasoning, 211);
  const e4 = calls.get(`${S1}:e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a04`)!;
  assert.equal(e4.output, 38 + 120);
  assert.equal(e4.model, 'gemini-2.5-flash');
  assert.deepEqual(e4.tools, ['run_shell_command']);
  assert.equal(e4.ts, Date.parse('2026-03-02T09:15:07.640Z'));
});

test('gemini jsonl: a message appended again under the same id is emitted under the same key; the last holds the final tokens', () => {
  const out = one('session-2026-03-02T09-14-4f1c2a9e.jsonl', file1);
  const a1 = out.records.filter((r) => r.key === `${S1}:a1c9f0e2-6d4b-4b8a-9f3e-1c2d3e4f5a61`);
  assert.equal(a1.length, 2, 'both versions of the message are emitted (the store keeps the last)');
  assert.deepEqual(a1[1].tools, ['read_file']);
  // first written with tokens:null, then again with its tokens: only the version with tokens is a call
  const c2 = out.records.filter((r) => r.key === `${S1}:c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e72`);
  assert.equal(c2.length, 1);
  assert.equal(c2[0].output, 412);
  const kept = lastPerKey(out.records);
  assert.equal(kept.size, 3);
  assert.equal(sum(kept.values(), 'requests'), 3);
  assert.equal(sum(kept.values(), 'input'), 2268 + 928 + 690);
  assert.equal(sum(kept.values(), 'output'), 307 + 412 + 158);
  for (const r of kept.values()) {
    assert.equal(r.session, S1);
    assert.equal(r.project, '/home/dev/proj/webapp');
    assert.equal(r.subagent, undefined);
  }
});

test('gemini jsonl: a reply with all-zero tokens is not a request (nothing emitted)', () => {
  const out = one('session-2026-03-02T09-14-4f1c2a9e.jsonl', file1);
  assert.equal(out.records.some((r) => r.key.endsWith(':f6a7b8c9-d0e1-4f2a-8b3c-4d5e6f7a8b15')), false);
});

test('gemini jsonl: a malformed line is skipped and counted; user content as a string and as Part[] is no call and no error', () => {
  const out = one('session-2026-03-02T09-14-4f1c2a9e.jsonl', file1);
  assert.equal(out.malformed, 1);
  assert.equal(out.records.some((r) => r.key.endsWith(':0b7e1d52-3a61-4f0e-8c1d-5e2a9b7c4d10') || r.key.endsWith(':5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e93')), false);
});

test('gemini jsonl: $rewindTo removes from the view but the rewound calls stay counted; $set messages replaces the list without double counting', () => {
  const out = one('session-2026-03-03T14-02-9c0d1e2f.jsonl', file2);
  assert.equal(out.malformed, 0);
  assert.equal(out.records.length, 5, 'g1, g2, g3 appended, then g1 and g3 again inside $set.messages');
  const kept = lastPerKey(out.records);
  assert.deepEqual([...kept.keys()].sort(), [`${S2}:g1`, `${S2}:g2`, `${S2}:g3`]);
  const g2 = kept.get(`${S2}:g2`)!;
  assert.equal(g2.input, 7600 - 7168);
  assert.equal(g2.output, 180 + 90);
  assert.deepEqual(g2.tools, ['replace']);
  assert.equal(sum(kept.values(), 'requests'), 3);
  assert.equal(sum(kept.values(), 'cacheRead'), 0 + 7168 + 7168);
});

test('gemini jsonl: blocks read incrementally keep the session metadata of an earlier block (state)', () => {
  const buf = fixture(dir, 'session-2026-03-02T09-14-4f1c2a9e.jsonl');
  const whole = one('session-2026-03-02T09-14-4f1c2a9e.jsonl', file1);
  const [head, tail] = splitAfterLine(buf, 3);
  const split = parseBlocks(geminiJsonlParser, [head, tail], file1);
  assert.deepEqual(split, whole);
  assert.ok(split.records.every((r) => r.key.startsWith(`${S1}:`)));
  // `start` inside one buffer: only the lines from there on are read
  const out = emptyOut();
  const state: Record<string, unknown> = {};
  geminiJsonlParser.parseLines(buf, 0, file1, state, out);
  const again = emptyOut();
  geminiJsonlParser.parseLines(buf, head.length, file1, state, again);
  assert.deepEqual(again.records, whole.records);
});

test('gemini jsonl: a subagent log (kind subagent) is shown under its parent session, keyed by its own', () => {
  const parent = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';
  const file: FileInfo = { path: `/h/.gemini/tmp/webapp/chats/${parent}/a7b8c9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d.jsonl`, project: '/home/dev/proj/webapp', session: parent, format: 'jsonl' };
  const out = one('subagent-a7b8c9d0.jsonl', file);
  assert.equal(out.records.length, 1);
  const r = out.records[0];
  assert.equal(r.key, 'a7b8c9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d:s2');
  assert.equal(r.session, parent);
  assert.equal(r.subagent, true);
  assert.deepEqual(r.tools, ['glob']);
});

test('gemini jsonl: a $patch record (current builds: a message\'s tool results or content changed in place) is known, carries no usage and is not malformed', () => {
  // fixtures/patch-2026-10-01T09-00-5e6f7a8b.jsonl, in the record shapes of gemini-cli 0.64 (chatRecordingTypes.ts
  // `{ $patch: { id?, content?, toolCalls?: [{id, result}], updates?, removeIds?, orderIds? } }`, 2026-10): the tokens
  // still arrive on the re-appended message; the $patch lines only rewrite a tool result and a reply's text
  const S = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
  const f: FileInfo = { ...file1, path: '/h/.gemini/tmp/svc/chats/session-2026-10-01T09-00-5e6f7a8b.jsonl', session: 'session-2026-10-01T09-00-5e6f7a8b' };
  const out = one('patch-2026-10-01T09-00-5e6f7a8b.jsonl', f);
  assert.equal(out.malformed, 0);
  const kept = lastPerKey(out.records);
  assert.deepEqual([...kept.keys()], [`${S}:p-g1`, `${S}:p-g2`]);
  const g1 = kept.get(`${S}:p-g1`)!;
  assert.deepEqual([g1.input, g1.cacheRead, g1.output, g1.reasoning, g1.requests], [11840 - 8192, 8192, 34 + 61, 61, 1]);
  const g2 = kept.get(`${S}:p-g2`)!;
  assert.deepEqual([g2.input, g2.cacheRead, g2.output, g2.requests], [12010 - 11776, 11776, 22, 1]);
  assert.equal(g2.model, 'gemini-3-flash-preview');
});
