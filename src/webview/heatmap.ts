/**
 * Hour-of-day × weekday heatmap as an accessible table. Intensity is a CSS custom property (set through the
 * CSSOM, which the CSP allows) mixed with the theme's chart colour; each cell has a text tooltip.
 */
import type { Heatmap } from '../shared/protocol';
import { h, replaceChildren } from './dom';
import type { Formatter } from './format';
import { t } from './i18n';

export function renderHeatmap(root: HTMLElement, hm: Heatmap, f: Formatter): void {
  const useCost = hm.maxCostUSD > 0;
  const grid = useCost ? hm.costUSD : hm.tokens;
  const max = useCost ? hm.maxCostUSD : hm.maxTokens;
  const hours = Array.from({ length: 24 }, (_, i) => i);
  const head = h('tr', null, h('th', { scope: 'col' }, ''), ...hours.map((hr) => h('th', { scope: 'col', class: 'hm-hour' }, hr % 3 === 0 ? String(hr).padStart(2, '0') : '')));
  const rows = hm.weekdays.map((wd, i) => h('tr', null,
    h('th', { scope: 'row', class: 'hm-day' }, f.weekdayShort(wd)),
    ...hours.map((hr) => {
      const v = grid[i][hr];
      const text = t('dashboard.heatmap.cell', { day: f.weekdayShort(wd), from: `${String(hr).padStart(2, '0')}:00`, to: `${String((hr + 1) % 24).padStart(2, '0')}:00`, value: useCost ? f.money(v) : t('dashboard.heatmap.tokens', { tokens: f.tokens(v) }) });
      const td = h('td', { class: 'hm-cell', title: text, 'aria-label': text });
      td.style.setProperty('--v', String(max > 0 ? Math.round((v / max) * 100) : 0));
      if (v > 0) td.classList.add('hm-some');
      return td;
    })));
  const caption = h('caption', { class: 'hm-caption' }, useCost ? t('dashboard.heatmap.byCost') : t('dashboard.heatmap.byTokens'));
  replaceChildren(root, h('table', { class: 'heatmap' }, caption, h('thead', null, head), h('tbody', null, ...rows)), hm.peak ? h('p', { class: 'hm-peak' }, hm.peak) : null);
}
