import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { claudeAssistant, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, tmpDir, write } from '../ingest/helpers';

/**
 * DeepSeek and Qwen requests as their agents log them, through the whole pipeline (discovery → parse → tier decided
 * per request → usage rows → facts → cost): Claude Code pointed at DeepSeek's and Model Studio's Anthropic-compatible
 * endpoints (ordinary Claude Code lines whose `message.model` is the vendor's), Codex pointed at DeepSeek's Responses
 * endpoint (a rollout whose turn_context names the model), Qwen Code's chats jsonl (`usageMetadata` on its assistant
 * records, as in src/core/sources/qwen/fixtures), Cline's task files with its DeepSeek provider (as in
 * src/core/sources/cline/fixtures) and Gemini CLI's session jsonl. Costs by hand from prices.json.
 */
const table = createPriceTable();

/** A Qwen Code assistant record (chatRecordingService.ts) with Gemini-style usageMetadata; cached is inside the prompt. */
function qwenAssistant(o: { uuid: string; ts: string; model: string; prompt: number; cached: number; output: number }): string {
  return `${JSON.stringify({
    uuid: o.uuid, parentUuid: null, sessionId: '0f0e0d0c-0b0a-4908-8706-050403020100', timestamp: o.ts, type: 'assistant',
    cwd: '/home/u/app', version: '0.12.3', gitBranch: 'main', model: o.model,
    message: { role: 'model', parts: [{ text: 'Done.' }] },
    usageMetadata: { promptTokenCount: o.prompt, candidatesTokenCount: o.output, thoughtsTokenCount: 0, totalTokenCount: o.prompt + o.output, cachedContentTokenCount: o.cached },
  })}\n`;
}

