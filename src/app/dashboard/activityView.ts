/**
 * The dashboard's cost by activity (issue 15 §5): the hourly activity aggregate (core store/usageActivity.ts) over the
 * snapshot's range, source and model filters, grouped by activity — most expensive first. Activity is kept per UTC
 * hour, source, model and tier, not per project: with a project filter the view says so and shows nothing.
 * The team scopes give the same view over the team database's activity hours (`activityViewOf`, read in
 * app/indexWorker/teamWorker.ts).
 */
import type { Database } from 'sql.js';
import { splitActivity, UNKNOWN_ACTIVITY } from '../../core/activity';
import type { PriceTable } from '../../core/pricing/priceTable';
import { keptActivityFacts } from '../../core/query/keptHours';
import { groupFacts } from '../../core/report/group';
import { zoneCalendar } from '../../core/report/tz';
import type { Fact, Source } from '../../core/types';
import type { ActivityView, DashboardFilters } from '../../shared/protocol';

export interface ActivityViewQuery {
  filters: DashboardFilters;
  /** the snapshot's range, local days (YYYY-MM-DD) in `timeZone` */
  fromDay: string;
  toDay: string;
  timeZone: string;
  prices: PriceTable;
}

export function activityView(db: Database | undefined, q: ActivityViewQuery): ActivityView {
  if (q.filters.project !== null) return { rows: [], hiddenByProject: true, hasUnknown: false };
  if (!db) return { rows: [], hiddenByProject: false, hasUnknown: false };
  const { sinceMs = 0, untilMs } = zoneCalendar(q.timeZone).dayRange(q.fromDay, q.toDay);
  // the rows kept across data changes (the hours written since read again: core keptHours.ts)
  const facts = keptActivityFacts(db, {
    sinceMs,
    untilMs,
    sources: q.filters.source === 'all' ? undefined : [q.filters.source as Source],
    model: q.filters.model ?? undefined,
  });
  return activityViewOf(facts, q);
}

/**
 * The view over activity facts of the range (one per source, model, tier and activity, as `loadActivityFacts` gives
 * them): those of the source and model filters, grouped by activity.
 */
export function activityViewOf(all: readonly Fact[], q: ActivityViewQuery): ActivityView {
  if (q.filters.project !== null) return { rows: [], hiddenByProject: true, hasUnknown: false };
  const facts = all.filter((f) => (q.filters.source === 'all' || f.source === q.filters.source) && (q.filters.model === null || f.model === q.filters.model));
  const rows = groupFacts(facts, 'activity', { timeZone: q.timeZone, prices: q.prices })
    .map((r) => {
      const activity = r.activity ?? UNKNOWN_ACTIVITY;
      return {
        activity, subagent: splitActivity(activity).subagent, costUSD: r.pricedCostUSD,
        tokens: r.totalTokens, requests: r.requests, unpricedTokens: r.unpricedTokens,
      };
    })
    .filter((r) => r.tokens > 0 || r.requests > 0)
    .sort((a, b) => b.costUSD - a.costUSD || b.tokens - a.tokens || (a.activity < b.activity ? -1 : a.activity > b.activity ? 1 : 0));
  return { rows, hiddenByProject: false, hasUnknown: rows.some((r) => splitActivity(r.activity).work === UNKNOWN_ACTIVITY) };
}
