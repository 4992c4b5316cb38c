/**
 * The team report's rows (`agentmeter report --team`): the team database's facts grouped as `groupFacts` does, or
 * per member, or per (member, machine); every row also says its member and machine (null when it sums several).
 * Priced here, with the reader's price table (cost is never stored in the team database).
 */
import type { TeamFact } from '../team/types';
import { groupFacts, type GroupBy, type GroupedRow, type GroupOptions } from './group';
import { RowAccumulator } from './rows';

/** `activity`: over the facts of the team's activity_hours (core/team/activityRead.ts), not its usage rows */
export type TeamGroupBy = Exclude<GroupBy, 'session'> | 'member' | 'machine';
export const TEAM_GROUP_BYS: readonly TeamGroupBy[] = ['member', 'machine', 'day', 'week', 'month', 'project', 'model', 'source', 'branch', 'activity', 'hour', 'weekday'];

export type TeamRow = GroupedRow & { member: string | null; machine: string | null };

const SYNTHETIC = '<synthetic>';

export function groupTeamFacts(facts: readonly TeamFact[], by: TeamGroupBy, opts: GroupOptions): TeamRow[] {
  if (by !== 'member' && by !== 'machine') {
    // a project is what the machines sent (folder name, path or hash): no display path to look up
    return groupFacts(facts, by, { ...opts, projectDisplayPath: undefined }).map((r) => ({ ...r, member: null, machine: null }));
  }
  const groups = new Map<string, { member: string; machine: string | null; acc: RowAccumulator }>();
  for (const f of facts) {
    if (f.model === SYNTHETIC) continue;
    const machine = by === 'machine' ? f.machine : null;
    const id = machine === null ? f.member : `${f.member}\u0000${machine}`;
    let g = groups.get(id);
    if (!g) {
      g = { member: f.member, machine, acc: new RowAccumulator() };
      groups.set(id, g);
    }
    g.acc.add(f);
  }
  const rows: TeamRow[] = [...groups.values()].map((g) => {
    const row = g.acc.toRow(g.machine ?? g.member, opts.prices);
    return { ...row, source: null, member: g.member, machine: g.machine };
  });
  return rows.sort(
    (a, b) =>
      (b.costUSD ?? b.pricedCostUSD) - (a.costUSD ?? a.pricedCostUSD) || b.totalTokens - a.totalTokens ||
      (a.member ?? '').localeCompare(b.member ?? '') || a.key.localeCompare(b.key),
  );
}
