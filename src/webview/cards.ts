/** Summary cards: today, last 7 days, this month, all time — cost, tokens, requests, cache hit ratio. */
import type { DashboardSnapshot, SummaryCard } from '../shared/protocol';
import { h, replaceChildren } from './dom';
import type { Formatter } from './format';
import type { DashboardKey } from '../shared/i18n/dashboard.en';
import { t } from './i18n';

const TITLES = { today: 'dashboard.card.today', last7: 'dashboard.card.last7', month: 'dashboard.card.month', all: 'dashboard.card.all' } as const satisfies Record<SummaryCard['id'], DashboardKey>;

export function renderCards(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  replaceChildren(root, ...s.cards.map((c) => {
    const span = c.fromDay && c.toDay ? (c.fromDay === c.toDay ? f.day(c.fromDay, true) : `${f.day(c.fromDay, true)} – ${f.day(c.toDay, true)}`) : t('dashboard.card.noData');
    const unpriced = c.unpricedTokens > 0
      ? h('div', { class: 'card-warn', title: t('dashboard.card.unpricedTitle') }, t('dashboard.card.unpricedTokens', { tokens: f.tokens(c.unpricedTokens) }))
      : null;
    return h('section', { class: 'card', 'aria-label': t(TITLES[c.id]) },
      h('div', { class: 'card-title' }, t(TITLES[c.id])),
      h('div', { class: 'card-cost' }, f.moneyPartial(c.costUSD, c.unpricedTokens)),
      h('div', { class: 'card-span' }, span),
      h('dl', { class: 'card-stats' },
        h('div', null, h('dt', null, t('dashboard.card.tokens')), h('dd', null, f.tokens(c.tokens))),
        h('div', null, h('dt', null, t('dashboard.card.requests')), h('dd', null, f.integer(c.requests))),
        h('div', null, h('dt', null, t('dashboard.card.cacheHits')), h('dd', null, f.percent(c.cacheHitRatio))),
      ),
      unpriced,
    );
  }));
}
