/**
 * Claude Code's advisor tool (v2.1.98+, `advisor_20260301`): the advisor model's sub-inferences are in the call's
 * `usage.iterations[]` as `{"type":"advisor_message","model":…}` entries, billed at the advisor's rates and not part
 * of the top-level usage (which sums the executor's `message` iterations). Line below: the shape of a real Claude Code
 * line with a Sonnet 5 executor and an Opus 4.8 advisor, as the peers that read Claude Code transcripts test it
 * (found by full-text search; its top-level output 683 = 85 + 598, its input 4 = 2 + 2), completed with the fields
 * Claude Code writes (ids, timestamp, cache split).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { claudeLineReaders, parseClaudeBlock, type ClaudeLineReaders, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { loadFacts } from '../../../src/core/query/facts';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import * as h from './helpers';

const LINE = JSON.stringify({
  parentUuid: 'p1', isSidechain: false, userType: 'external', cwd: '/home/me/work/widget', sessionId: 's1', version: '2.1.240', gitBranch: 'main',
  type: 'assistant', uuid: 'u1', timestamp: '2026-09-15T01:05:00.000Z', requestId: 'req_011Adv',
  message: {
    id: 'msg_01Adv', type: 'message', role: 'assistant', model: 'claude-sonnet-5',
    content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'advisor', input: {} }],
    usage: {
      input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 683,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: 'standard',
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 }, inference_geo: 'not_available',
      iterations: [
        { type: 'message', input_tokens: 2, output_tokens: 85 },
        { type: 'advisor_message', model: 'claude-opus-4-8', input_tokens: 91627, output_tokens: 18716, cache_read_input_tokens: 100, cache_creation_input_tokens: 50 },
        { type: 'message', input_tokens: 2, output_tokens: 598 },
      ],
      speed: 'standard',
    },
  },
});

function parse(text: string, readers?: ClaudeLineReaders): ClaudeParseOutput {
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out, readers);
  return out;
}

test('the advisor entry is found in usage.iterations by the wasm scanner and by the JS reader alike; a line whose content names one is no advisor call', () => {
  const js = parse(`${LINE}\n`, claudeLineReaders(false)).calls;
  assert.deepEqual(js.map((c) => [c.model, c.input, c.output]), [['claude-sonnet-5', 4, 683], ['claude-opus-4-8', 91627, 18716]]);
  // "advisor_message" in the text of a reply, usage without iterations: one call (the scanner looks in the iterations only)
  const talk = JSON.parse(LINE);
  talk.message.content = [{ type: 'text', text: 'the "advisor_message" entries of usage.iterations' }];
  delete talk.message.usage.iterations;
  for (const readers of [undefined, claudeLineReaders(false)]) assert.equal(parse(`${JSON.stringify(talk)}\n`, readers).calls.length, 1);
});

test('an advisor_message iteration is a call of the advisor model, apart from the executor call', () => {
  const { calls } = parse(`${LINE}\n`);
  assert.deepEqual(
    calls.map((c) => [c.model, c.input, c.output, c.cw5m, c.cw1h, c.cacheRead, c.tier]),
    [
      ['claude-sonnet-5', 4, 683, 0, 0, 0, 'standard'],
      ['claude-opus-4-8', 91627, 18716, 50, 0, 100, 'standard'],
    ],
  );
  assert.notEqual(calls[0].mid, calls[1].mid);
  assert.equal(calls[1].rid, calls[0].rid);
  // the advisor at Opus 4.8's rates: 91627×5 + 18716×25 + 50×6.25 + 100×0.5 = 926397.5 per million
  const t = { input: calls[1].input, output: calls[1].output, cacheWrite5m: calls[1].cw5m, cacheWrite1h: 0, cacheRead: calls[1].cacheRead, reasoning: 0, webSearch: 0, requests: 1 };
  assert.ok(Math.abs(costOf(t, calls[1].model, calls[1].tier, createPriceTable())! - 0.9263975) < 1e-12);
});

test('copies of the line (one per content block) count the advisor call once; a line without one adds nothing', async () => {
  const dir = h.tmpDir();
  try {
    const plain = h.claudeAssistant({ id: 'm2', ts: '2026-09-15T01:06:00Z', usage: { input: 3, output: 9 } });
    h.write(join(dir, 'c/projects/-home-me-work-widget/s1.jsonl'), `${LINE}\n${LINE}\n${plain}`);
    const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, Date.parse('2026-09-16T00:00:00Z'));
    const byModel = new Map<string, { input: number; output: number; requests: number }>();
    for (const f of loadFacts(db, {})) {
      const m = byModel.get(f.model) ?? { input: 0, output: 0, requests: 0 };
      m.input += f.input;
      m.output += f.output;
      m.requests += f.requests;
      byModel.set(f.model, m);
    }
    assert.deepEqual(byModel.get('claude-opus-4-8'), { input: 91627, output: 18716, requests: 1 });
    assert.deepEqual(byModel.get('claude-sonnet-5'), { input: 4, output: 683, requests: 1 });
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
