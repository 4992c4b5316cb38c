/**
 * A report's period in the user's time zone and week start: today, yesterday, this/last week, this/last month, a
 * custom range of local days, or all time. Days are local calendar days; `sinceMs`/`untilMs` are the UTC instants of
 * the first local midnight and of the midnight after the last day (ZoneCalendar.dayRange: DST-correct, a 23- or
 * 25-hour day is one day).
 */
import { addDaysToKey, parseDay, weekStartDay, zoneCalendar } from '../../core/report/tz';
import { englishTranslator, type Translator } from '../i18n/translator';

export type PeriodPreset = 'today' | 'yesterday' | 'thisWeek' | 'lastWeek' | 'thisMonth' | 'lastMonth' | 'all';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['today', 'yesterday', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'all'];

/** A custom range names its first and last local day; the CLI may leave one side open (`--since` alone). */
export type PeriodSpec = { preset: PeriodPreset } | { preset: 'custom'; since?: string; until?: string };

export interface ReportPeriod {
  preset: PeriodPreset | 'custom';
  /** first local day (inclusive), undefined = from the beginning */
  since?: string;
  /** last local day (inclusive), undefined = up to now */
  until?: string;
  sinceMs?: number;
  untilMs?: number;
  /** "This week (2026-03-02 – 2026-03-08)" */
  label: string;
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const lastDayOfMonth = (first: string) => addDaysToKey(monthStart(addDaysToKey(first, 31)), -1);

/** The local days `[since, until]` of a preset at `nowMs`; periods in progress end today. */
export function presetDays(preset: Exclude<PeriodPreset, 'all'>, nowMs: number, timeZone: string, weekStart: number): { since: string; until: string } {
  const today = zoneCalendar(timeZone).dayKey(nowMs);
  switch (preset) {
    case 'today':
      return { since: today, until: today };
    case 'yesterday': {
      const y = addDaysToKey(today, -1);
      return { since: y, until: y };
    }
    case 'thisWeek':
      return { since: weekStartDay(today, weekStart), until: today };
    case 'lastWeek': {
      const start = addDaysToKey(weekStartDay(today, weekStart), -7);
      return { since: start, until: addDaysToKey(start, 6) };
    }
    case 'thisMonth':
      return { since: monthStart(today), until: today };
    case 'lastMonth': {
      const first = monthStart(addDaysToKey(monthStart(today), -1));
      return { since: first, until: lastDayOfMonth(first) };
    }
  }
}

/** Resolves a period spec; throws RangeError for a malformed or reversed custom range. */
export function resolvePeriod(spec: PeriodSpec, nowMs: number, timeZone: string, weekStart: number, t: Translator = englishTranslator): ReportPeriod {
  let days: { since?: string; until?: string };
  if (spec.preset === 'all') days = {};
  else if (spec.preset === 'custom') {
    const since = spec.since?.trim();
    const until = spec.until?.trim();
    if (since !== undefined) parseDay(since);
    if (until !== undefined) parseDay(until);
    if (since !== undefined && until !== undefined && until < since) throw new RangeError(`the last day ${until} is before the first day ${since}`);
    days = { since, until };
  } else days = presetDays(spec.preset, nowMs, timeZone, weekStart);
  const range = zoneCalendar(timeZone).dayRange(days.since, days.until);
  return { preset: spec.preset, ...days, ...range, label: periodLabel(spec.preset, days.since, days.until, t) };
}

/** "This week (2026-03-02 – 2026-03-08)" in the translator's language. */
export function periodLabel(preset: PeriodPreset | 'custom', since?: string, until?: string, t: Translator = englishTranslator): string {
  const name = t(`report.period.${preset}`);
  if (preset === 'custom' && (since || until) && !(since && until)) return `${since ?? t('report.period.beginning')} – ${until ?? t('report.period.now')}`;
  if (!since || !until) return name;
  const span = since === until ? since : `${since} – ${until}`;
  return preset === 'custom' ? span : t('report.period.named', { name, span });
}

const PRESET_ALIASES: Record<string, PeriodPreset> = {
  today: 'today', yesterday: 'yesterday', 'this-week': 'thisWeek', thisweek: 'thisWeek', week: 'thisWeek',
  'last-week': 'lastWeek', lastweek: 'lastWeek', 'this-month': 'thisMonth', thismonth: 'thisMonth', month: 'thisMonth',
  'last-month': 'lastMonth', lastmonth: 'lastMonth', all: 'all',
};

/** `--period` / settings values: today, yesterday, this-week, last-week, this-month, last-month, all (also camelCase). */
export function parsePeriodPreset(value: string): PeriodPreset | undefined {
  return PRESET_ALIASES[value.trim().toLowerCase()];
}
