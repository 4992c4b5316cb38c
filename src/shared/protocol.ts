/**
 * The typed message protocol between the dashboard webview and the extension host, and the snapshot it carries.
 * Used on both sides over the typed channel (channel.ts; with sessionsTable.ts its only imports: no `vscode`, no core). The webview does no
 * domain math: every number in a `DashboardSnapshot` is computed by the host (`src/app/dashboard/snapshot.ts`); the
 * webview only formats.
 */
import type { EventValidators, None, Side } from './channel';
import { sanitizeSort } from './sessionsTable';
import type { SessionRow, SessionSort } from './sessionsTable';

/** A log source's id (the host's registry: `claude`, `codex`, `gemini`, …; listed with labels in `sources`). */
export type SourceId = string;

/** A log source as the dashboard shows it. */
export interface SourceInfo {
  id: SourceId;
  label: string;
  /** CSS colour; `themeColor` (a VS Code theme variable) wins where the theme has it */
  color: string;
  themeColor?: string;
}

/** What a source id looks like (validation of untrusted ids from the webview). */
export const SOURCE_ID_RE = /^[a-z][a-z0-9-]{0,31}$/;

/** Date range presets of the dashboard. `custom` uses `sinceDay` / `untilDay` (inclusive, in the configured zone). */
export type RangePreset = '7d' | '30d' | '90d' | '365d' | 'all' | 'custom';
export const RANGE_PRESETS: readonly RangePreset[] = ['7d', '30d', '90d', '365d', 'all', 'custom'];

/**
 * Whose usage the dashboard shows (issue 16): `local` this machine's index; `me-all` the connected member's usage from
 * all of its machines in the team database; `team` everyone's (leads).
 */
export type DashboardScope = 'local' | 'me-all' | 'team';
export const DASHBOARD_SCOPES: readonly DashboardScope[] = ['local', 'me-all', 'team'];

export interface DashboardFilters {
  /** absent = `local` */
  scope?: DashboardScope;
  range: RangePreset;
  /** YYYY-MM-DD in the configured zone; only read when `range` is `custom` */
  sinceDay?: string;
  untilDay?: string;
  source: SourceId | 'all';
  /** project key, null = all */
  project: string | null;
  /** model name as logged, null = all */
  model: string | null;
}

export const DEFAULT_FILTERS: DashboardFilters = { range: '30d', source: 'all', project: null, model: null };

/** Export grains offered by `agentMeter.exportCsv` / `agentMeter.exportJson` (the host maps them onto its command). */
export type ExportGrain = 'day' | 'week' | 'month' | 'session' | 'project' | 'model' | 'branch' | 'activity' | 'bucket';
export type ExportFormat = 'csv' | 'json';

/** Token totals by type. Cache writes are split by TTL (Claude); reasoning is part of output (display only). */
export interface TokensByType {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  reasoning: number;
}

/** One summary card (today, last 7 days, this month, all time). Cost null = some of it is unpriced. */
export interface SummaryCard {
  id: 'today' | 'last7' | 'month' | 'all';
  /** costUSD of the priced part; `unpricedTokens` > 0 marks the card as incomplete */
  costUSD: number;
  unpricedTokens: number;
  tokens: number;
  requests: number;
  /** cacheRead / (input + cacheRead + cacheWrites); null when there is no input at all */
  cacheHitRatio: number | null;
  /** inclusive first and last day (YYYY-MM-DD) the card covers, null for an empty all-time card */
  fromDay: string | null;
  toDay: string | null;
}

export interface ChartSeries {
  label: string;
  /** one value per category (aligned with the chart's `labels`) */
  values: number[];
}

/** Daily cost (USD) stacked by model over the selected range. `labels` are YYYY-MM-DD days in the zone. */
export interface DailyChart {
  labels: string[];
  series: ChartSeries[];
  /** days whose cost misses unpriced tokens (flagged in the tooltip) */
  unpricedDays: string[];
}

