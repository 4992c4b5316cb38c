/**
 * The Claude 5-hour block panel's text: the active block against the plan limit (numbers from the host's
 * `forecastBlock`), the limit's method, and the weekly totals. Plan limits are estimates unless custom: the
 * limit label says so. No math here beyond formatting.
 */
import type { DashboardSnapshot } from '../shared/protocol';
import { h, replaceChildren } from './dom';
import type { Formatter } from './format';

export function renderCurrentBlock(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const c = s.claudeBlocks?.current;
  if (!c) {
    replaceChildren(root, h('p', { class: 'muted' }, 'No active 5-hour block.'));
    return;
  }
  const hasLimit = c.usedRatio !== null;
  const when = c.limitReached
    ? `limit reached — resets at ${f.time(c.resetsAtMs)}${c.resetSource === 'api-error' ? ' (reported by Claude Code)' : ''}`
    : !hasLimit
      ? 'no plan limit known yet'
      : c.msToLimit !== null
        ? `at this rate the limit is reached in ${f.duration(c.msToLimit)} (${f.time(s.generatedMs + c.msToLimit)}), before the reset at ${f.time(c.resetsAtMs)}`
        : c.tokensPerMinute === null
          ? 'no burn rate yet'
          : `not reached before the reset at ${f.time(c.resetsAtMs)} at this rate`;
  const burn = c.tokensPerMinute === null ? 'n/a' : `${f.tokens(c.tokensPerMinute)} tokens/min${c.costPerHour !== null ? ` · ${f.money(c.costPerHour)}/h` : ''}`;
  replaceChildren(root,
    h('dl', { class: 'kv' },
      h('div', null, h('dt', null, `Current block ${f.time(c.startMs)}–${f.time(c.endMs)}`), h('dd', null, `${f.tokens(c.tokens)} tokens · ${f.money(c.costUSD)} · ${f.integer(c.requests)} requests`)),
      h('div', null, h('dt', null, 'Burn rate'), h('dd', null, burn)),
      h('div', null, h('dt', null, 'Projected at reset'), h('dd', null, `${f.tokens(c.projectedTokens)} tokens · ${f.money(c.projectedCostUSD)}${c.projectedRatio !== null ? ` · ${f.percent(c.projectedRatio)} of the limit` : ''}`)),
      hasLimit ? h('div', null, h('dt', null, 'Limit used'), h('dd', null, f.percent(c.usedRatio))) : null),
    h('p', { class: `block-when${c.limitReached ? ' error' : c.msToLimit !== null ? ' warn' : ''}` }, when));
}

export function renderWeekTotals(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const weeks = s.claudeBlocks?.weeks ?? [];
  root.hidden = weeks.length === 0;
  replaceChildren(root, h('table', { class: 'data-table weeks', 'aria-label': 'Claude weekly totals' },
    h('caption', { class: 'table-caption' }, 'Claude per week (tokens = input + output, as counted against plan limits)'),
    h('thead', null, h('tr', null, h('th', null, 'Week of'), h('th', { class: 'num' }, 'Tokens'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, '5-hour blocks'))),
    h('tbody', null, ...weeks.map((w) => h('tr', null,
      h('td', null, f.day(w.startDay)), h('td', { class: 'num' }, f.tokens(w.tokens)),
      h('td', { class: 'num' }, w.unpriced ? `${f.money(w.costUSD)}+?` : f.money(w.costUSD)), h('td', { class: 'num' }, f.integer(w.blocks)))))));
}
