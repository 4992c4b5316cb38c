/** The dashboard footer's list of unpriced models (src/webview/unpricedModels.ts), in English and Chinese. */
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
