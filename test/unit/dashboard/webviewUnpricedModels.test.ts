/**
 * The dashboard footer's list of unpriced models (src/webview/unpricedModels.ts) and the model table's badge of an
 * unpriced row (src/webview/tablesView.ts `unpricedBadge`), in English and Chinese.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom } from './happyDomGlobals';
import { dashboardStrings } from '../../../src/app/i18n/translator';

const { load } = useHappyDom();
const fmt = { integer: (n: number) => n.toLocaleString('en-US') };

test('a model unpriced for its web searches says so with their count; any other is named alone', async () => {
  const { unpricedModelsText } = await load('unpricedModels.ts');
  const { setStrings } = await load('i18n.ts');
  const s = { unpricedModels: ['claude-future-9', 'glm-4.6'], unpricedWebSearches: [{ model: 'glm-4.6', searches: 1200 }] };
  setStrings(dashboardStrings('en'));
  assert.equal(unpricedModelsText(s, fmt), 'claude-future-9, glm-4.6 (1,200 web searches, which have no known price)');
  setStrings(dashboardStrings('zh-cn'));
  assert.equal(unpricedModelsText(s, fmt), 'claude-future-9, glm-4.6（1,200 次网络搜索，没有已知价格）');
  setStrings(dashboardStrings('en'));
  // none known (a snapshot made without the price table): the names alone
  assert.equal(unpricedModelsText({ unpricedModels: ['glm-4.6'], unpricedWebSearches: [] }, fmt), 'glm-4.6');
});

test('the model table\'s badge gives the web-search reason with the row\'s searches, else no price known', async () => {
  const { unpricedBadge } = await load('tablesView.ts');
  const { setStrings } = await load('i18n.ts');
  const badge = (r: { unpriced: boolean; unpricedWebSearches?: number }) => {
    const el = unpricedBadge(r, fmt) as { textContent: string | null; getAttribute(name: string): string | null } | null;
    return el && { text: el.textContent, title: el.getAttribute('title') };
  };
  setStrings(dashboardStrings('en'));
  assert.deepEqual(badge({ unpriced: true, unpricedWebSearches: 1200 }), {
    text: 'searches unpriced', title: '1,200 web searches, which have no known price: tokens priced, cost unknown',
  });
  assert.deepEqual(badge({ unpriced: true }), { text: 'unpriced', title: 'No price in the price table: tokens counted, cost unknown' });
  assert.equal(badge({ unpriced: false }), null);
  setStrings(dashboardStrings('zh-cn'));
  assert.deepEqual(badge({ unpriced: true, unpricedWebSearches: 1200 }), {
    text: '搜索未定价', title: '1,200 次网络搜索，没有已知价格：Token 已计价，费用未知',
  });
  assert.deepEqual(badge({ unpriced: true }), { text: '未定价', title: '价格表中没有此模型的价格：Token 已计入，费用未知' });
  setStrings(dashboardStrings('en'));
});