export interface LabeledValue {
  /** key used for filtering (project key, source id, …); '' for the "other" slice */
  key: string;
  label: string;
  value: number;
}

export interface SourceSplit {
  source: SourceId;
  costUSD: number;
  tokens: number;
  requests: number;
  unpricedTokens: number;
  /** the agent's own cost estimate over the range (USD), for sources that log one (Cline, Roo, Kilo, OpenCode) */
  agentCostUSD?: number;
}

/**
 * The dashboard's cost by activity over the range, source and model filters (from the hourly activity aggregate, by
 * UTC hour). `hiddenByProject`: a project filter is set, and activity is not kept per project: rows are empty.
 */
export interface ActivityView {
  rows: ActivitySplit[];
  hiddenByProject: boolean;
  /** some usage has no known activity (indexed before activity was recorded, or an agent that logs no tools) */
  hasUnknown: boolean;
}

/**
 * One activity's cost over the range (what the calls were doing, from the tools they asked for: core/activity.ts),
 * main agent and subagent apart. `activity` is the stored key (`coding`, `mcp:<server>`, `subagent/exploring`,
 * '' unknown); the webview words it (webview/costByActivity.ts).
 */
export interface ActivitySplit {
  activity: string;
  subagent: boolean;
  costUSD: number;
  tokens: number;
  requests: number;
  unpricedTokens: number;
}

/**
 * Hour-of-day × weekday heatmap in the configured zone. `rows` start at the configured week start;
 * `weekdays[i]` is the JS weekday (0 = Sunday) of row i. Values are cost USD (tokens when nothing is priced).
 */
export interface Heatmap {
  weekdays: number[];
  /** rows[weekdayRow][hour] */
  costUSD: number[][];
  tokens: number[][];
  maxCostUSD: number;
  maxTokens: number;
  /** a short sentence naming the peak hours, e.g. "most spend is 14:00–17:00 on weekdays"; null if no data */
  peak: string | null;
}

/** A row of the sessions table (defined beside its sorting, shared/sessionsTable.ts). */
export type { SessionRow };

export interface ProjectRow {
  project: string;
  label: string;
  sources: SourceId[];
  sessions: number;
  requests: number;
  tokens: number;
  costUSD: number | null;
  lastMs: number;
}

export interface ModelRow {
  model: string;
  source: SourceId;
  requests: number;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  tokens: number;
  costUSD: number | null;
  /** true when the price table has no price for this model: its cost is unknown, never $0 */
  unpriced: boolean;
  /**
   * on an unpriced row whose cost is unknown only because of its web searches (its tokens have a price, its searches
   * none; the rule of `unpricedWebSearches`): their count in the range; absent otherwise or without the price table
   */
  unpricedWebSearches?: number;
}

/**
 * Days no log covers any more, estimated from Claude Code's own stats cache (a day's per-model total split by the
 * model's all-time mix): shown hatched, never added to the exact figures.
 */
export interface EstimatesView {
  /** per estimated day in the range: ≈ cost (null when a model is unpriced) and ≈ tokens */
  days: { day: string; costUSD: number | null; tokens: number }[];
  costUSD: number | null;
  tokens: number;
  /** Claude Code's own daily activity in the range (messages, sessions, tool calls), and whether the logs cover the day */
  activity: { day: string; messages: number; sessions: number; toolCalls: number; coveredByLogs: boolean }[];
  notes: string[];
}

/** What the empty state shows: where logs were looked for and how to point AgentMeter elsewhere. */
export interface EmptyState {
  /** per enabled source: the folders looked in */
  searched: { source: SourceId; dirs: string[] }[];
  notes: string[];
  indexing: boolean;
}

export interface StatusInfo {
  indexing: boolean;
  lastUpdatedMs: number | null;
  error: string | null;
}

