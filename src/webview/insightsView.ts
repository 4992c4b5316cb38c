/** Issue 4 sections: comparisons, budget bars, Codex quota now, anomalies, cache economics and hints. */
import type { DashboardSnapshot, SourceId } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';
import type { Formatter } from './format';

const CMP_LABEL = { day: ['Today', 'yesterday'], week: ['This week', 'last week'], month: ['This month', 'last month'] } as const;

export function renderComparisons(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const list = s.comparisons ?? [];
  root.hidden = list.length === 0;
  replaceChildren(root, ...list.map((c) => {
    const [now, prev] = CMP_LABEL[c.id];
    return h('div', { class: 'cmp', title: `${now} ${f.money(c.currentUSD)} vs ${f.money(c.previousUSD)} at the same point of ${prev}` },
      h('span', { class: 'cmp-label' }, `${now} vs ${prev}`),
      h('span', { class: `cmp-change ${c.direction}` }, f.change(c.changeRatio)),
      h('span', { class: 'muted' }, `${f.money(c.currentUSD)} / ${f.money(c.previousUSD)}`));
  }));
}

export function renderBudgets(root: HTMLElement, s: DashboardSnapshot, f: Formatter, openSetting: (id: string) => void): void {
  const bars = s.budgets ?? [];
  if (bars.length === 0) {
    replaceChildren(root, h('p', { class: 'muted' }, 'No budget set. '), button('Set a monthly budget', () => openSetting('agentMeter.budgets.monthly'), { class: 'link' }));
    return;
  }
  replaceChildren(root, ...bars.map((b) => {
    const meter = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(b.ratio * 100)), 'aria-label': b.label });
    const fill = h('div', { class: `meter-fill ${b.ratio >= 1 ? 'error' : b.ratio >= 0.8 ? 'warn' : ''}` });
    fill.style.setProperty('--p', `${Math.min(100, b.ratio * 100)}%`);
    meter.appendChild(fill);
    return h('div', { class: 'budget' },
      h('div', { class: 'budget-head' }, h('span', null, b.label), h('span', { class: 'muted' }, `${f.money(b.spentUSD)} of ${f.money(b.limitUSD)} · ${f.percent(b.ratio)}`)),
      meter);
  }));
}

export function renderQuotaNow(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const q = s.codexQuota;
  if (!q) {
    replaceChildren(root, h('p', { class: 'muted' }, 'No Codex rate-limit data yet. Codex writes its quota into its session logs while it runs.'));
    return;
  }
  const line = (name: string, now: number | null, resets: number | null) =>
    h('div', { class: 'quota-now' }, h('span', null, name), h('strong', null, now === null ? 'n/a' : f.percent(now / 100)),
      h('span', { class: 'muted' }, resets ? `resets ${f.dateTime(resets)}` : now === 0 ? 'reset' : ''));
  replaceChildren(root, line('5-hour window', q.primaryNow, q.primaryResetsAtMs), line('Weekly window', q.secondaryNow, q.secondaryResetsAtMs));
}

/**
 * Anomalies; a session links to its row in the sessions table (`showSession` returns false when the row is not
 * there, e.g. the table was cut to its newest rows — then the link opens the session's log instead).
 */
export function renderAnomalies(
  root: HTMLElement,
  s: DashboardSnapshot,
  f: Formatter,
  openSession: (src: SourceId, id: string) => void,
  showSession: (src: SourceId, id: string) => boolean = () => false,
): void {
  const list = s.anomalies ?? [];
  if (list.length === 0) {
    replaceChildren(root, h('p', { class: 'muted' }, 'Nothing unusual in this range.'));
    return;
  }
  replaceChildren(root, h('ul', { class: 'anomalies' }, ...list.map((a) => a.kind === 'day'
    ? h('li', null, h('strong', null, f.day(a.key, true)), ` cost ${f.money(a.costUSD)}, above the usual ${f.money(a.thresholdUSD)} (30-day mean + 2σ)`)
    : h('li', null, 'Session in ', h('span', { class: 'path' }, a.label), ` cost ${f.money(a.costUSD)} per request (usual up to ${f.money(a.thresholdUSD)}) `,
      a.source ? button('Show session', () => { if (!showSession(a.source!, a.key)) openSession(a.source!, a.key); }, { class: 'link', title: 'Show this session in the sessions table' }) : null,
      a.source ? button('Open log', () => openSession(a.source!, a.key), { class: 'link' }) : null))));
}

export function renderCacheEconomics(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const c = s.cache;
  if (!c) { replaceChildren(root); return; }
  replaceChildren(root,
    h('dl', { class: 'kv' },
      h('div', null, h('dt', null, 'Saved by caching'), h('dd', null, f.money(c.savedUSD))),
      h('div', null, h('dt', null, '5-minute cache writes'), h('dd', null, f.money(c.write5mUSD))),
      h('div', null, h('dt', null, '1-hour cache writes'), h('dd', null, f.money(c.write1hUSD)))),
    c.hints.length ? h('ul', { class: 'hints' }, ...c.hints.map((x) => h('li', null, x))) : null);
}
