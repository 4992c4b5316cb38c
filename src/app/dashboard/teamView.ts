/**
 * The dashboard's team scopes (issue 16): the same snapshot as for this machine's index, built from the team
 * database's facts (`me-all`: the member's rows from all its machines; `team`: every row a lead may read), plus the
 * per-member and per-machine breakdowns over the range, each machine's freshness and the leads' budgets. Costs are
 * priced here with this machine's price table (the team database stores tokens only). No `vscode`, no SQL.
 */
import type { TeamBudget, TeamFact, MachineFreshness } from '../../core/team/types';
import type { Fact } from '../../core/types';
import { totalTokens } from '../../core/types';
import { zoneClock } from '../../core/report/tz';
import { periodAt, type PeriodKind, type PeriodOptions } from '../../core/limits/periods';
import { costOf } from '../../core/pricing/costOf';
import { zoneCalendar } from '../../core/report/tz';
import type { DashboardFilters, DashboardScope, DashboardSnapshot, TeamBreakdownRow, TeamBudgetBar, TeamView } from '../../shared/protocol';
import { enrich, safeCost, type FactCost } from './enrich';
import { historyOfFacts, type SnapshotHistory } from './history';
import type { TeamHistoryRow } from '../../core/team/viewRead';
import { firstFactAtOrAfter } from '../../core/report/factsFrom';
import { snapshotFrom, type DashboardData, type SnapshotContext } from './fromDatabase';

/** The all-time groups as the dashboard's history (ordered by first bucket, as the team database returned them). */
export function teamHistory(rows: readonly TeamHistoryRow[]): SnapshotHistory {
  return { groups: rows.map((r, i) => ({ ...r, firstDim: i })) };
}

/**
 * Dashboard data over facts read from the team database (ordered by bucket): no sessions, blocks or quotas there.
 * `history`: the all-time groups when the facts are not all of history (teamViewFacts.ts); `detailFromMs`: where the
 * facts turn from daily rows to hours or buckets (null: all detail).
 */
export function teamDashboardData(facts: readonly Fact[], opts: { history?: SnapshotHistory; detailFromMs?: number | null } = {}): DashboardData {
  let enriched: { sinceMs: number; timeZone: string; table: unknown; facts: Fact[]; rows: ReturnType<typeof enrich> } | undefined;
  const history = opts.history ?? historyOfFacts(facts);
  return {
    facts: facts as Fact[],
    labels: new Map(),
    rateLimits: [],
    limitResets: [],
    history,
    factsSince: (sinceMs) => facts.slice(firstFactAtOrAfter(facts, sinceMs)),
    rowsSince(sinceMs, timeZone, table) {
      const e = enriched;
      if (e && e.sinceMs === sinceMs && e.timeZone === timeZone && e.table === table) return e;
      const since = this.factsSince(sinceMs);
      enriched = { sinceMs, timeZone, table, facts: since, rows: enrich(since, zoneClock(timeZone), (t, f) => costOf(t, f.model, f.tier, table)) };
      return enriched;
    },
    rangedRows: () => null,
    detailFromMs: opts.detailFromMs ?? null,
    detailReason: 'team',
    claudeBlocks: () => [],
    agentCost: () => new Map(),
    estimatedDays: () => null,
  };
}

function matches(f: Fact, q: DashboardFilters): boolean {
  return (q.source === 'all' || f.source === q.source) && (q.project === null || f.project === q.project) && (q.model === null || f.model === q.model);
}

function addTo(map: Map<string, TeamBreakdownRow>, member: string, machine: string, f: Fact, cost: number | null): void {
  const key = `${member}\u0000${machine}`;
  let r = map.get(key);
  if (!r) {
    r = { member, machine, requests: 0, tokens: 0, costUSD: 0, unpricedTokens: 0 };
    map.set(key, r);
  }
  const tokens = totalTokens(f);
  r.requests += f.requests;
  r.tokens += tokens;
  if (cost === null) r.unpricedTokens += tokens;
  else r.costUSD += cost;
}

const byCost = (a: TeamBreakdownRow, b: TeamBreakdownRow) =>
  b.costUSD - a.costUSD || b.tokens - a.tokens || a.member.localeCompare(b.member) || a.machine.localeCompare(b.machine);