/** Comparison of a period with the same elapsed part of the previous one (issue 4). */
export interface Comparison {
  id: 'day' | 'week' | 'month';
  currentUSD: number;
  previousUSD: number;
  /** (current - previous) / previous; null when previous is 0 */
  changeRatio: number | null;
  /** core `directionOf`: 'flat' under a 1 % change (or nothing either side), 'up' when previous is 0 and current is not */
  direction: 'up' | 'down' | 'flat';
}

export interface BudgetBar {
  id: 'daily' | 'weekly' | 'monthly' | string;
  label: string;
  spentUSD: number;
  limitUSD: number;
  /** spent / limit (may exceed 1) */
  ratio: number;
}

export interface CacheEconomics {
  /** what cache reads would have cost at the full input price minus what they cost */
  savedUSD: number | null;
  write5mUSD: number | null;
  write1hUSD: number | null;
  /** daily hit ratio over the range (aligned with `daily.labels`); null on days without input */
  dailyHitRatio: (number | null)[];
  hints: string[];
}

export interface Anomaly {
  kind: 'day' | 'session';
  /** day YYYY-MM-DD, or session id */
  key: string;
  label: string;
  costUSD: number;
  /** the threshold it exceeded (day: mean + 2σ; session: cost per request bound) */
  thresholdUSD: number;
  source?: SourceId;
}

export interface QuotaPoint {
  observedMs: number;
  primaryPercent: number | null;
  secondaryPercent: number | null;
}

/** Codex rate-limit timeline from its own `token_count` events (issue 4). */
export interface CodexQuota {
  points: QuotaPoint[];
  primaryWindowMinutes: number | null;
  secondaryWindowMinutes: number | null;
  /** newest values; null when the window has reset since it was observed */
  primaryNow: number | null;
  secondaryNow: number | null;
  primaryResetsAtMs: number | null;
  secondaryResetsAtMs: number | null;
}

export interface BlockBar {
  startMs: number;
  endMs: number;
  tokens: number;
  costUSD: number | null;
  isActive: boolean;
  isGap: boolean;
}

/** The active Claude block against the plan limit (host: core `forecastBlock`). */
export interface CurrentBlock {
  startMs: number;
  endMs: number;
  /** the block end, or the real reset time from an API error "usage limit reached|<epoch>" */
  resetsAtMs: number;
  resetSource: 'block' | 'api-error';
  tokens: number;
  costUSD: number | null;
  requests: number;
  /** null while the active span is under a minute */
  tokensPerMinute: number | null;
  costPerHour: number | null;
  projectedTokens: number;
  projectedCostUSD: number | null;
  /** used / limit and projected / limit (larger of tokens and cost); null without a known limit */
  usedRatio: number | null;
  projectedRatio: number | null;
  /** ms until the limit at the current rate; 0 = reached; null = not before the reset, or unknown */
  msToLimit: number | null;
  limitReached: boolean;
}

/** Claude totals of one local week (tokens = input + output, as counted against plan limits). */
export interface WeekTotal {
  /** first day of the week, YYYY-MM-DD in the configured zone */
  startDay: string;
  tokens: number;
  /** priced part */
  costUSD: number;
  unpriced: boolean;
  blocks: number;
}

/** Claude 5-hour blocks (estimates of the plan limit labelled as such; issue 4). */
export interface ClaudeBlocks {
  blocks: BlockBar[];
  limitTokens: number | null;
  /** how the limit was found, e.g. "P90 of 14 completed blocks (estimate)" */
  limitLabel: string | null;
  /** the active block, null when none is active */
  current?: CurrentBlock | null;
  /** the last weeks, oldest first (the current week last) */
  weeks?: WeekTotal[];
}

