/**
 * The team database's part of the dashboard (issue 16): the scope switch (this machine / me, all machines / team)
 * and, in a team scope, the per-member and per-machine tables, each machine's freshness and the leads' budgets.
 * Names come from the team database: rendered as text only.
 */
import type { DashboardScope, DashboardSnapshot, TeamBreakdownRow, TeamView } from '../shared/protocol';
import { button, h, replaceChildren, setText } from './dom';
import type { Formatter } from './format';
import type { DashboardKey } from '../shared/i18n/dashboard.en';
import { t as tr } from './i18n';

const SCOPES: [DashboardScope, DashboardKey][] = [['local', 'dashboard.scope.local'], ['me-all', 'dashboard.scope.meAll'], ['team', 'dashboard.scope.team']];

/** The scope switch: shown only while a team database is connected. */
export class ScopeSwitch {
  readonly element: HTMLElement;
  private readonly buttons = new Map<DashboardScope, HTMLButtonElement>();
  private readonly note = h('span', { class: 'muted small scope-note' });

  constructor(onPick: (scope: DashboardScope) => void) {
    const group = h('div', { class: 'segmented', role: 'group', 'aria-label': tr('dashboard.scope.group') });
    for (const [id, label] of SCOPES) {
      const b = button(tr(label), () => onPick(id), { 'aria-pressed': 'false', 'data-scope': id });
      this.buttons.set(id, b);
      group.appendChild(b);
    }
    this.element = h('div', { class: 'scope', hidden: '' }, group, this.note);
  }

  update(s: DashboardSnapshot): void {
    const t = s.team;
    this.element.hidden = !t;
    if (!t) return;
    const scope = t.scope;
    for (const [id, b] of this.buttons) {
      const on = id === scope;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('active', on);
    }
    const team = this.buttons.get('team')!;
    team.title = t.role === 'member' ? tr('dashboard.scope.teamMemberTitle') : tr('dashboard.scope.teamLeadTitle');
    setText(this.note, t.error ? tr('dashboard.scope.error', { error: t.error }) : scope === 'team' && t.role === 'member'
      ? tr('dashboard.scope.memberOnly')
      : scope === 'local' ? '' : tr('dashboard.scope.as', { member: t.member }));
    this.note.classList.toggle('error', !!t.error);
  }
}

function breakdownTable(caption: string, rows: TeamBreakdownRow[], f: Formatter, withMachine: boolean): HTMLElement {
  const head = h('tr', null, h('th', null, tr('dashboard.team.member')), withMachine ? h('th', null, tr('dashboard.team.machine')) : null, h('th', { class: 'num' }, tr('dashboard.team.cost')), h('th', { class: 'num' }, tr('dashboard.team.tokens')), h('th', { class: 'num' }, tr('dashboard.team.requests')));
  const body = rows.map((r) => h('tr', null,
    h('td', null, r.member), withMachine ? h('td', null, r.machine) : null,
    h('td', { class: 'num' }, f.moneyPartial(r.costUSD, r.unpricedTokens)), h('td', { class: 'num' }, f.tokens(r.tokens)), h('td', { class: 'num' }, String(r.requests))));
  return h('table', { class: 'data-table team-table', 'aria-label': caption }, h('thead', null, head), h('tbody', null, ...body));
}

function freshnessTable(t: TeamView, f: Formatter): HTMLElement {
  const rows = [...t.freshness].sort((a, b) => b.lastPushMs - a.lastPushMs);
  return h('table', { class: 'data-table team-table', 'aria-label': tr('dashboard.team.freshnessTable') },
    h('thead', null, h('tr', null, h('th', null, tr('dashboard.team.member')), h('th', null, tr('dashboard.team.machine')), h('th', null, tr('dashboard.team.lastPush')), h('th', null, tr('dashboard.team.newestUsage')), h('th', null, tr('dashboard.team.version')))),
    h('tbody', null, ...rows.map((m) => h('tr', null, h('td', null, m.member), h('td', null, m.machine), h('td', null, f.dateTime(m.lastPushMs)),
      h('td', null, m.lastEntryMs === null ? '—' : f.dateTime(m.lastEntryMs)), h('td', null, m.version)))));
}

function budgetBars(t: TeamView, f: Formatter): HTMLElement[] {
  return t.budgets.map((b) => {
    const period = b.period === 'daily' || b.period === 'weekly' || b.period === 'monthly' ? tr(`dashboard.team.period.${b.period}`) : b.period;
    const label = tr('dashboard.team.budgetLabel', { who: b.member === null ? tr('dashboard.team.budgetTeam') : b.member, period });
    const meter = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(b.ratio * 100)), 'aria-label': label });
    const fill = h('div', { class: `meter-fill ${b.ratio >= 1 ? 'error' : b.ratio >= 0.8 ? 'warn' : ''}` });
    fill.style.setProperty('--p', `${Math.min(100, b.ratio * 100)}%`);
    meter.appendChild(fill);
    return h('div', { class: 'budget' },
      h('div', { class: 'budget-head' }, h('span', null, label), h('span', { class: 'muted' }, tr('dashboard.budgets.spent', { spent: f.money(b.spentUSD), limit: f.money(b.limitUSD), pct: f.percent(b.ratio) }))),
      meter);
  });
}

/** The team section: hidden in the `local` scope. */
export function renderTeam(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const t = s.team;
  root.hidden = !t || t.scope === 'local';
  if (!t || t.scope === 'local') return;
  replaceChildren(root,
    h('section', { class: 'panel wide', 'aria-label': tr('dashboard.team.byMember') }, h('h2', null, tr('dashboard.team.byMember')),
      t.members.length ? breakdownTable(tr('dashboard.team.usageByMember'), t.members, f, false) : h('p', { class: 'muted' }, tr('dashboard.team.noUsage'))),
    h('section', { class: 'panel wide', 'aria-label': tr('dashboard.team.byMachine') }, h('h2', null, tr('dashboard.team.byMachine')),
      t.machines.length ? breakdownTable(tr('dashboard.team.usageByMachine'), t.machines, f, true) : h('p', { class: 'muted' }, tr('dashboard.team.noUsage'))),
    h('section', { class: 'panel wide', 'aria-label': tr('dashboard.team.freshness') }, h('h2', null, tr('dashboard.team.freshness')),
      t.freshness.length ? freshnessTable(t, f) : h('p', { class: 'muted' }, tr('dashboard.team.noPush'))),
    h('section', { class: 'panel', 'aria-label': tr('dashboard.team.budgets') }, h('h2', null, tr('dashboard.team.budgets')),
      ...(t.budgets.length ? budgetBars(t, f) : [h('p', { class: 'muted' }, tr('dashboard.team.noBudget'))])),
  );
}
