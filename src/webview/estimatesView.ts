/**
 * Estimated days (Claude Code's stats cache): a hatched fill for their bars, the note under the daily chart, and
 * Claude Code's own daily activity. All figures come from the host (`snapshot.estimates`); text as text nodes.
 */
import type { DashboardSnapshot } from '../shared/protocol';
import { h, replaceChildren, setText } from './dom';
import type { Formatter } from './format';
import { t } from './i18n';

/** The label of the estimated days' dataset; its bars are hatched and never added to a day's exact total. */
export function estimatedLabel(): string {
  return t('dashboard.estimated.label');
}

/** A diagonal hatch in `color` (a canvas pattern; falls back to the colour itself where patterns are unavailable). */
export function hatch(color: string): CanvasPattern | string {
  const c = document.createElement('canvas');
  c.width = 8;
  c.height = 8;
  const ctx = c.getContext('2d');
  if (!ctx) return color;
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, 8);
  ctx.lineTo(8, 0);
  ctx.moveTo(-2, 2);
  ctx.lineTo(2, -2);
  ctx.moveTo(6, 10);
  ctx.lineTo(10, 6);
  ctx.stroke();
  return ctx.createPattern(c, 'repeat') ?? color;
}

/** The note under the daily chart: how many days are estimated, ≈ how much, and that they are not in the totals. */
export function renderEstimatesNote(el: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const e = s.estimates;
  el.hidden = !e || e.days.length === 0;
  if (!e || e.days.length === 0) return;
  const cost = e.costUSD === null ? t('dashboard.estimates.costUnknown') : t('dashboard.estimates.cost', { money: f.money(e.costUSD) });
  setText(el, [t('dashboard.estimates.note', { n: e.days.length, cost, tokens: f.tokens(e.tokens) }), ...e.notes].join(' '));
}

/** Claude Code's own daily activity in the range (newest first), with whether the logs cover the day. */
export function renderActivity(el: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const rows = [...(s.estimates?.activity ?? [])].reverse();
  replaceChildren(el, rows.length === 0 ? null : h('table', { class: 'data-table', 'aria-label': t('dashboard.activity.table') },
    h('thead', null, h('tr', null, ...[t('dashboard.activity.day'), t('dashboard.activity.messages'), t('dashboard.activity.sessions'), t('dashboard.activity.toolCalls'), t('dashboard.activity.usageFrom')].map((x) => h('th', null, x)))),
    h('tbody', null, ...rows.map((r) => h('tr', null,
      h('td', null, f.day(r.day, true)), h('td', { class: 'num' }, f.integer(r.messages)), h('td', { class: 'num' }, f.integer(r.sessions)),
      h('td', { class: 'num' }, f.integer(r.toolCalls)), h('td', null, r.coveredByLogs ? t('dashboard.activity.logs') : t('dashboard.activity.statsCache')))))));
}
