/** `agentmeter report --team` as a table in zh-CN: the headers, totals row and notes; the numbers as in English. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowFromTokens, totals } from '../../../src/core/report/rows';
import { zeroTokens } from '../../../src/core/types';
import { teamTable } from '../../../src/cli/teamReportTable';
import { createTranslator } from '../../../src/app/i18n/translator';

const row = (key: string, member: string, input: number, cost: number | null) => ({
  ...rowFromTokens(key, { ...zeroTokens(), input, output: input / 2, requests: 3 }, {
    source: null, model: null, costUSD: cost, pricedCostUSD: cost ?? 0, unpricedTokens: cost === null ? input + input / 2 : 0, models: [], unpricedModels: cost === null ? ['mystery'] : [], unpricedWebSearches: [],
  }),
  member, machine: key,
});

test('team table in zh-CN: Chinese headers, totals and notes; the same cells as the English table', () => {
  const rows = [row('laptop', 'alice@example.com', 1000, 1.5), row('ci', 'bob@example.com', 4000, null)];
  const ctx = { by: 'machine' as const, priceDate: '2026-09-23', overridden: false, machines: [{ member: 'alice@example.com', machine: 'laptop', lastPushMs: Date.parse('2026-12-06T10:00:00Z'), lastEntryMs: null, version: '0.2.0' }] };
  const en = teamTable(rows, totals(rows), ctx as never);
  const zh = teamTable(rows, totals(rows), { ...ctx, t: createTranslator('zh-CN') } as never);
  assert.match(zh, /^机器\s+成员\s+请求数\s+输入\s+输出\s+缓存写入\s+缓存读取\s+Token 总数\s+费用 \(USD\)$/m);
  assert.match(zh, /^合计\s/m);
  assert.match(zh, /不适用/);
  assert.match(zh, /费用由本机按价格表（2026-09-23）计算；团队数据库只保存 Token。/);
  assert.match(zh, /alice@example\.com \/ laptop：最近一次推送 2026-12-06 10:00 UTC（AgentMeter 0\.2\.0）/);
  assert.match(en, /^Machine\s+Member\s+Requests/m);
  const numbers = (s: string) => s.split('\n').filter((l) => /^(laptop|ci)\s/.test(l)).map((l) => l.split(/\s{2,}/).slice(2, 8));
  assert.deepEqual(numbers(zh), numbers(en));
});
