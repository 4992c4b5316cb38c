/** The alert history panel: a rule filter (the host filters and sends the rows) and the rows, newest first. */
import type { AlertHistoryView, AlertRuleId } from '../shared/protocol';
import { h, replaceChildren, setText } from './dom';
import type { Formatter } from './format';
import { t } from './i18n';

export class AlertHistoryPanel {
  readonly element: HTMLElement;
  private readonly rule = h('select', { 'aria-label': t('dashboard.alerts.ruleSelect') });
  private readonly body = h('div', { class: 'table-wrap alert-history' });
  private readonly note = h('p', { class: 'muted small' });

  constructor(onRule: (rule: AlertRuleId | null) => void) {
    this.rule.addEventListener('change', () => onRule(this.rule.value === '' ? null : (this.rule.value as AlertRuleId)));
    this.element = h('div', null, h('label', { class: 'filter' }, `${t('dashboard.alerts.rule')} `, this.rule), this.body, this.note);
  }

  render(v: AlertHistoryView, f: Formatter): void {
    const all = v.rules.reduce((n, r) => n + r.count, 0);
    const options: [string, string][] = [['', t('dashboard.alerts.allRules', { n: all })], ...v.rules.map((r): [string, string] => [r.id, t('dashboard.alerts.ruleCount', { label: r.label, n: r.count })])];
    const same = this.rule.options.length === options.length && options.every(([val, l], i) => this.rule.options[i].value === val && this.rule.options[i].text === l);
    if (!same) replaceChildren(this.rule, ...options.map(([val, l]) => h('option', { value: val }, l)));
    this.rule.value = v.rule ?? '';
    if (v.rows.length === 0) {
      replaceChildren(this.body, h('p', { class: 'muted' }, all === 0 ? t('dashboard.alerts.none') : t('dashboard.alerts.noneOfRule')));
    } else {
      const pct = (x: number | null) => (x === null ? '—' : f.percent(x / 100));
      replaceChildren(this.body, h('table', { class: 'data-table' },
        h('thead', null, h('tr', null, h('th', null, t('dashboard.alerts.time')), h('th', null, t('dashboard.alerts.rule')), h('th', { class: 'num' }, t('dashboard.alerts.value')), h('th', { class: 'num' }, t('dashboard.alerts.threshold')), h('th', null, t('dashboard.alerts.message')))),
        h('tbody', null, ...v.rows.map((r) => h('tr', { class: `sev-${r.severity}` },
          h('td', null, f.dateTime(r.timeMs)), h('td', null, r.ruleLabel), h('td', { class: 'num' }, pct(r.value)), h('td', { class: 'num' }, pct(r.threshold)),
          h('td', { class: 'wrap' }, r.message))))));
    }
    setText(this.note, v.total > v.rows.length ? t('dashboard.alerts.newest', { shown: v.rows.length, total: v.total, cap: v.cap }) : t('dashboard.alerts.keeps', { cap: v.cap }));
  }
}
