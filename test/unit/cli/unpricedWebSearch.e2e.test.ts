/**
 * The CLI table's n/a note says why a model is unpriced when its web searches are the reason: GLM-4.6 through
 * Z.AI's Anthropic-compatible endpoint in Claude Code, with 12 searches and no search price, next to a model with no
 * price at all. Lines in Claude Code 2.1.2xx's format.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, json } from './cliRun';
import { write } from '../ingest/helpers';
import { claudeCodeLine, claudeCodeUsage, log } from '../pricing/claudeCodeLines';

before(ensureBuilt);

const usage = (searches: number, input: number, read: number, output: number) => claudeCodeUsage({ searches, input, cw5m: 0, read, output });

test('report: GLM-4.6 named with its 12 web searches that have no known price (en, zh-CN); its tokens without searches priced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-glm-'));
  write(join(dir, 'projects', '-tmp-proj', 's-glm.jsonl'), log(
    claudeCodeLine('glm-4.6', usage(7, 1000, 20_000, 400), 'msg_1', '2026-11-20T10:00:00.000Z', 's-glm'),
    claudeCodeLine('glm-4.6', usage(5, 2000, 30_000, 600), 'msg_2', '2026-11-20T10:05:00.000Z', 's-glm'),
    claudeCodeLine('glm-4.6', usage(0, 1000, 20_000, 400), 'msg_3', '2026-11-21T11:00:00.000Z', 's-glm'),
    claudeCodeLine('claude-mystery-9', usage(0, 100, 0, 50), 'msg_4', '2026-11-21T11:30:00.000Z', 's-glm'),
  ));
  const args = ['report', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'UTC'];
  const [en, zh, out] = await Promise.all([cli(args), cli([...args, '--lang', 'zh-CN']), json(args)]);
  assert.equal(en.code, 0, en.stderr);
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  assert.match(flat(en.stdout), /no price for claude-mystery-9, glm-4\.6 \(12 web searches, which have no known price\)/);
  assert.match(flat(zh.stdout), /“不适用”表示 claude-mystery-9, glm-4\.6（12 次网络搜索，没有已知价格） 没有价格/);
  // the day with searches is unpriced; the next day's GLM-4.6 tokens are priced: 1000×0.6 + 20000×0.11 + 400×2.2 = 3,680 per million
  assert.deepEqual(out.rows.map((r: { key: string; costUSD: number | null; unpricedModels: string[] }) => [r.key, r.costUSD, r.unpricedModels]), [['2026-11-20', null, ['glm-4.6']], ['2026-11-21', null, ['claude-mystery-9']]]);
  assert.ok(Math.abs(out.rows[1].pricedCostUSD - 0.00368) < 1e-12, String(out.rows[1].pricedCostUSD));
});
