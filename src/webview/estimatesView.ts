/**
 * Estimated days (Claude Code's stats cache): a hatched fill for their bars, the note under the daily chart, and
 * Claude Code's own daily activity. All figures come from the host (`snapshot.estimates`); text as text nodes.
 */
import type { DashboardSnapshot } from '../shared/protocol';
import { h, replaceChildren, setText } from './dom';
import type { Formatter } from './format';

/** The label of the estimated days' dataset; its bars are hatched and never added to a day's exact total. */
export const ESTIMATED_LABEL = '≈ estimated (Claude Code stats cache)';

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
  const cost = e.costUSD === null ? 'cost partly unknown' : `≈ ${f.money(e.costUSD)}`;
  setText(el, `${e.days.length} day${e.days.length === 1 ? '' : 's'} without logs estimated from Claude Code's stats cache (hatched): ${cost}, ≈ ${f.tokens(e.tokens)} tokens — not included in the totals.${e.notes.length ? ` ${e.notes.join(' ')}` : ''}`);
}

/** Claude Code's own daily activity in the range (newest first), with whether the logs cover the day. */
export function renderActivity(el: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const rows = [...(s.estimates?.activity ?? [])].reverse();
  replaceChildren(el, rows.length === 0 ? null : h('table', { class: 'data-table', 'aria-label': 'Claude Code activity by day' },
    h('thead', null, h('tr', null, ...['Day', 'Messages', 'Sessions', 'Tool calls', 'Usage from'].map((t) => h('th', null, t)))),
    h('tbody', null, ...rows.map((r) => h('tr', null,
      h('td', null, f.day(r.day, true)), h('td', { class: 'num' }, f.integer(r.messages)), h('td', { class: 'num' }, f.integer(r.sessions)),
      h('td', { class: 'num' }, f.integer(r.toolCalls)), h('td', null, r.coveredByLogs ? 'logs' : '≈ stats cache'))))));
}
