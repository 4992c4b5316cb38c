import type { Database } from 'sql.js';
import type { Tier, TokenCounts } from '../types';

/**
 * The index's cost-by-activity aggregate (store/usageActivity.ts) as the team push sends it (core/team/push.ts):
 * one row per (UTC hour, source, model, tier, activity key) — the local rows as they are, ids resolved to names.
 * Hours in [fromHourMs, toHourMs), ordered by hour.
 */
export interface LocalActivityHour extends TokenCounts {
  hourMs: number;
  source: string;
  model: string;
  tier: Tier;
  /** the activity key as stored (core/activity.ts; `subagent/…` for a subagent's call, '' unknown) */
  activity: string;
}

export function loadActivityHours(db: Database, fromHourMs: number, toHourMs: number): LocalActivityHour[] {
  const stmt = db.prepare(`
    SELECT a.hour, k.source, k.model, k.tier, COALESCE(n.name, ''), a.input, a.output, a.cw5m, a.cw1h, a.cache_read,
      a.reasoning, a.web_search, a.requests
    FROM usage_acts a JOIN hour_keys k ON k.id = a.key LEFT JOIN act_keys n ON n.id = a.act
    WHERE a.hour >= ? AND a.hour < ?
    ORDER BY a.hour`);
  const out: LocalActivityHour[] = [];
  try {
    stmt.bind([fromHourMs, toHourMs]);
    while (stmt.step()) {
      const v = stmt.get();
      out.push({
        hourMs: Number(v[0]), source: String(v[1]), model: String(v[2]), tier: String(v[3]) as Tier, activity: String(v[4]),
        input: Number(v[5]), output: Number(v[6]), cacheWrite5m: Number(v[7]), cacheWrite1h: Number(v[8]),
        cacheRead: Number(v[9]), reasoning: Number(v[10]), webSearch: Number(v[11]), requests: Number(v[12]),
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}
