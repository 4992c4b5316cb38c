/**
 * JSON of `agentmeter report --team`: the report's JSON shape (json.ts) with `member` and `machine` on every row and
 * on the totals (null where a row sums several), and the machines' freshness.
 */
import type { MachineFreshness } from '../team/types';
import { jsonRow } from './json';
import type { ReportRow } from './rows';
import type { TeamRow } from './teamGroup';

export interface TeamJsonReport {
  by: string;
  timezone: string;
  rows: readonly TeamRow[];
  totals: ReportRow;
  since?: string;
  until?: string;
  weekStart: number;
  prices: { date: string; overridden: boolean };
  /** `--member`: only this member's rows */
  member?: string;
  machines: readonly MachineFreshness[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function teamReportJson(r: TeamJsonReport): string {
  const out = {
    by: r.by,
    timezone: r.timezone,
    rows: r.rows.map((row) => ({ ...jsonRow(row), member: row.member, machine: row.machine })),
    totals: { ...jsonRow(r.totals), member: r.member ?? null, machine: null },
    skipped: { malformedLines: 0, duplicateLines: 0 },
    source: 'all',
    since: r.since ?? null,
    until: r.until ?? null,
    weekStart: r.weekStart,
    prices: r.prices,
    unknownUsageSessions: {},
    agentCostUSD: {},
    team: true,
    machines: r.machines.map((m) => ({
      member: m.member, machine: m.machine, lastPush: iso(m.lastPushMs), lastEntry: iso(m.lastEntryMs), version: m.version,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
