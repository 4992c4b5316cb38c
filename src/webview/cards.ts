/** Summary cards: today, last 7 days, this month, all time — cost, tokens, requests, cache hit ratio. */
import type { DashboardSnapshot, SummaryCard } from '../shared/protocol';
import { h, replaceChildren } from './dom';
import type { Formatter } from './format';

const TITLES: Record<SummaryCard['id'], string> = { today: 'Today', last7: 'Last 7 days', month: 'This month', all: 'All time' };

export function renderCards(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  replaceChildren(root, ...s.cards.map((c) => {
    const span = c.fromDay && c.toDay ? (c.fromDay === c.toDay ? f.day(c.fromDay, true) : `${f.day(c.fromDay, true)} – ${f.day(c.toDay, true)}`) : 'no data';
    const unpriced = c.unpricedTokens > 0
      ? h('div', { class: 'card-warn', title: 'Some models have no price; their tokens are counted but their cost is unknown.' }, `+ ${f.tokens(c.unpricedTokens)} unpriced tokens`)
      : null;
    return h('section', { class: 'card', 'aria-label': TITLES[c.id] },
      h('div', { class: 'card-title' }, TITLES[c.id]),
      h('div', { class: 'card-cost' }, f.moneyPartial(c.costUSD, c.unpricedTokens)),
      h('div', { class: 'card-span' }, span),
      h('dl', { class: 'card-stats' },
        h('div', null, h('dt', null, 'Tokens'), h('dd', null, f.tokens(c.tokens))),
        h('div', null, h('dt', null, 'Requests'), h('dd', null, f.integer(c.requests))),
        h('div', null, h('dt', null, 'Cache hits'), h('dd', null, f.percent(c.cacheHitRatio))),
      ),
      unpriced,
    );
  }));
}
