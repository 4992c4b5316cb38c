/** Issue 4 sections: comparisons, budget bars, Codex quota now, anomalies, cache economics and hints. */
import type { DashboardSnapshot, SourceId } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';
import type { Formatter } from './format';
import { t } from './i18n';

const CMP_LABEL = {
  day: ['dashboard.cmp.day.label', 'dashboard.cmp.day.title'],
  week: ['dashboard.cmp.week.label', 'dashboard.cmp.week.title'],
  month: ['dashboard.cmp.month.label', 'dashboard.cmp.month.title'],
} as const;

export function renderComparisons(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const list = s.comparisons ?? [];
  root.hidden = list.length === 0;
  replaceChildren(root, ...list.map((c) => {
    const [label, title] = CMP_LABEL[c.id];
    return h('div', { class: 'cmp', title: t(title, { current: f.money(c.currentUSD), previous: f.money(c.previousUSD) }) },
      h('span', { class: 'cmp-label' }, t(label)),
      h('span', { class: `cmp-change ${c.direction}` }, f.change(c.changeRatio)),
      h('span', { class: 'muted' }, `${f.money(c.currentUSD)} / ${f.money(c.previousUSD)}`));
  }));
}

export function renderBudgets(root: HTMLElement, s: DashboardSnapshot, f: Formatter, openSetting: (id: string) => void): void {
  const bars = s.budgets ?? [];
  if (bars.length === 0) {
    replaceChildren(root, h('p', { class: 'muted' }, `${t('dashboard.budgets.none')} `), button(t('dashboard.budgets.setMonthly'), () => openSetting('agentMeter.budgets.monthly'), { class: 'link' }));
    return;
  }
  replaceChildren(root, ...bars.map((b) => {
    const meter = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(b.ratio * 100)), 'aria-label': b.label });
    const fill = h('div', { class: `meter-fill ${b.ratio >= 1 ? 'error' : b.ratio >= 0.8 ? 'warn' : ''}` });
    fill.style.setProperty('--p', `${Math.min(100, b.ratio * 100)}%`);
    meter.appendChild(fill);
    return h('div', { class: 'budget' },
      h('div', { class: 'budget-head' }, h('span', null, b.label), h('span', { class: 'muted' }, t('dashboard.budgets.spent', { spent: f.money(b.spentUSD), limit: f.money(b.limitUSD), pct: f.percent(b.ratio) }))),
      meter);
  }));
}

export function renderQuotaNow(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const q = s.codexQuota;
  if (!q) {
    replaceChildren(root, h('p', { class: 'muted' }, t('dashboard.quota.none')));
    return;
  }
  const line = (name: string, now: number | null, resets: number | null) =>
    h('div', { class: 'quota-now' }, h('span', null, name), h('strong', null, now === null ? t('dashboard.na') : f.percent(now / 100)),
      h('span', { class: 'muted' }, resets ? t('dashboard.quota.resets', { time: f.dateTime(resets) }) : now === 0 ? t('dashboard.quota.reset') : ''));
  replaceChildren(root, line(t('dashboard.window.primary'), q.primaryNow, q.primaryResetsAtMs), line(t('dashboard.window.secondary'), q.secondaryNow, q.secondaryResetsAtMs));
}

/**
 * Anomalies; a session links to its row in the sessions table (`showSession` returns false when the row is not
 * shown and cannot be looked for — then the link opens the session's log instead).
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
    replaceChildren(root, h('p', { class: 'muted' }, t('dashboard.anomalies.none')));
    return;
  }
  replaceChildren(root, h('ul', { class: 'anomalies' }, ...list.map((a) => a.kind === 'day'
    ? h('li', null, h('strong', null, f.day(a.key, true)), t('dashboard.anomalies.day', { money: f.money(a.costUSD), threshold: f.money(a.thresholdUSD) }))
    : h('li', null, t('dashboard.anomalies.sessionIn'), h('span', { class: 'path' }, a.label), t('dashboard.anomalies.session', { money: f.money(a.costUSD), threshold: f.money(a.thresholdUSD) }),
      a.source ? button(t('dashboard.anomalies.showSession'), () => { if (!showSession(a.source!, a.key)) openSession(a.source!, a.key); }, { class: 'link', title: t('dashboard.anomalies.showSessionTitle') }) : null,
      a.source ? button(t('dashboard.anomalies.openLog'), () => openSession(a.source!, a.key), { class: 'link' }) : null))));
}

export function renderCacheEconomics(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const c = s.cache;
  if (!c) { replaceChildren(root); return; }
  replaceChildren(root,
    h('dl', { class: 'kv' },
      h('div', null, h('dt', null, t('dashboard.cache.saved')), h('dd', null, f.money(c.savedUSD))),
      h('div', null, h('dt', null, t('dashboard.cache.write5m')), h('dd', null, f.money(c.write5mUSD))),
      h('div', null, h('dt', null, t('dashboard.cache.write1h')), h('dd', null, f.money(c.write1hUSD)))),
    c.hints.length ? h('ul', { class: 'hints' }, ...c.hints.map((x) => h('li', null, x))) : null);
}
