import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FileInfo } from '../plugin';
import { geminiJsonParser } from './jsonParser';
import { geminiJsonlParser } from './jsonlParser';
import { fixture, lastPerKey, parseBlocks, sum } from './testKit';

const dir = __dirname;
const SID = '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b';
const file: FileInfo = { path: '/h/.gemini/tmp/legacy-cli/chats/session-2025-09-18T16-40-3e4f5a6b.json', project: '/home/dev/proj/legacy-cli', session: 'session-2025-09-18T16-40-3e4f5a6b', format: 'json' };
const text = () => fixture(dir, 'session-2025-09-18T16-40-3e4f5a6b.json').toString('utf8');

test('gemini legacy json: every gemini message with tokens is one call (cached out of input, thoughts into output)', () => {
  const out = geminiJsonParser.parseDocument(text(), file);
  assert.equal(out.incomplete, undefined);
  assert.equal(out.malformed, 0);
  assert.equal(out.records.length, 3);
  const [a, b, c] = out.records;
  assert.equal(a.key, `${SID}:1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a11`);
  assert.deepEqual([a.input, a.output, a.cacheRead, a.reasoning], [5230, 61 + 305, 0, 305]);
  assert.deepEqual(a.tools, ['read_file']);
  assert.deepEqual([b.input, b.output, b.cacheRead], [6102 - 4096, 388, 4096]);
  // an older record without thoughts/tool fields
  assert.deepEqual([c.input, c.output, c.cacheRead, c.reasoning, c.model], [6540 - 6016, 12, 6016, 0, 'gemini-2.5-flash']);
  assert.equal(sum(out.records, 'requests'), 3);
  assert.equal(geminiJsonParser.vanished, 'keep');
});

test('gemini legacy json: a file caught mid-rewrite (truncated, empty) is incomplete and counted as malformed', () => {
  const t = text();
  for (const partial of [t.slice(0, Math.floor(t.length / 2)), '', t.slice(0, t.length - 3)]) {
    const out = geminiJsonParser.parseDocument(partial, file);
    assert.equal(out.incomplete, true);
    assert.equal(out.records.length, 0);
    assert.equal(out.malformed, 1);
  }
  // JSON of an unknown shape: malformed, not incomplete (rereading would not help)
  const odd = geminiJsonParser.parseDocument('{"hello":1}', file);
  assert.equal(odd.incomplete, undefined);
  assert.equal(odd.malformed, 1);
});

test('gemini legacy json: the .jsonl copy made on resume has the same keys (not counted twice)', () => {
  // chatRecordingService.ts initialize(): metadata line, then every message of the .json appended to <name>.jsonl
  const conv = JSON.parse(text()) as { messages: unknown[]; [k: string]: unknown };
  const { messages, ...meta } = conv;
  const jsonl = `${[meta, ...messages].map((m) => JSON.stringify(m)).join('\n')}\n`;
  const fromJsonl = parseBlocks(geminiJsonlParser, [Buffer.from(jsonl)], { ...file, path: `${file.path}l`, format: 'jsonl' });
  const fromJson = geminiJsonParser.parseDocument(text(), file);
  const both = lastPerKey([...fromJson.records, ...fromJsonl.records]);
  assert.equal(both.size, 3);
  assert.deepEqual([...both.keys()], fromJson.records.map((r) => r.key));
});
