/**
 * Why a model is unpriced, when the reason is its web searches: a request that searched on a model with a token price
 * but no search price (GLM-4.6 through Z.AI's Anthropic-compatible endpoint in Claude Code) has no cost (null, never
 * $0), and the report's provenance, the CLI note and the status tooltip say it is the searches (core/report/rows.ts
 * `unpricedWebSearches`, app/unpricedText.ts), not that the model has no price. The same model without searches is
 * priced by its tokens. Lines in Claude Code 2.1.2xx's format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costOf, unpricedReason } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { RowAccumulator, totals } from '../../../src/core/report/rows';
import type { Fact } from '../../../src/core/types';
import type { ReportData } from '../../../src/app/reports/gather';
import { buildReport } from '../../../src/app/reports/model';
import { resolvePeriod } from '../../../src/app/reports/period';
import { provenanceLines } from '../../../src/app/reports/render/format';
import { createTranslator } from '../../../src/app/i18n/translator';
import { unpricedModelItems } from '../../../src/app/unpricedText';
import { statusTooltip } from '../../../src/app/status/statusText';
import type { StatusSummary } from '../../../src/app/status/statusSummary';
import * as h from '../ingest/helpers';
import { claudeCodeLine, claudeCodeUsage, close, log, parse, tokensOf } from './claudeCodeLines';

const table = createPriceTable();
const usage = (searches: number, input: number, read: number, output: number) => claudeCodeUsage({ searches, input, cw5m: 0, read, output });

test('GLM-4.6 in Claude Code: a request with web searches is unpriced for its searches, one without is priced by its tokens', () => {
  const [searched, plain] = parse(log(
    claudeCodeLine('glm-4.6', usage(3, 1000, 20_000, 400), 'msg_glm_ws'),
    claudeCodeLine('glm-4.6', usage(0, 1000, 20_000, 400), 'msg_glm_plain'),
  ));
  assert.equal(searched.webSearch, 3);
  assert.equal(costOf(tokensOf(searched), searched.model, searched.tier, table), null);
  assert.equal(unpricedReason(tokensOf(searched), searched.model, searched.tier, table), 'webSearch');
  // GLM-4.6: 1000×0.6 + 20000×0.11 + 400×2.2 = 3,680 per million
  close(costOf(tokensOf(plain), plain.model, plain.tier, table), 0.00368, 'GLM-4.6 without searches');
  assert.equal(unpricedReason(tokensOf(plain), plain.model, plain.tier, table), null);
  // a model without any price stays 'no price', searches or not
  assert.equal(unpricedReason({ ...tokensOf(searched), webSearch: 2 }, 'claude-mystery-9', 'standard', table), 'noPrice');
});

test('indexed: the report says GLM-4.6 is unpriced for its 12 web searches (en, zh-CN), the row, the totals and the CLI/status list too', async () => {
  const dir = h.tmpDir();
  try {
    const proj = join(dir, 'claude/projects/-home-u-proj');
    mkdirSync(proj, { recursive: true });
    writeFileSync(join(proj, 's-glm.jsonl'), log(
      claudeCodeLine('glm-4.6', usage(7, 1000, 20_000, 400), 'msg_1', '2026-11-20T10:00:00.000Z', 's-glm'),
      claudeCodeLine('glm-4.6', usage(5, 2000, 30_000, 600), 'msg_2', '2026-11-20T10:05:00.000Z', 's-glm'),
      // another 15-minute bucket, no searches: priced
      claudeCodeLine('glm-4.6', usage(0, 1000, 20_000, 400), 'msg_3', '2026-11-20T11:00:00.000Z', 's-glm'),
      // a model with no price at all
      claudeCodeLine('claude-mystery-9', usage(0, 100, 0, 50), 'msg_4', '2026-11-20T11:30:00.000Z', 's-glm'),
    ));
    const { db, indexer } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'claude') }));
    const facts = loadFacts(db);
    await indexer.dispose();
    db.close();
    const rowOf = (fs: Fact[]) => {
      const acc = new RowAccumulator();
      for (const f of fs) acc.add(f);
      return acc.toRow('r', table);
    };
    const morning = rowOf(facts.filter((f) => f.bucketStartMs < Date.parse('2026-11-20T11:00:00Z')));
    const later = rowOf(facts.filter((f) => f.bucketStartMs >= Date.parse('2026-11-20T11:00:00Z') && f.model === 'glm-4.6'));
    assert.equal(morning.costUSD, null);
    assert.deepEqual(morning.unpricedModels, ['glm-4.6']);
    assert.deepEqual(morning.unpricedWebSearches, [{ model: 'glm-4.6', searches: 12 }]);
    close(later.costUSD, 0.00368, 'GLM-4.6 bucket without searches');
    assert.deepEqual(later.unpricedWebSearches, []);
    const mystery = rowOf(facts.filter((f) => f.model === 'claude-mystery-9'));
    const total = totals([morning, later, mystery]);
    assert.deepEqual(total.unpricedModels, ['claude-mystery-9', 'glm-4.6']);
    assert.deepEqual(total.unpricedWebSearches, [{ model: 'glm-4.6', searches: 12 }]);
    close(total.pricedCostUSD, 0.00368, 'priced part');
    assert.deepEqual(unpricedModelItems(total), ['claude-mystery-9', 'glm-4.6 (12 web searches, which have no known price)']);
    // the status tooltip: the month's models with their reasons, today's not repeated
    const base = { nowMs: Date.parse('2026-11-20T12:00:00Z'), timeZone: 'UTC', todayBySource: [], todayByModel: [], block: null, blockForecast: null, planLimit: null, codex: null, budgets: [], monthStartMs: 0 };
    const display = { format: '', locale: 'en', currency: { code: 'USD', rateToUsd: 1 }, showCodexQuota: true, thresholds: [], lastUpdatedMs: null, indexing: false };
    const s: StatusSummary = { ...base, today: morning, week: total, month: total };
    // (markdown-escaped in the tooltip)
    assert.match(statusTooltip(s, display as never).replace(/\\(.)/g, '$1'), /\*\*Unpriced models\*\*.*: claude-mystery-9, glm-4\.6 \(12 web searches, which have no known price\)\n/);

    const data: ReportData = { facts, displayPaths: {}, skipped: { malformedLines: 0, duplicateLines: 0 }, unknownUsage: {}, estimatedDays: [], agentCostUSD: {}, latestQuota: null };
    const NOW = Date.parse('2026-11-21T09:00:00Z');
    const doc = (lang?: string) => buildReport(data, {
      template: 'summary', period: resolvePeriod({ preset: 'custom', since: '2026-11-20', until: '2026-11-20' }, NOW, 'UTC', 1),
      scope: { sources: [] }, timeZone: 'UTC', weekStart: 1, prices: table, nowMs: NOW, ...(lang ? { t: createTranslator(lang) } : {}),
    });
    const en = provenanceLines(doc());
    assert.ok(en.includes('Unpriced models (no price known; their tokens are counted, their cost is not): claude-mystery-9.'), en.join('\n'));
    assert.ok(en.includes('Unpriced because of their web searches (the model has a price for its tokens but none for web searches; its tokens are counted, its cost is not): glm-4.6 (12 web searches, which have no known price).'), en.join('\n'));
    const zh = provenanceLines(doc('zh-CN'));
    assert.ok(zh.includes('未定价的模型（价格未知；计入其 Token，不计其费用）：claude-mystery-9。'), zh.join('\n'));
    assert.ok(zh.includes('因网络搜索而未定价（该模型的 Token 有价格，网络搜索没有；计入其 Token，不计其费用）：glm-4.6（12 次网络搜索，没有已知价格）。'), zh.join('\n'));
  } finally {
    h.cleanup(dir);
  }
});
