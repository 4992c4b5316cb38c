import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMessageContent } from '../../../src/core/ingest/parse/claudeContentCut';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import * as h from './helpers';

const cut = (line: string) => {
  const b = Buffer.from(line);
  const r = findMessageContent(b, 0, b.length);
  return r && b.toString('utf8', r[0], r[1]);
};

test('finds exactly the top-level message.content array', () => {
  const content = [{ type: 'text', text: 'a "quoted" \\ back\\\\slash ] } [ { "content": [1] ' }, { type: 'tool_use', input: { content: [9, 8], message: { content: [] } } }];
  const line = JSON.stringify({ data: { message: { content: ['nested'] } }, content: ['top'], message: { id: 'm', content, usage: { input_tokens: 1 } }, type: 'assistant' });
  assert.equal(cut(line), JSON.stringify(content));
  // content as a string, no message, or a broken line: not found (the whole line is parsed instead)
  assert.equal(cut(JSON.stringify({ message: { role: 'user', content: 'plain' } })), undefined);
  assert.equal(cut(JSON.stringify({ data: { message: { content: [1] } } })), undefined);
  assert.equal(cut('{"message":{"content":["unterminated'), undefined);
});

test('long assistant lines parsed without their content give the same calls as a full parse', () => {
  let text = '';
  for (let i = 0; i < 40; i++) {
    const content = i % 3 === 0 ? [{ type: 'text', text: `"${'x'.repeat(1500)}" ] } \\` }] : [{ type: 'tool_use', id: `toolu_${i}`, name: 'Write', input: { content: 'y'.repeat(2000), message: { usage: 1 } } }];
    text += h.claudeAssistant({ id: `m${i}`, req: i % 5 === 0 ? null : `r${i}`, ts: `2026-04-01T10:${String(i).padStart(2, '0')}:00Z`, sidechain: i % 7 === 0, usage: { input: i, output: 10 * i, cw5m: i, cw1h: 2 * i, cacheRead: 100 * i, webSearch: i % 2, speed: i % 11 === 0 ? 'fast' : undefined }, content });
  }
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  const expected = text.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.calls.length, 40);
  out.calls.forEach((c, i) => {
    const u = expected[i].message.usage;
    assert.deepEqual([c.input, c.output, c.cw5m, c.cw1h, c.cacheRead, c.webSearch, c.sidechain, c.rid === 0, c.tier === 'fast'], [u.input_tokens, u.output_tokens, u.cache_creation.ephemeral_5m_input_tokens, u.cache_creation.ephemeral_1h_input_tokens, u.cache_read_input_tokens, u.server_tool_use.web_search_requests, expected[i].isSidechain, !expected[i].requestId, u.speed === 'fast']);
  });
  assert.equal(out.state.cwd, '/home/u/proj');
});
