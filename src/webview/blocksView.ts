/**
 * The Claude 5-hour block panel's text: the active block against the plan limit (numbers from the host's
 * `forecastBlock`), the limit's method, and the weekly totals. Plan limits are estimates unless custom: the
 * limit label says so. No math here beyond formatting.
 */
import type { DashboardSnapshot } from '../shared/protocol';
import { h, replaceChildren } from './dom';
import type { Formatter } from './format';
import { t } from './i18n';

export function renderCurrentBlock(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const c = s.claudeBlocks?.current;
  if (!c) {
    replaceChildren(root, h('p', { class: 'muted' }, t('dashboard.block.none')));
    return;
  }
  const hasLimit = c.usedRatio !== null;
  const when = c.limitReached
    ? t(c.resetSource === 'api-error' ? 'dashboard.block.limitReachedReported' : 'dashboard.block.limitReached', { time: f.time(c.resetsAtMs) })
    : !hasLimit
      ? t('dashboard.block.noLimit')
      : c.msToLimit !== null
        ? t('dashboard.block.reachedIn', { duration: f.duration(c.msToLimit), time: f.time(s.generatedMs + c.msToLimit), reset: f.time(c.resetsAtMs) })
        : c.tokensPerMinute === null
          ? t('dashboard.block.noBurnRate')
          : t('dashboard.block.notReached', { time: f.time(c.resetsAtMs) });
  const burn = c.tokensPerMinute === null ? t('dashboard.na')
    : c.costPerHour !== null ? t('dashboard.block.burnCost', { tokens: f.tokens(c.tokensPerMinute), money: f.money(c.costPerHour) })
      : t('dashboard.block.burn', { tokens: f.tokens(c.tokensPerMinute) });
  replaceChildren(root,
    h('dl', { class: 'kv' },
      h('div', null, h('dt', null, t('dashboard.block.current', { start: f.time(c.startMs), end: f.time(c.endMs) })), h('dd', null, t('dashboard.block.currentValue', { tokens: f.tokens(c.tokens), money: f.money(c.costUSD), requests: f.integer(c.requests) }))),
      h('div', null, h('dt', null, t('dashboard.block.burnRate')), h('dd', null, burn)),
      h('div', null, h('dt', null, t('dashboard.block.projected')), h('dd', null, c.projectedRatio !== null ? t('dashboard.block.projectedValueRatio', { tokens: f.tokens(c.projectedTokens), money: f.money(c.projectedCostUSD), pct: f.percent(c.projectedRatio) }) : t('dashboard.block.projectedValue', { tokens: f.tokens(c.projectedTokens), money: f.money(c.projectedCostUSD) }))),
      hasLimit ? h('div', null, h('dt', null, t('dashboard.block.limitUsed')), h('dd', null, f.percent(c.usedRatio))) : null),
    h('p', { class: `block-when${c.limitReached ? ' error' : c.msToLimit !== null ? ' warn' : ''}` }, when));
}

export function renderWeekTotals(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const weeks = s.claudeBlocks?.weeks ?? [];
  root.hidden = weeks.length === 0;
  replaceChildren(root, h('table', { class: 'data-table weeks', 'aria-label': t('dashboard.weeks.table') },
    h('caption', { class: 'table-caption' }, t('dashboard.weeks.caption')),
    h('thead', null, h('tr', null, h('th', null, t('dashboard.weeks.weekOf')), h('th', { class: 'num' }, t('dashboard.weeks.tokens')), h('th', { class: 'num' }, t('dashboard.weeks.cost')), h('th', { class: 'num' }, t('dashboard.weeks.blocks')))),
    h('tbody', null, ...weeks.map((w) => h('tr', null,
      h('td', null, f.day(w.startDay)), h('td', { class: 'num' }, f.tokens(w.tokens)),
      h('td', { class: 'num' }, w.unpriced ? `${f.money(w.costUSD)}+?` : f.money(w.costUSD)), h('td', { class: 'num' }, f.integer(w.blocks)))))));
}