test('DeepSeek and Qwen through Claude Code and Qwen Code: each request priced at its tier, to the cent', async () => {
  const home = tmpDir('agentmeter-tiered-');
  try {
    const claude = [
      // DeepSeek V4 Pro on Monday 2026-11-02 at 02:15 UTC (peak) and at 12:00 UTC (off-peak)
      claudeAssistant({ id: 'msg_ds1', ts: '2026-11-02T02:15:00.000Z', model: 'deepseek-v4-pro', usage: { input: 5_000, cacheRead: 95_000, output: 2_000 } }),
      claudeAssistant({ id: 'msg_ds2', ts: '2026-11-02T12:00:00.000Z', model: 'deepseek-v4-pro', usage: { input: 5_000, cacheRead: 95_000, output: 2_000 } }),
      // the V3-era name, served by V4-Flash until its retirement on 2026-07-24 (its sixth price period)
      claudeAssistant({ id: 'msg_ds3', ts: '2026-06-01T12:05:00.000Z', model: 'deepseek-chat', usage: { input: 1_000, output: 300 } }),
      // Qwen3-Coder-Plus through dashscope-intl's Anthropic endpoint with a 40,000-token prompt (32K-128K tier)
      claudeAssistant({ id: 'msg_q1', ts: '2026-11-02T13:00:00.000Z', model: 'qwen3-coder-plus', usage: { input: 4_000, cacheRead: 36_000, output: 1_000 } }),
    ];
    write(join(home, '.claude/projects/-home-u-proj/5f1c2d3e-0000-4000-8000-000000000001.jsonl'), claude.join(''));
    const qwen = [
      qwenAssistant({ uuid: 'a0000000-0000-4000-8000-000000000001', ts: '2026-11-02T08:30:09.875Z', model: 'qwen3-coder-plus', prompt: 12_034, cached: 11_008, output: 356 }),
      qwenAssistant({ uuid: 'a0000000-0000-4000-8000-000000000002', ts: '2026-11-02T08:31:40.000Z', model: 'qwen3-coder-plus', prompt: 140_000, cached: 130_000, output: 2_000 }),
      // the OAuth default (free quota, no published price)
      qwenAssistant({ uuid: 'a0000000-0000-4000-8000-000000000003', ts: '2026-11-02T08:32:00.000Z', model: 'coder-model', prompt: 9_000, cached: 0, output: 100 }),
    ];
    write(join(home, '.qwen/projects/-home-u-app/chats/0f0e0d0c-0b0a-4908-8706-050403020100.jsonl'), qwen.join(''));

    // Codex: cumulative totals per rollout (input includes cached); each token_count adds one request's delta
    const T = (input: number, cached: number, output: number) => ({ input, cached, output, reasoning: 0 });
    const codex = [
      codexSessionMeta('2026-11-02T02:00:00.000Z', '/home/u/svc'),
      codexTurnContext('2026-11-02T02:00:01.000Z', 'deepseek-v4-pro'),
      // peak: 100,000 prompt of which 95,000 cached, 2,000 output
      codexTokenCount('2026-11-02T02:00:30.000Z', T(100_000, 95_000, 2_000)),
      // off-peak (Saturday): the same again
      codexTokenCount('2026-11-07T02:00:30.000Z', T(200_000, 190_000, 4_000), T(100_000, 95_000, 2_000)),
      // GPT-5 with a 250,000-token prompt stays `standard` in Codex, as before
      codexTurnContext('2026-11-07T02:01:00.000Z', 'gpt-5'),
      codexTokenCount('2026-11-07T02:01:30.000Z', T(450_000, 390_000, 5_000), T(250_000, 200_000, 1_000)),
    ];
    write(join(home, '.codex/sessions/2026/11/02/rollout-2026-11-02T02-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl'), codex.join(''));

    // the same per-request tiering gives Gemini CLI's Pro requests above 200k their long-context rates
    const gemini = [
      { sessionId: '4f1c2a9e-7b3d-4c55-9a0e-2d8f6b1c3e71', projectHash: 'd9e858c45d3e8d2505b52060481fed6cec82f52aeea24b3259c0192f5531ea55', startTime: '2026-11-02T09:14:05.120Z', lastUpdated: '2026-11-02T09:14:05.120Z' },
      { id: 'b1c9f0e2-6d4b-4b8a-9f3e-1c2d3e4f5a61', timestamp: '2026-11-02T09:14:17.958Z', type: 'gemini', content: 'Done.', model: 'gemini-2.5-pro', tokens: { input: 250_000, output: 3_000, cached: 100_000, thoughts: 0, tool: 0, total: 253_000 } },
      { id: 'b1c9f0e2-6d4b-4b8a-9f3e-1c2d3e4f5a62', timestamp: '2026-11-02T09:15:17.958Z', type: 'gemini', content: 'Done.', model: 'gemini-2.5-pro', tokens: { input: 50_000, output: 2_000, cached: 40_000, thoughts: 0, tool: 0, total: 52_000 } },
    ];
    write(join(home, '.gemini/tmp/d9e858c4/chats/session-2026-11-02T09-14-4f1c2a9e.jsonl'), gemini.map((x) => `${JSON.stringify(x)}\n`).join(''));

    // Cline with its DeepSeek provider (core/api/providers/deepseek.ts: tokensIn 0, cache misses in cacheWrites), the
    // model from task_metadata.json's model_usage; requests at 02:15 (peak) and 12:00 UTC on Monday 2026-11-02
    const task = join(home, '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1793585640000');
    const req = (text: object) => JSON.stringify(text);
    write(join(task, 'ui_messages.json'), JSON.stringify([
      { ts: 1793585640000, type: 'say', say: 'task', text: 'Why does the build fail on Windows?' },
      { ts: 1793585700000, type: 'say', say: 'api_req_started', text: req({ request: '<task>…</task>', tokensIn: 0, tokensOut: 2000, cacheWrites: 5000, cacheReads: 95000, cost: 0.0187 }) },
      { ts: 1793620800000, type: 'say', say: 'api_req_started', text: req({ request: '[execute_command] Result:', tokensIn: 0, tokensOut: 2000, cacheWrites: 5000, cacheReads: 95000, cost: 0.00935 }) },
    ]));
    write(join(task, 'task_metadata.json'), JSON.stringify({ files_in_context: [], model_usage: [{ ts: 1793585650000, model_id: 'deepseek-v4-pro', model_provider_id: 'deepseek', mode: 'act' }] }, null, 2));

    const { db, indexer } = await indexOnce(discoverRoots({ env: {}, home }));
    const byKey = new Map<string, number | null>();
    for (const f of loadFacts(db)) {
      const key = `${f.source} ${f.model} ${f.tier}`;
      const c = costOf(f, f.model, f.tier, table);
      byKey.set(key, c === null ? null : (byKey.get(key) ?? 0) + c);
    }
    const rounded = (usd: number | null | undefined) => (usd === null || usd === undefined ? usd : Math.round(usd * 1e9) / 1e9);
    assert.deepEqual(Object.fromEntries([...byKey].map(([k, v]) => [k, rounded(v)])), {
      // (5000×0.66 + 95000×0.022 + 2000×1.98) × 2 = 18700; off-peak 9350
      'claude deepseek-v4-pro peak': 0.0187,
      'claude deepseek-v4-pro standard': 0.00935,
      // 1000×0.14 + 300×0.28 = 224
      'claude deepseek-chat dated6': 0.000224,
      // 4000×1.8 + 36000×0.18 + 1000×9 = 22680
      'claude qwen3-coder-plus long': 0.02268,
      // 1026×1 + 11008×0.1 + 356×5 = 3906.8; prompt 140,000 (128K-256K): 10000×3 + 130000×0.3 + 2000×15 = 99000
      'qwen qwen3-coder-plus standard': 0.0039068,
      'qwen qwen3-coder-plus long2': 0.099,
      'qwen coder-model standard': null,
      'codex deepseek-v4-pro peak': 0.0187,
      'codex deepseek-v4-pro standard': 0.00935,
      // 50000×1.25 + 200000×0.125 + 1000×10 = 62500 + 25000 + 10000
      'codex gpt-5 standard': 0.0975,
      // 150000×2.5 + 100000×0.25 + 3000×15 = 445000 (long); 10000×1.25 + 40000×0.125 + 2000×10 = 37500
      'gemini gemini-2.5-pro long': 0.445,
      'gemini gemini-2.5-pro standard': 0.0375,
      'cline deepseek-v4-pro peak': 0.0187,
      'cline deepseek-v4-pro standard': 0.00935,
    });
    await indexer.dispose();
    db.close();
  } finally {
    cleanup(home);
  }
});
