import type { Database } from 'sql.js';
import { estimateDays, type EstimatedDayUsage, type StatsDailyActivity } from '../sources/claude/statsCache';
import { loadAllStoredStatsCaches } from '../store/claudeStatsCaches';

const DAY_MS = 86_400_000;

/** Claude Code's daily activity from its stats caches, and whether the logs in the index cover that day. */
export interface EstimatedActivityDay extends StatsDailyActivity {
  coveredByLogs: boolean;
}

export interface EstimatedDays {
  /**
   * Estimated usage per (day, model) of the days no Claude log in the index covers, summed over the config folders'
   * stats caches; sorted by date, then model. `date` is a UTC day as Claude Code keys it (the day its sessions began).
   */
  days: EstimatedDayUsage[];
  /** the distinct dates of `days` */
  dayCount: number;
  /** Claude Code's messages, sessions and tool calls per UTC day (every day of the caches), summed over the folders */
  activity: EstimatedActivityDay[];
  /** one line each: a stats cache whose last read was skipped, figures that could not be split (no all-time mix) */
  notes: string[];
}

/**
 * The UTC days (`YYYY-MM-DD`) on which the index holds any Claude usage: the days "the logs cover". UTC, because
 * Claude Code's stats cache keys its days by UTC date (sources/claude/statsCache.ts), and the index's hours are UTC.
 */
export function claudeCoveredDays(db: Database): Set<string> {
  const rows = db.exec(`SELECT DISTINCT CAST(h.hour / ${DAY_MS} AS INTEGER) FROM usage_hours h JOIN hour_keys k ON k.id = h.key WHERE k.source = 'claude'`)[0]?.values ?? [];
  return new Set(rows.map(([d]) => new Date(Number(d) * DAY_MS).toISOString().slice(0, 10)));
}

/**
 * Days that Claude Code's stats caches know and the logs no longer (or never did) cover, estimated per model
 * (statsCache.ts `estimateDays`: the day's figure split by the model's all-time mix — input + output with cache tokens
 * scaled from it, or all four counters in a version 5 file). `coveredDays`: UTC `YYYY-MM-DD` keys to leave out (default: `claudeCoveredDays(db)`). Days the logs cover always
 * come from the logs. Never part of exact figures: callers show them as estimates.
 */
export function loadEstimatedDays(db: Database, covered?: ReadonlySet<string>): EstimatedDays {
  const byKey = new Map<string, EstimatedDayUsage>();
  const activity = new Map<string, EstimatedActivityDay>();
  const notes: string[] = [];
  const caches = loadAllStoredStatsCaches(db);
  // the covered days are read only when there is a cache to hold them against (a year's hours: ~15 ms)
  const coveredDays = caches.length ? (covered ?? claudeCoveredDays(db)) : new Set<string>();
  for (const { configDir, stored } of caches) {
    if (stored.skipped) notes.push(`Claude stats cache in ${configDir}: last read skipped (${stored.skipped})${stored.stats ? '; the previous read is used' : ''}`);
    if (!stored.stats) continue;
    const est = estimateDays(stored.stats, coveredDays);
    for (const d of est.days) {
      const k = `${d.date}\u0000${d.model}`;
      const into = byKey.get(k);
      if (!into) byKey.set(k, { ...d });
      else {
        into.input += d.input;
        into.output += d.output;
        into.cacheRead += d.cacheRead;
        into.cacheCreation += d.cacheCreation;
        into.dayTokens += d.dayTokens;
      }
    }
    if (est.unsplit.length) {
      const models = [...new Set(est.unsplit.map((u) => u.model))].sort().join(', ');
      const tokens = est.unsplit.reduce((n, u) => n + u.tokens, 0);
      notes.push(`Claude stats cache in ${configDir}: ${tokens} tokens of ${models} not estimated (no all-time input/output for the model)`);
    }
    for (const a of stored.stats.dailyActivity) {
      const into = activity.get(a.date) ?? { date: a.date, messageCount: 0, sessionCount: 0, toolCallCount: 0, coveredByLogs: coveredDays.has(a.date) };
      into.messageCount += a.messageCount;
      into.sessionCount += a.sessionCount;
      into.toolCallCount += a.toolCallCount;
      activity.set(a.date, into);
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const days = [...byKey.values()].sort((a, b) => cmp(a.date, b.date) || cmp(a.model, b.model));
  return {
    days,
    dayCount: new Set(days.map((d) => d.date)).size,
    activity: [...activity.values()].sort((a, b) => cmp(a.date, b.date)),
    notes,
  };
}
