import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FileInfo } from '../plugin';
import { emptyOut, fixture, lastPerKey, parseBlocks, splitAfterLine, sum } from '../gemini/testKit';
import { qwenSource } from './index';
import { qwenJsonlParser } from './jsonlParser';

const dir = __dirname;
const S = '6a1f9c3e-2b4d-4e8a-9c7f-0d1e2f3a4b5c';
const uuid = (n: string) => `c3d1a6e0-1f2b-4c3d-8e4f-5a6b7c8d9e${n}`;
const file: FileInfo = { path: `/h/.qwen/projects/-home-dev-proj-api/chats/${S}.jsonl`, project: '-home-dev-proj-api', session: S, format: 'jsonl' };
const main = () => parseBlocks(qwenJsonlParser, [fixture(dir, `${S}.jsonl`)], file);

test('qwen jsonl: an assistant record with usageMetadata is one call; cached is inside promptTokenCount', () => {
  const calls = lastPerKey(main().records);
  const r = calls.get(`${S}:${uuid('03')}`)!;
  assert.deepEqual([r.input, r.output, r.cacheRead, r.reasoning], [12034 - 11008, 356, 11008, 0]);
  assert.equal(r.model, 'qwen3-coder-plus');
  assert.equal(r.project, '/home/dev/proj/api', 'the project is the record\'s cwd, not the sanitized folder name');
  assert.equal(r.branch, 'main');
  assert.equal(r.session, S);
  assert.deepEqual(r.tools, ['read_file']);
  assert.equal(r.ts, Date.parse('2026-04-07T08:30:09.875Z'));
});

test('qwen jsonl: thoughts are inside candidates on the OpenAI-compatible path (not added again); apart on the Gemini API path (added)', () => {
  const calls = lastPerKey(main().records);
  const openai = calls.get(`${S}:${uuid('05')}`)!; // total 14730 = prompt 13520 + candidates 1210
  assert.deepEqual([openai.input, openai.output, openai.reasoning, openai.cacheRead], [13520 - 12032, 1210, 840, 12032]);
  assert.deepEqual(openai.tools, ['edit']);
  const gemini = calls.get(`${S}:${uuid('12')}`)!; // total 9350 = 9000 + 200 + 150
  assert.deepEqual([gemini.input, gemini.output, gemini.reasoning], [9000, 200 + 150, 150]);
});

test('qwen jsonl: ui_telemetry api_response of the main conversation is not counted again; a subagent\'s is a subagent call', () => {
  const out = main();
  assert.equal(out.records.some((r) => r.key === `${S}:${uuid('02')}`), false);
  const sub = out.records.find((r) => r.key === `${S}:${uuid('06')}`)!;
  assert.equal(sub.subagent, true);
  assert.deepEqual([sub.input, sub.output, sub.cacheRead, sub.requests], [4200, 150, 0, 1]);
  assert.equal(sub.model, 'qwen3-coder-plus');
});

test('qwen jsonl: malformed line counted; all-zero usage and a reply without usage are not requests', () => {
  const out = main();
  assert.equal(out.malformed, 1);
  assert.equal(out.records.some((r) => r.key === `${S}:${uuid('08')}` || r.key === `${S}:${uuid('09')}`), false);
  assert.equal(out.records.length, 4);
  assert.equal(new Set(out.records.map((r) => r.key)).size, 4, 'every record its own uuid: no key repeats');
  assert.equal(sum(out.records, 'requests'), 4);
  assert.equal(sum(out.records, 'input'), 1026 + 1488 + 4200 + 9000);
  assert.equal(sum(out.records, 'output'), 356 + 1210 + 150 + 350);
});

test('qwen jsonl: blocks read incrementally give what one read gives', () => {
  const buf = fixture(dir, `${S}.jsonl`);
  for (const n of [1, 4, 7]) {
    const [a, b] = splitAfterLine(buf, n);
    assert.deepEqual(parseBlocks(qwenJsonlParser, [a, b], file), main());
  }
  const out = emptyOut();
  qwenJsonlParser.parseLines(buf, splitAfterLine(buf, 4)[0].length, file, {}, out);
  assert.deepEqual(out.records.map((r) => r.key), [uuid('05'), uuid('06'), uuid('12')].map((u) => `${S}:${u}`));
});

test('qwen jsonl: an older build\'s summary usage {input, output, cached, thoughts, total} reads the same way', () => {
  const S2 = '0e1d2c3b-4a59-4687-9f8e-7d6c5b4a3928';
  const out = parseBlocks(qwenJsonlParser, [fixture(dir, `${S2}.jsonl`)], { ...file, path: `/h/.qwen/projects/x/chats/${S2}.jsonl`, session: S2 });
  assert.equal(out.records.length, 1);
  const r = out.records[0];
  assert.deepEqual([r.input, r.output, r.cacheRead, r.reasoning, r.branch], [8000 - 6000, 500, 6000, 200, '']);
  assert.deepEqual(r.tools, ['run_shell_command']);
});

test('qwen legacy json (tmp/<hash>/chats/session-*.json): Gemini CLI\'s legacy document, Qwen\'s token rules', () => {
  const text = fixture(dir, 'session-2025-08-12T09-00-2b3c4d5e.json').toString('utf8');
  const parser = qwenSource.parsers.json;
  assert.equal(parser.kind, 'document');
  if (parser.kind !== 'document') return;
  const f: FileInfo = { path: '/h/.qwen/tmp/abc/chats/session-2025-08-12T09-00-2b3c4d5e.json', project: 'abc', session: 'session-2025-08-12T09-00-2b3c4d5e', format: 'json' };
  const out = parser.parseDocument(text, f);
  assert.equal(out.records.length, 1);
  const r = out.records[0];
  assert.equal(r.key, '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091:8e7d6c5b-4a39-4281-9f6e-5d4c3b2a1908');
  assert.deepEqual([r.input, r.output, r.reasoning], [3000, 120, 40]);
  assert.equal(parser.parseDocument(text.slice(0, 100), f).incomplete, true);
});
