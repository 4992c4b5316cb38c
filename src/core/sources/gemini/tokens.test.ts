import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { normalise, readCounts, thoughtsInsideCandidates } from './tokens';

test('gemini tokens: toolUsePromptTokenCount is billed as input and is not inside promptTokenCount (added to input)', () => {
  // total = prompt + candidates + thoughts + tool (the Gemini API's sum)
  const c = readCounts({ input: 4000, output: 200, cached: 1000, thoughts: 50, tool: 700, total: 4950 })!;
  assert.deepEqual(normalise(c, false), { input: 4000 - 1000 + 700, output: 250, cacheRead: 1000, reasoning: 50 });
});

test('gemini tokens: the three logged shapes read the same', () => {
  const summary = readCounts({ input: 10, output: 5, cached: 4, thoughts: 3, tool: 0, total: 18 });
  const raw = readCounts({ promptTokenCount: 10, candidatesTokenCount: 5, cachedContentTokenCount: 4, thoughtsTokenCount: 3, totalTokenCount: 18 });
  const event = readCounts({ input_token_count: 10, output_token_count: 5, cached_content_token_count: 4, thoughts_token_count: 3, tool_token_count: 0, total_token_count: 18 });
  assert.deepEqual(summary, raw);
  assert.deepEqual(summary, event);
  assert.equal(readCounts({ input: -1, output: 2 }), undefined, 'a negative count is not a usage record');
  assert.equal(readCounts({ input: '12', output: 2 }), undefined);
  assert.equal(readCounts([1, 2]), undefined);
  assert.equal(readCounts({ foo: 1 }), undefined);
});

test('gemini tokens: whether thoughts are inside candidates is read from the total when it can tell', () => {
  // Gemini API: total = prompt + candidates + thoughts
  assert.equal(thoughtsInsideCandidates(readCounts({ promptTokenCount: 100, candidatesTokenCount: 40, thoughtsTokenCount: 30, totalTokenCount: 170 })!, true), false);
  // OpenAI-compatible (qwen-code converter): total = prompt + completion, reasoning inside completion
  assert.equal(thoughtsInsideCandidates(readCounts({ promptTokenCount: 100, candidatesTokenCount: 40, thoughtsTokenCount: 30, totalTokenCount: 140 })!, false), true);
  // no thoughts, or no total: the source's default
  assert.equal(thoughtsInsideCandidates(readCounts({ promptTokenCount: 100, candidatesTokenCount: 40, totalTokenCount: 140 })!, false), false);
  assert.equal(thoughtsInsideCandidates(readCounts({ promptTokenCount: 100, candidatesTokenCount: 40, thoughtsTokenCount: 30 })!, true), true);
});
