import type { DashboardFilters } from '../../shared/protocol';
import { addDaysToKey } from '../../core/report/tz';

/** Number of days each preset covers, ending today (inclusive). */
const PRESET_DAYS: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };

/**
 * Resolves the filters' date range to inclusive local day keys. `all` spans from the first day with data
 * (or today) to today; `custom` uses the given days (swapped when reversed; missing ends default to the data's
 * first day / today).
 */
export function resolveRange(filters: DashboardFilters, today: string, firstDataDay: string | null): { from: string; to: string } {
  const preset = PRESET_DAYS[filters.range];
  if (preset) return { from: addDaysToKey(today, -(preset - 1)), to: today };
  if (filters.range === 'custom') {
    let from = filters.sinceDay ?? firstDataDay ?? today;
    let to = filters.untilDay ?? today;
    if (from > to) [from, to] = [to, from];
    return { from, to };
  }
  return { from: firstDataDay && firstDataDay < today ? firstDataDay : today, to: today };
}