export interface DashboardSnapshot {
  generatedMs: number;
  /** VS Code display language (vscode.env.language) for Intl */
  locale: string;
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday */
  weekStart: number;
  /** display currency: amounts are USD in the snapshot; shown as usd * perUsd in `code` */
  currency: { code: string; perUsd: number };
  /** date of the price table the costs use (YYYY-MM-DD), null if unknown */
  priceTableDate: string | null;
  status: StatusInfo;
  /** the filters the snapshot was computed with (custom days resolved) */
  filters: DashboardFilters;
  /** the resolved range: first and last day (inclusive) */
  rangeFromDay: string | null;
  rangeToDay: string | null;
  /** every registered source (labels, colours), in display order */
  sourceInfo: SourceInfo[];
  filterOptions: {
    projects: { key: string; label: string }[];
    models: string[];
    sources: SourceId[];
  };
  /** non-null when there is no usage at all (before filters) */
  empty: EmptyState | null;
  cards: SummaryCard[];
  daily: DailyChart;
  tokensByType: TokensByType;
  costByProject: LabeledValue[];
  bySource: SourceSplit[];
  /** cost by activity (app/dashboard/activityView.ts; in a team scope from the team database, absent when it has no activity_hours) */
  activity?: ActivityView;
  heatmap: Heatmap;
  /** the sessions table's rows: one page of them when `sessionsPage` is given, else all of them */
  sessions: SessionRow[];
  /** sessions in the range under the filters (every page) */
  sessionsTotal: number;
  /** which page `sessions` is, of which order; the others are asked for with the webview's `sessionsPage` */
  sessionsPage?: SessionsPageOf;
  projects: ProjectRow[];
  models: ModelRow[];
  unpricedModels: string[];
  /**
   * of `unpricedModels`, those known to be unpriced only because of their web searches in the range (their tokens have
   * a price, their searches none), with the searches (none known without the price table)
   */
  unpricedWebSearches: { model: string; searches: number }[];
  /** issue 4 sections; absent until their data is available */
  comparisons?: Comparison[];
  budgets?: BudgetBar[];
  cache?: CacheEconomics;
  anomalies?: Anomaly[];
  codexQuota?: CodexQuota | null;
  claudeBlocks?: ClaudeBlocks | null;
  /** estimated days (Claude Code's stats cache) in the range; absent when there are none */
  estimates?: EstimatesView;
  /**
   * where detail ends: before it only daily rows, each day's usage at its local midnight (retention, or the team view's
   * daily reads); `day` its local day. Absent when the range holds all its detail.
   */
  detailFrom?: { ms: number; day: string; reason: 'retention' | 'team' };
  /** the team database (issue 16): the scope switch and, in a team scope, the breakdowns; absent when none is connected */
  team?: TeamView;
}

/** A page of the sessions table: the kept table it is from (an id the index worker gives each), its order and first row. */
export interface SessionsPageOf {
  table: number;
  sort: SessionSort;
  /** index of its first row in the whole sorted table */
  offset: number;
}

/** What the webview asks for: a page of the sessions table, or (`find`) the page holding one session in that order. */
export interface SessionsPageAsk extends SessionsPageOf {
  find?: { source: SourceId; session: string };
}

/** A page of the sessions table, as asked for by `sessionsPage` (`rows` from `offset` on, `total` in all). */
export interface SessionsPage extends SessionsPageOf {
  total: number;
  rows: SessionRow[];
}

/** A member's or a machine's usage over the range (under the filters). */
export interface TeamBreakdownRow {
  member: string;
  /** '' in the per-member table */
  machine: string;
  requests: number;
  tokens: number;
  /** priced part; `unpricedTokens` > 0 marks it incomplete */
  costUSD: number;
  unpricedTokens: number;
}

/** When a machine last pushed, and its newest pushed usage (how fresh its numbers are). */
export interface MachineFreshnessRow {
  member: string;
  machine: string;
  lastPushMs: number;
  lastEntryMs: number | null;
  version: string;
}

/** A lead's budget for the team (`member` null) or one member, against the spend of its current period. */
export interface TeamBudgetBar {
  member: string | null;
  period: 'daily' | 'weekly' | 'monthly';
  limitUSD: number;
  spentUSD: number;
  /** spent / limit (may exceed 1) */
  ratio: number;
}

