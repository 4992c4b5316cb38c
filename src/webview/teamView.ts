/**
 * The team database's part of the dashboard (issue 16): the scope switch (this machine / me, all machines / team)
 * and, in a team scope, the per-member and per-machine tables, each machine's freshness and the leads' budgets.
 * Names come from the team database: rendered as text only.
 */
import type { DashboardScope, DashboardSnapshot, TeamBreakdownRow, TeamView } from '../shared/protocol';
import { button, h, replaceChildren, setText } from './dom';
import type { Formatter } from './format';

const SCOPES: [DashboardScope, string][] = [['local', 'This machine'], ['me-all', 'Me, all machines'], ['team', 'Team']];

/** The scope switch: shown only while a team database is connected. */
export class ScopeSwitch {
  readonly element: HTMLElement;
  private readonly buttons = new Map<DashboardScope, HTMLButtonElement>();
  private readonly note = h('span', { class: 'muted small scope-note' });

  constructor(onPick: (scope: DashboardScope) => void) {
    const group = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Whose usage' });
    for (const [id, label] of SCOPES) {
      const b = button(label, () => onPick(id), { 'aria-pressed': 'false', 'data-scope': id });
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
    team.title = t.role === 'member' ? 'The whole team is for leads: with a member\'s login you see your own rows' : 'Everyone\'s usage (leads)';
    setText(this.note, t.error ? `Team database: ${t.error}` : scope === 'team' && t.role === 'member'
      ? 'Your login is a member\'s: the team view shows your own usage only (a lead sees everyone).'
      : scope === 'local' ? '' : `As ${t.member}. Sessions are not sent to the team database.`);
    this.note.classList.toggle('error', !!t.error);
  }
}

function breakdownTable(caption: string, rows: TeamBreakdownRow[], f: Formatter, withMachine: boolean): HTMLElement {
  const head = h('tr', null, h('th', null, 'Member'), withMachine ? h('th', null, 'Machine') : null, h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, 'Tokens'), h('th', { class: 'num' }, 'Requests'));
  const body = rows.map((r) => h('tr', null,
    h('td', null, r.member), withMachine ? h('td', null, r.machine) : null,
    h('td', { class: 'num' }, f.moneyPartial(r.costUSD, r.unpricedTokens)), h('td', { class: 'num' }, f.tokens(r.tokens)), h('td', { class: 'num' }, String(r.requests))));
  return h('table', { class: 'data-table team-table', 'aria-label': caption }, h('thead', null, head), h('tbody', null, ...body));
}

function freshnessTable(t: TeamView, f: Formatter): HTMLElement {
  const rows = [...t.freshness].sort((a, b) => b.lastPushMs - a.lastPushMs);
  return h('table', { class: 'data-table team-table', 'aria-label': 'Data freshness per machine' },
    h('thead', null, h('tr', null, h('th', null, 'Member'), h('th', null, 'Machine'), h('th', null, 'Last push'), h('th', null, 'Newest usage'), h('th', null, 'Version'))),
    h('tbody', null, ...rows.map((m) => h('tr', null, h('td', null, m.member), h('td', null, m.machine), h('td', null, f.dateTime(m.lastPushMs)),
      h('td', null, m.lastEntryMs === null ? '—' : f.dateTime(m.lastEntryMs)), h('td', null, m.version)))));
}

function budgetBars(t: TeamView, f: Formatter): HTMLElement[] {
  return t.budgets.map((b) => {
    const label = `${b.member === null ? 'Team' : b.member} · ${b.period}`;
    const meter = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(b.ratio * 100)), 'aria-label': label });
    const fill = h('div', { class: `meter-fill ${b.ratio >= 1 ? 'error' : b.ratio >= 0.8 ? 'warn' : ''}` });
    fill.style.setProperty('--p', `${Math.min(100, b.ratio * 100)}%`);
    meter.appendChild(fill);
    return h('div', { class: 'budget' },
      h('div', { class: 'budget-head' }, h('span', null, label), h('span', { class: 'muted' }, `${f.money(b.spentUSD)} of ${f.money(b.limitUSD)} · ${f.percent(b.ratio)}`)),
      meter);
  });
}

/** The team section: hidden in the `local` scope. */
export function renderTeam(root: HTMLElement, s: DashboardSnapshot, f: Formatter): void {
  const t = s.team;
  root.hidden = !t || t.scope === 'local';
  if (!t || t.scope === 'local') return;
  replaceChildren(root,
    h('section', { class: 'panel wide', 'aria-label': 'By member' }, h('h2', null, 'By member'),
      t.members.length ? breakdownTable('Usage by member', t.members, f, false) : h('p', { class: 'muted' }, 'No usage in this range.')),
    h('section', { class: 'panel wide', 'aria-label': 'By machine' }, h('h2', null, 'By machine'),
      t.machines.length ? breakdownTable('Usage by machine', t.machines, f, true) : h('p', { class: 'muted' }, 'No usage in this range.')),
    h('section', { class: 'panel wide', 'aria-label': 'Data freshness' }, h('h2', null, 'Data freshness'),
      t.freshness.length ? freshnessTable(t, f) : h('p', { class: 'muted' }, 'No machine has pushed yet.')),
    h('section', { class: 'panel', 'aria-label': 'Team budgets' }, h('h2', null, 'Team budgets'),
      ...(t.budgets.length ? budgetBars(t, f) : [h('p', { class: 'muted' }, 'No team budget set (a lead sets them with agentmeter team budget).')])),
  );
}
