import { isSourceId, sourceDef } from '../../core/sources/registry';
import type { ReportRow } from '../../core/report/rows';
import type { BudgetStatus } from '../../core/limits/budgets';
import { formatCountdown, resetCountdown } from '../../core/limits/codexQuota';
import { statusBarLevel, type StatusLevel } from '../../core/limits/alerts';
import { describePlanLimit } from '../../core/limits/plans';
import type { StatusSummary } from './statusSummary';

/**
 * Status bar text and Markdown tooltip from a `StatusSummary` (pure; no `vscode`).
 * Rules shown here: a cost with unpriced usage is the priced part followed by "+?" (never a silent $0) and
 * the tooltip names the unpriced models; text from the logs (model names, paths) is escaped before it goes
 * into Markdown; the colour level is "error" at ≥ 100 % of a daily/weekly/monthly budget and "warning" from
 * the first configured threshold at or above 80 %.
 */
export interface StatusDisplay {
  format: string;
  showCodexQuota: boolean;
  currency: { code: string; rateToUsd: number };
  /** BCP 47, e.g. vscode.env.language */
  locale: string;
  thresholds: readonly number[];
  lastUpdatedMs: number | null;
  indexing: boolean;
  error?: string;
}

export type { StatusLevel };

export interface StatusView {
  text: string;
  tooltip: string;
  level: StatusLevel;
  accessibilityLabel: string;
}

export const PLACEHOLDERS = [
  'todayCost', 'todayTokens', 'blockCost', 'blockTokens', 'blockTimeLeft', 'burnRate', 'burnRateTokens',
  'weekCost', 'monthCost', 'codexPrimary', 'codexSecondary',
] as const;

/** Escapes Markdown syntax in untrusted text (model names, project paths from the logs). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

export function formatMoney(usd: number, currency: StatusDisplay['currency'], locale: string): string {
  const v = usd * currency.rateToUsd;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.code, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
  } catch {
    return `${v.toFixed(2)} ${currency.code}`;
  }
}

/** Cost of a row: priced part, "+?" when some of it is unpriced, "n/a" when all of it is. */
export function formatRowCost(r: Pick<ReportRow, 'costUSD' | 'pricedCostUSD' | 'unpricedTokens' | 'totalTokens'>, d: Pick<StatusDisplay, 'currency' | 'locale'>): string {
  if (r.costUSD !== null) return formatMoney(r.costUSD, d.currency, d.locale);
  if (r.unpricedTokens >= r.totalTokens && r.pricedCostUSD === 0) return 'n/a';
  return `${formatMoney(r.pricedCostUSD, d.currency, d.locale)}+?`;
}

/** 950 → "950", 12_345 → "12.3K", 4_200_000 → "4.2M". */
export function formatTokens(n: number, locale = 'en-US'): string {
  try {
    return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
  } catch {
    return String(Math.round(n));
  }
}

function timeOfDay(ms: number, timeZone: string, locale: string, withSeconds = false): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}) }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(11, withSeconds ? 19 : 16);
  }
}

function dayLabel(ms: number, timeZone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

function percent(p: number): string {
  return `${Math.round(p)}%`;
}

/** Colour level from the daily/weekly/monthly budgets (project budgets are listed, not coloured); rule in core `statusBarLevel`. */
export function budgetLevel(budgets: readonly BudgetStatus[], thresholds: readonly number[]): StatusLevel {
  return statusBarLevel(budgets.filter((b) => b.project === undefined).map((b) => b.fraction), thresholds);
}

function placeholderValues(s: StatusSummary, d: StatusDisplay): Record<(typeof PLACEHOLDERS)[number], string> {
  const money = (r: ReportRow) => formatRowCost(r, d);
  const b = s.block;
  const quota = (slot: 'primary' | 'secondary') => {
    const w = s.codex?.windows.find((x) => x.slot === slot);
    return w ? percent(w.usedPercent) : '–';
  };
  return {
    todayCost: money(s.today),
    todayTokens: formatTokens(s.today.totalTokens, d.locale),
    blockCost: b ? money(b) : formatMoney(0, d.currency, d.locale),
    blockTokens: b ? formatTokens(b.totalTokens, d.locale) : '0',
    blockTimeLeft: b ? formatCountdown(b.endMs - s.nowMs) : '–',
    burnRate: b?.burnRate?.costPerHour != null ? `${formatMoney(b.burnRate.costPerHour, d.currency, d.locale)}/h` : '–',
    burnRateTokens: b?.burnRate ? `${formatTokens(b.burnRate.tokensPerMinute, d.locale)}/min` : '–',
    weekCost: money(s.week),
    monthCost: money(s.month),
    codexPrimary: quota('primary'),
    codexSecondary: quota('secondary'),
  };
}

/** Fills `{placeholder}`s; unknown placeholders are left as written (so a typo is visible). */
export function fillFormat(format: string, values: Record<string, string>): string {
  return format.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(values, k) ? values[k] : m));
}