export interface TeamView {
  scope: DashboardScope;
  /** the connected login's role: `lead` may pick `team`; a member sees it explained */
  role: 'lead' | 'member' | 'none' | null;
  /** this machine's member name in the team database */
  member: string;
  /** the team database could not be read (the snapshot then shows this machine) */
  error: string | null;
  /** in a team scope: per member and per machine over the range, most expensive first */
  members: TeamBreakdownRow[];
  machines: TeamBreakdownRow[];
  freshness: MachineFreshnessRow[];
  budgets: TeamBudgetBar[];
}

/** Host → webview: the events the host emits on the dashboard's channel (src/shared/channel.ts). */
/** The rules that raise notifications (core `limits/alerts.ts` AlertKind). */
export const ALERT_RULE_IDS = ['budget', 'codexQuota', 'claudeProjection', 'anomaly'] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

/** One recorded notification, as the dashboard lists it. */
export interface AlertHistoryRow {
  timeMs: number;
  rule: AlertRuleId;
  ruleLabel: string;
  severity: 'info' | 'warning' | 'error';
  /** percent of the limit used when it fired */
  value: number | null;
  /** percent crossed */
  threshold: number | null;
  message: string;
}

/** The alert history panel: the rows of the chosen rule (all when null), newest first. */
export interface AlertHistoryView {
  rule: AlertRuleId | null;
  /** every rule with its count in the history (the filter's options) */
  rules: { id: AlertRuleId; label: string; count: number }[];
  rows: AlertHistoryRow[];
  /** rows of the chosen rule in the history (more than `rows` holds when cut) */
  total: number;
  /** the most entries the history keeps */
  cap: number;
}

export type HostEvents = {
  /** the snapshot to show (it ends the `prepared` one: a snapshot sent ahead is shown only before the next) */
  snapshot: DashboardSnapshot;
  /**
   * A snapshot of other filters sent ahead (all time, made once the first snapshot of a shorter range is drawn): when
   * the user chooses exactly its filters, the webview shows it at once and says so (`setFilters`' `prepared`); the
   * host then sends a new one only when this one is no longer current.
   */
  prepared: { id: number; snapshot: DashboardSnapshot };
  /** a page of the sessions table the webview asked for */
  sessionsPage: SessionsPage;
  alertHistory: AlertHistoryView;
  status: StatusInfo;
  error: { message: string };
};

/** Webview → host: the events the webview emits (checked by `FROM_WEBVIEW` before the host sees them). */
export type WebviewEvents = {
  ready: { filters: DashboardFilters };
  /** new filters; `prepared`: the id of the prepared snapshot the webview shows for them (HostEvents' `prepared`) */
  setFilters: { filters: DashboardFilters; prepared?: number };
  /** another page or order of the sessions table of the snapshot shown (its `sessionsPage.table`) */
  sessionsPage: SessionsPageAsk;
  export: { format: ExportFormat; grain: ExportGrain };
  openSession: { source: SourceId; session: string };
  openSettings: { setting: string };
  refresh: Record<string, never>;
  alertRule: { rule: AlertRuleId | null };
  /** a snapshot was drawn: how long building its DOM and charts took, and from its arrival to the frame drawn */
  painted: { renderMs: number; frameMs: number };
};

/** The host's end of the dashboard channel: serves no requests, emits `HostEvents`. */
export type DashboardHostSide = Side<None, HostEvents>;
/** The webview's end: serves no requests, emits `WebviewEvents`. */
export type DashboardWebviewSide = Side<None, WebviewEvents>;