/** Per member and per (member, machine) over [sinceMs, untilMs), under the source/project/model filters. */
export function teamBreakdowns(
  facts: readonly TeamFact[], filters: DashboardFilters, sinceMs: number, untilMs: number, cost: FactCost,
): { members: TeamBreakdownRow[]; machines: TeamBreakdownRow[] } {
  const members = new Map<string, TeamBreakdownRow>();
  const machines = new Map<string, TeamBreakdownRow>();
  for (let i = firstFactAtOrAfter(facts, sinceMs); i < facts.length; i++) {
    const f = facts[i]!;
    if (f.bucketStartMs >= untilMs) break;
    if (!matches(f, filters)) continue;
    const c = safeCost(cost, f, f);
    addTo(members, f.member, '', f, c);
    addTo(machines, f.member, f.machine, f, c);
  }
  return { members: [...members.values()].sort(byCost), machines: [...machines.values()].sort(byCost) };
}

const PERIOD_KIND: Record<TeamBudget['period'], PeriodKind> = { daily: 'day', weekly: 'week', monthly: 'month' };

/**
 * Each budget against the spend of its current period (in the configured zone, week start and billing day): the
 * team's against every fact read, a member's against that member's. A team budget is left out when the facts are
 * not the team's (`teamFacts` false: a member sees its own).
 */
export function teamBudgetBars(
  facts: readonly TeamFact[], budgets: readonly TeamBudget[], nowMs: number, opts: PeriodOptions, cost: FactCost, teamFacts: boolean,
): TeamBudgetBar[] {
  const out: TeamBudgetBar[] = [];
  for (const b of budgets) {
    if (b.member === null && !teamFacts) continue;
    if (!(b.usd > 0)) continue;
    const p = periodAt(PERIOD_KIND[b.period], nowMs, opts);
    let spent = 0;
    for (let i = firstFactAtOrAfter(facts, p.startMs); i < facts.length; i++) {
      const f = facts[i]!;
      if (f.bucketStartMs >= p.endMs) break;
      if (b.member !== null && f.member !== b.member) continue;
      spent += safeCost(cost, f, f) ?? 0;
    }
    out.push({ member: b.member, period: b.period, limitUSD: b.usd, spentUSD: spent, ratio: spent / b.usd });
  }
  return out.sort((a, b) => b.ratio - a.ratio);
}

/** What the team database gave for one team snapshot. */
export interface TeamReads {
  scope: Exclude<DashboardScope, 'local'>;
  role: TeamView['role'];
  member: string;
  facts: readonly TeamFact[];
  machines: readonly MachineFreshness[];
  budgets: readonly TeamBudget[];
}

/** The snapshot of a team scope: the usual views from the team's facts, then the breakdowns (sessions are never sent). */
export function teamSnapshotFrom(data: DashboardData, reads: TeamReads, c: SnapshotContext): DashboardSnapshot {
  const snapshot = snapshotFrom(data, c);
  snapshot.sessions = [];
  snapshot.sessionsTotal = 0;
  snapshot.claudeBlocks = null;
  const cost: FactCost = (t, f) => costOf(t, f.model, f.tier, c.table);
  const s = c.settings;
  let sinceMs = 0;
  let untilMs = 0;
  if (snapshot.rangeFromDay && snapshot.rangeToDay) {
    const b = zoneCalendar(s.timeZone).dayRange(snapshot.rangeFromDay, snapshot.rangeToDay);
    sinceMs = b.sinceMs ?? 0;
    untilMs = b.untilMs ?? 0;
  }
  const { members, machines } = teamBreakdowns(reads.facts, c.filters, sinceMs, untilMs, cost);
  const everyone = reads.scope === 'team' && reads.role === 'lead';
  snapshot.team = {
    scope: reads.scope,
    role: reads.role,
    member: reads.member,
    error: null,
    members,
    machines,
    freshness: reads.machines.filter((m) => reads.scope === 'team' || m.member === reads.member).map((m) => ({ ...m })),
    // the whole team's budgets only over the whole team's facts (a lead's team scope); else the member's own
    budgets: teamBudgetBars(reads.facts, everyone ? reads.budgets : reads.budgets.filter((b) => b.member === reads.member), c.nowMs,
      { timeZone: s.timeZone, weekStart: s.weekStart, billingCycleStartDay: s.budgets.billingCycleStartDay }, cost, everyone),
  };
  return snapshot;
}