export function statusText(s: StatusSummary, d: StatusDisplay): string {
  const values = placeholderValues(s, d);
  let text = fillFormat(d.format, values);
  const primary = s.codex?.windows.find((w) => w.slot === 'primary');
  if (d.showCodexQuota && primary && !/\{codex(Primary|Secondary)\}/.test(d.format)) {
    text += ` · Codex ${primary.label} ${percent(primary.usedPercent)}`;
  }
  if (d.indexing && d.lastUpdatedMs === null) text = `$(sync~spin) ${text}`;
  return text;
}

function table(header: string[], rows: string[][]): string[] {
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'));
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function statusTooltip(s: StatusSummary, d: StatusDisplay): string {
  const money = (r: ReportRow) => formatRowCost(r, d);
  const tz = s.timeZone;
  const out: string[] = [];
  out.push(`**AgentMeter** — today, ${escapeMarkdown(dayLabel(s.nowMs, tz, d.locale))} (${escapeMarkdown(tz)})`, '');
  if (s.today.requests === 0 && s.today.totalTokens === 0) {
    out.push('No usage today yet.', '');
  } else {
    const label = (source: string | null | undefined) => (source && isSourceId(source) ? sourceDef(source).label : source ?? '');
    const sourceName = (r: ReportRow) => escapeMarkdown(r.source ? label(r.source) : r.key);
    // a model used through two agents today (e.g. Claude Code and Cline) is a row per agent: say which
    const seen = new Map<string, number>();
    for (const r of s.todayByModel) seen.set(r.model ?? r.key, (seen.get(r.model ?? r.key) ?? 0) + 1);
    const modelName = (r: ReportRow) => ((seen.get(r.model ?? r.key) ?? 0) > 1 && r.source ? `${r.model ?? r.key} (${label(r.source)})` : r.model ?? r.key);
    out.push(
      ...table(
        ['Today', 'Cost', 'Tokens', 'Requests'],
        [
          ...s.todayBySource.map((r) => [sourceName(r), money(r), formatTokens(r.totalTokens, d.locale), r.requests.toLocaleString(d.locale)]),
          ...(s.todayBySource.length > 1 ? [['**Total**', `**${money(s.today)}**`, `**${formatTokens(s.today.totalTokens, d.locale)}**`, `**${s.today.requests.toLocaleString(d.locale)}**`]] : []),
        ],
      ),
      '',
      ...table(
        ['Model', 'Cost', 'Tokens'],
        s.todayByModel.slice(0, 8).map((r) => [escapeMarkdown(modelName(r)), money(r), formatTokens(r.totalTokens, d.locale)]),
      ),
      '',
    );
    if (s.todayByModel.length > 8) out.push(`…and ${s.todayByModel.length - 8} more models`, '');
  }

  const b = s.block;
  if (b) {
    const parts = [`${money(b)}`, `${formatTokens(b.totalTokens, d.locale)} tokens`];
    if (b.burnRate) {
      const perHour = b.burnRate.costPerHour;
      parts.push(`burn ${perHour !== null ? `${formatMoney(perHour, d.currency, d.locale)}/h, ` : ''}${formatTokens(b.burnRate.tokensPerMinute, d.locale)} tokens/min`);
    }
    if (b.projection) {
      const pc = b.projection.costUSD;
      parts.push(`projected ${pc !== null ? formatMoney(pc, d.currency, d.locale) : 'n/a'} (${formatTokens(b.projection.totalTokens, d.locale)} tokens)`);
    }
    const resetMs = b.usageLimitResetMs ?? b.endMs;
    parts.push(`${formatCountdown(resetMs - s.nowMs)} left (resets ${timeOfDay(resetMs, tz, d.locale)})`);
    out.push(`**Claude 5-hour block** ${timeOfDay(b.startMs, tz, d.locale)}–${timeOfDay(b.endMs, tz, d.locale)}: ${parts.join(' · ')}`, '');
    if (b.usageLimitResetMs !== null) out.push('$(warning) Claude Code reported the usage limit reached in this block.', '');
    const plan = planLimitLine(s, d);
    if (plan) out.push(plan, '');
  } else {
    out.push('**Claude 5-hour block**: none active', '');
  }

  out.push(`**This week**: ${money(s.week)} · ${formatTokens(s.week.totalTokens, d.locale)} tokens`, '');
  out.push(`**Month to date** (since ${escapeMarkdown(dayLabel(s.monthStartMs, tz, d.locale))}): ${money(s.month)} · ${formatTokens(s.month.totalTokens, d.locale)} tokens`, '');

  if (s.estimated) {
    const cost = s.estimated.costUSD === null ? 'cost partly unknown' : `≈ ${formatMoney(s.estimated.costUSD, d.currency, d.locale)}`;
    out.push(`≈ ${s.estimated.days.toLocaleString(d.locale)} earlier day${s.estimated.days === 1 ? '' : 's'} without logs estimated from Claude Code's stats cache: ${cost} (not in these totals)`, '');
  }
  for (const [source, n] of Object.entries(s.unknownUsage ?? {})) {
    const label = isSourceId(source) ? sourceDef(source).label : source;
    out.push(`$(question) ${escapeMarkdown(label)}: usage unknown for ${n.toLocaleString(d.locale)} session${n === 1 ? '' : 's'} (not written to disk; not counted as zero)`, '');
  }
  if (s.codex) {
    const ws = s.codex.windows.map((w) => {
      const reset = resetCountdown(w, s.nowMs);
      const at = w.resetsAtMs !== null && !w.isStale ? ` at ${timeOfDay(w.resetsAtMs, tz, d.locale)}` : '';
      return `${escapeMarkdown(w.label)} ${percent(w.usedPercent)} used${reset ? ` (${reset}${at})` : ''}`;
    });
    const plan = s.codex.planType ? ` (${escapeMarkdown(s.codex.planType)} plan)` : '';
    out.push(`**Codex quota**${plan}: ${ws.join(' · ')}`, '');
  }

  if (s.budgets.length) {
    const lines = s.budgets.map((x) => {
      const name = x.project !== undefined ? `project ${escapeMarkdown(x.project)}` : x.budgetId;
      const icon = x.fraction >= 1 ? '$(error) ' : x.crossed.length ? '$(warning) ' : '';
      return `${icon}${name}: ${formatMoney(x.spentUsd, d.currency, d.locale)} of ${formatMoney(x.limitUsd, d.currency, d.locale)} (${percent(x.fraction * 100)})`;
    });
    out.push(`**Budgets**: ${lines.join(' · ')}`, '');
  }

  const unpriced = new Set<string>([...s.today.unpricedModels, ...s.month.unpricedModels]);
  if (unpriced.size) {
    out.push(
      `$(warning) **Unpriced models** (cost unknown, tokens counted; set prices in \`agentMeter.prices.overrides\`): ${[...unpriced].map(escapeMarkdown).join(', ')}`,
      '',
    );
  }
  if (d.error) out.push(`$(error) ${escapeMarkdown(d.error)}`, '');
  const updated = d.lastUpdatedMs === null ? (d.indexing ? 'indexing…' : 'not yet') : timeOfDay(d.lastUpdatedMs, tz, d.locale, true);
  out.push(`_Updated ${updated} · click to open the dashboard_`);
  return out.join('\n');
}

/**
 * The active block against the plan limit: share used, projection, and the time until the limit at the current
 * burn rate (rule in core `forecastBlock`). Plan limits are estimates unless custom; the line says which.
 */
function planLimitLine(s: StatusSummary, d: StatusDisplay): string | null {
  const f = s.blockForecast;
  const limit = s.planLimit;
  if (!f || !limit) return null;
  const pct = (x: number | null) => (x === null ? 'n/a' : percent(x * 100));
  const head = `**Plan limit** ${escapeMarkdown(describePlanLimit(limit))}: ${pct(f.usedFraction)} used, projected ${pct(f.projectedFraction)}`;
  let when: string;
  if (f.limitReached) when = `$(error) limit reached, resets in ${formatCountdown(f.msToReset)} (${timeOfDay(f.resetsAtMs, s.timeZone, d.locale)})`;
  else if (f.msToLimit !== null) when = `$(warning) at this rate the limit is reached in ${formatCountdown(f.msToLimit)} (${timeOfDay(s.nowMs + f.msToLimit, s.timeZone, d.locale)}), before the reset`;
  else if (f.tokensPerMinute === null) when = 'no burn rate yet';
  else when = 'not reached before the reset at this rate';
  return `${head} · ${when}`;
}

export function buildStatusView(s: StatusSummary, d: StatusDisplay): StatusView {
  const text = statusText(s, d);
  return {
    text,
    tooltip: statusTooltip(s, d),
    level: budgetLevel(s.budgets, d.thresholds),
    accessibilityLabel: `AgentMeter: ${formatRowCost(s.today, d)} today, ${s.block ? formatRowCost(s.block, d) : formatMoney(0, d.currency, d.locale)} in the current 5-hour block`,
  };
}