const GRAINS: readonly string[] = ['day', 'week', 'month', 'session', 'project', 'model', 'branch', 'activity', 'bucket'];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates filters from the webview (untrusted input); anything malformed falls back to the defaults. */
export function sanitizeFilters(v: unknown): DashboardFilters {
  if (!v || typeof v !== 'object') return { ...DEFAULT_FILTERS };
  const o = v as Record<string, unknown>;
  const range = (RANGE_PRESETS as readonly unknown[]).includes(o.range) ? (o.range as RangePreset) : DEFAULT_FILTERS.range;
  const out: DashboardFilters = {
    range,
    ...(o.scope === 'me-all' || o.scope === 'team' ? { scope: o.scope } : {}),
    source: typeof o.source === 'string' && SOURCE_ID_RE.test(o.source) ? o.source : 'all',
    project: typeof o.project === 'string' && o.project !== '' ? o.project : null,
    model: typeof o.model === 'string' && o.model !== '' ? o.model : null,
  };
  if (range === 'custom') {
    if (typeof o.sinceDay === 'string' && DAY_RE.test(o.sinceDay)) out.sinceDay = o.sinceDay;
    if (typeof o.untilDay === 'string' && DAY_RE.test(o.untilDay)) out.untilDay = o.untilDay;
  }
  return out;
}

/** Whether two filters ask for the same snapshot (no scope: this machine's data). */
export function sameFilters(a: DashboardFilters, b: DashboardFilters): boolean {
  return a.range === b.range && (a.scope ?? 'local') === (b.scope ?? 'local') && a.source === b.source && a.project === b.project && a.model === b.model
    && (a.range !== 'custom' || (a.sinceDay === b.sinceDay && a.untilDay === b.untilDay));
}

const filtersOf = (v: unknown): { filters: DashboardFilters } => ({ filters: sanitizeFilters(v && typeof v === 'object' ? (v as { filters?: unknown }).filters : undefined) });
const fieldsOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** Checks each event from the webview (untrusted input): a malformed body is dropped (null) or sanitised (filters). */
export const FROM_WEBVIEW: EventValidators<WebviewEvents> = {
  ready: filtersOf,
  setFilters: (v) => {
    const prepared = fieldsOf(v).prepared;
    return { ...filtersOf(v), ...(typeof prepared === 'number' && Number.isSafeInteger(prepared) && prepared > 0 ? { prepared } : {}) };
  },
  export: (v) => {
    const o = fieldsOf(v);
    return (o.format === 'csv' || o.format === 'json') && typeof o.grain === 'string' && GRAINS.includes(o.grain) ? { format: o.format, grain: o.grain as ExportGrain } : null;
  },
  openSession: (v) => {
    const o = fieldsOf(v);
    return typeof o.source === 'string' && SOURCE_ID_RE.test(o.source) && typeof o.session === 'string' && o.session ? { source: o.source as SourceId, session: o.session } : null;
  },
  openSettings: (v) => {
    const o = fieldsOf(v);
    return typeof o.setting === 'string' && o.setting.startsWith('agentMeter.') ? { setting: o.setting } : null;
  },
  sessionsPage: (v) => {
    const o = fieldsOf(v);
    const sort = sanitizeSort(o.sort);
    const whole = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
    if (!sort || !whole(o.table) || !whole(o.offset)) return null;
    const ask: SessionsPageAsk = { table: o.table as number, offset: o.offset as number, sort };
    if (o.find !== undefined) {
      const f = fieldsOf(o.find);
      if (typeof f.source !== 'string' || !SOURCE_ID_RE.test(f.source) || typeof f.session !== 'string' || !f.session) return null;
      ask.find = { source: f.source, session: f.session };
    }
    return ask;
  },
  refresh: () => ({}),
  alertRule: (v) => {
    const r = fieldsOf(v).rule;
    return r === null || (ALERT_RULE_IDS as readonly unknown[]).includes(r) ? { rule: r as AlertRuleId | null } : null;
  },
  painted: (v) => {
    const o = fieldsOf(v);
    const ms = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null);
    const renderMs = ms(o.renderMs);
    const frameMs = ms(o.frameMs);
    return renderMs === null || frameMs === null ? null : { renderMs, frameMs };
  },
};
