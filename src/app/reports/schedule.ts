/**
 * Scheduled reports, pure: which periods are due and when to look again. A daily, weekly or monthly report covers a
 * period that has ended (yesterday, last week, last month, in the user's zone and week start) and is due from the
 * first instant after it (local midnight: ZoneCalendar, so a 23- or 25-hour day changes nothing).
 *
 * The state kept per kind is the first day of the last period written (`YYYY-MM-DD`, a local calendar day, so it
 * survives restarts and a DST change unchanged). Catch-up: when VS Code was closed, every missed period gets its
 * report at the next start, oldest first, at most `maxCatchUp` of them (the newest; default 7 daily, 4 weekly,
 * 3 monthly — older ones are skipped and said so). A kind never run before writes only its latest ended period. A
 * time-zone change never writes a period twice: a period is due only when it starts after the last one written.
 */
import { addDaysToKey, weekStartDay, zoneCalendar } from '../../core/report/tz';
import { presetDays } from './period';

export type ScheduleKind = 'daily' | 'weekly' | 'monthly';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['daily', 'weekly', 'monthly'];
export const DEFAULT_CATCH_UP: Record<ScheduleKind, number> = { daily: 7, weekly: 4, monthly: 3 };

/** first day of the last period written, per kind */
export type ScheduleState = Partial<Record<ScheduleKind, string>>;

export interface DuePeriod {
  kind: ScheduleKind;
  since: string;
  until: string;
}

export interface DueResult {
  due: DuePeriod[];
  /** missed periods left out by the catch-up limit */
  skipped: number;
}

const PRESET = { daily: 'yesterday', weekly: 'lastWeek', monthly: 'lastMonth' } as const;

function previous(kind: ScheduleKind, p: { since: string }): { since: string; until: string } {
  if (kind === 'daily') {
    const d = addDaysToKey(p.since, -1);
    return { since: d, until: d };
  }
  if (kind === 'weekly') return { since: addDaysToKey(p.since, -7), until: addDaysToKey(p.since, -1) };
  const until = addDaysToKey(p.since, -1);
  return { since: `${until.slice(0, 7)}-01`, until };
}

/** The ended periods of `kind` not yet written at `nowMs`, oldest first. */
export function duePeriods(kind: ScheduleKind, last: string | undefined, nowMs: number, timeZone: string, weekStart: number, maxCatchUp = DEFAULT_CATCH_UP[kind]): DueResult {
  const latest = presetDays(PRESET[kind], nowMs, timeZone, weekStart);
  if (last === undefined) return { due: [{ kind, ...latest }], skipped: 0 };
  const out: DuePeriod[] = [];
  let skipped = 0;
  // a week that overlaps the last one written (the week start was changed since) counts as written
  const after = kind === 'weekly' ? addDaysToKey(last, 6) : last;
  for (let p = latest; p.since > after; p = previous(kind, p)) {
    if (out.length < maxCatchUp) out.push({ kind, ...p });
    else skipped++;
    if (skipped > 10_000) break;
  }
  return { due: out.reverse(), skipped };
}

/** Every kind's due periods in order daily, weekly, monthly. */
export function allDue(kinds: readonly ScheduleKind[], state: ScheduleState, nowMs: number, timeZone: string, weekStart: number): DueResult {
  const due: DuePeriod[] = [];
  let skipped = 0;
  for (const k of SCHEDULE_KINDS.filter((x) => kinds.includes(x))) {
    const r = duePeriods(k, state[k], nowMs, timeZone, weekStart);
    due.push(...r.due);
    skipped += r.skipped;
  }
  return { due, skipped };
}

/** The state after writing `p` (never moves back). */
export function afterWriting(state: ScheduleState, p: DuePeriod): ScheduleState {
  const prev = state[p.kind];
  return prev !== undefined && prev >= p.since ? state : { ...state, [p.kind]: p.since };
}

/** When the next period of `kind` ends (UTC ms of the local midnight that starts the next one). */
export function nextRunMs(kind: ScheduleKind, nowMs: number, timeZone: string, weekStart: number): number {
  const cal = zoneCalendar(timeZone);
  const today = cal.dayKey(nowMs);
  const next =
    kind === 'daily' ? addDaysToKey(today, 1)
    : kind === 'weekly' ? addDaysToKey(weekStartDay(today, weekStart), 7)
    : `${addDaysToKey(`${today.slice(0, 7)}-01`, 31).slice(0, 7)}-01`;
  return cal.startOfDay(next);
}

/** `agentmeter-daily-2026-03-09.html`, `agentmeter-weekly-2026-03-02.xlsx`, `agentmeter-monthly-2026-02.pdf` */
export function scheduledFileName(p: DuePeriod, template: string, format: string, scope: 'local' | 'me-all' | 'team' = 'local'): string {
  const key = p.kind === 'monthly' ? p.since.slice(0, 7) : p.since;
  const from = scope === 'team' ? 'team-' : scope === 'me-all' ? 'all-machines-' : '';
  return `agentmeter-${from}${p.kind}-${template === 'summary' ? '' : `${template}-`}${key}.${format}`;
}
