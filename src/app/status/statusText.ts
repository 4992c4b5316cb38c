import { isSourceId, sourceDef } from '../../core/sources/registry';
import type { ReportRow } from '../../core/report/rows';
import type { BudgetStatus } from '../../core/limits/budgets';
import { statusBarLevel, type StatusLevel } from '../../core/limits/alerts';
import type { StatusSummary } from './statusSummary';
import { englishTranslator, type Translator } from '../i18n/translator';
import { describePlanLimitText } from '../planLimitText';
import { unpricedModelItems } from '../unpricedText';
import { countdownText, localizeWindowLabel, resetText } from '../i18n/durations';

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
export function formatRowCost(r: Pick<ReportRow, 'costUSD' | 'pricedCostUSD' | 'unpricedTokens' | 'totalTokens'>, d: Pick<StatusDisplay, 'currency' | 'locale'>, t: Translator = englishTranslator): string {
  if (r.costUSD !== null) return formatMoney(r.costUSD, d.currency, d.locale);
  if (r.unpricedTokens >= r.totalTokens && r.pricedCostUSD === 0) return t('status.na');
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

function placeholderValues(s: StatusSummary, d: StatusDisplay, t: Translator): Record<(typeof PLACEHOLDERS)[number], string> {
  const money = (r: ReportRow) => formatRowCost(r, d, t);
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
    blockTimeLeft: b ? countdownText(b.endMs - s.nowMs, t) : '–',
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

export function statusText(s: StatusSummary, d: StatusDisplay, t: Translator = englishTranslator): string {
  const values = placeholderValues(s, d, t);
  let text = fillFormat(localizedFormat(d.format, t), values);
  const primary = s.codex?.windows.find((w) => w.slot === 'primary');
  if (d.showCodexQuota && primary && !/\{codex(Primary|Secondary)\}/.test(d.format)) {
    text += ` · ${t('status.codexQuota', { label: localizeWindowLabel(primary.label, t), pct: percent(primary.usedPercent) })}`;
  }
  if (d.indexing && d.lastUpdatedMs === null) text = `$(sync~spin) ${text}`;
  return text;
}

function table(header: string[], rows: string[][]): string[] {
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'));
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function statusTooltip(s: StatusSummary, d: StatusDisplay, t: Translator = englishTranslator): string {
  const money = (r: ReportRow) => formatRowCost(r, d, t);
  const tz = s.timeZone;
  const out: string[] = [];
  out.push(t('status.tooltip.head', { day: escapeMarkdown(dayLabel(s.nowMs, tz, d.locale)), zone: escapeMarkdown(tz) }), '');
  if (s.today.requests === 0 && s.today.totalTokens === 0) {
    out.push(t('status.tooltip.noUsage'), '');
  } else {
    const label = (source: string | null | undefined) => (source && isSourceId(source) ? sourceDef(source).label : source ?? '');
    const sourceName = (r: ReportRow) => escapeMarkdown(r.source ? label(r.source) : r.key);
    // a model used through two agents today (e.g. Claude Code and Cline) is a row per agent: say which
    const seen = new Map<string, number>();
    for (const r of s.todayByModel) seen.set(r.model ?? r.key, (seen.get(r.model ?? r.key) ?? 0) + 1);
    const modelName = (r: ReportRow) => ((seen.get(r.model ?? r.key) ?? 0) > 1 && r.source ? `${r.model ?? r.key} (${label(r.source)})` : r.model ?? r.key);
    out.push(
      ...table(
        [t('status.col.today'), t('status.col.cost'), t('status.col.tokens'), t('status.col.requests')],
        [
          ...s.todayBySource.map((r) => [sourceName(r), money(r), formatTokens(r.totalTokens, d.locale), r.requests.toLocaleString(d.locale)]),
          ...(s.todayBySource.length > 1 ? [[`**${t('status.total')}**`, `**${money(s.today)}**`, `**${formatTokens(s.today.totalTokens, d.locale)}**`, `**${s.today.requests.toLocaleString(d.locale)}**`]] : []),
        ],
      ),
      '',
      ...table(
        [t('status.col.model'), t('status.col.cost'), t('status.col.tokens')],
        s.todayByModel.slice(0, 8).map((r) => [escapeMarkdown(modelName(r)), money(r), formatTokens(r.totalTokens, d.locale)]),
      ),
      '',
    );
    if (s.todayByModel.length > 8) out.push(t('status.moreModels', { n: s.todayByModel.length - 8 }), '');
  }

  const b = s.block;
  if (b) {
    const tokens = (n: number) => formatTokens(n, d.locale);
    const parts = [`${money(b)}`, t('status.tokens', { tokens: tokens(b.totalTokens) })];
    if (b.burnRate) {
      const perHour = b.burnRate.costPerHour;
      parts.push(perHour !== null
        ? t('status.burnCost', { cost: formatMoney(perHour, d.currency, d.locale), tokens: tokens(b.burnRate.tokensPerMinute) })
        : t('status.burnTokens', { tokens: tokens(b.burnRate.tokensPerMinute) }));
    }
    if (b.projection) {
      const pc = b.projection.costUSD;
      parts.push(t('status.projected', { cost: pc !== null ? formatMoney(pc, d.currency, d.locale) : t('status.na'), tokens: tokens(b.projection.totalTokens) }));
    }
    const resetMs = b.usageLimitResetMs ?? b.endMs;
    parts.push(t('status.left', { countdown: countdownText(resetMs - s.nowMs, t), time: timeOfDay(resetMs, tz, d.locale) }));
    out.push(t('status.block', { start: timeOfDay(b.startMs, tz, d.locale), end: timeOfDay(b.endMs, tz, d.locale), parts: parts.join(' · ') }), '');
    if (b.usageLimitResetMs !== null) out.push(t('status.blockLimitReported'), '');
    const plan = planLimitLine(s, d, t);
    if (plan) out.push(plan, '');
  } else {
    out.push(t('status.blockNone'), '');
  }

  out.push(t('status.week', { cost: money(s.week), tokens: formatTokens(s.week.totalTokens, d.locale) }), '');
  out.push(t('status.month', { day: escapeMarkdown(dayLabel(s.monthStartMs, tz, d.locale)), cost: money(s.month), tokens: formatTokens(s.month.totalTokens, d.locale) }), '');

  if (s.estimated) {
    const cost = s.estimated.costUSD === null ? t('status.estimated.costUnknown') : t('status.estimated.cost', { cost: formatMoney(s.estimated.costUSD, d.currency, d.locale) });
    out.push(t('status.estimated', { n: s.estimated.days, cost }), '');
  }
  for (const [source, n] of Object.entries(s.unknownUsage ?? {})) {
    const label = isSourceId(source) ? sourceDef(source).label : source;
    out.push(t('status.unknownUsage', { source: escapeMarkdown(label), n }), '');
  }
  if (s.codex) {
    const ws = s.codex.windows.map((w) => {
      const reset = resetText(w, s.nowMs, t);
      const args = { label: escapeMarkdown(localizeWindowLabel(w.label, t)), pct: percent(w.usedPercent), reset };
      if (!reset) return t('status.codex.window', args);
      return w.resetsAtMs !== null && !w.isStale
        ? t('status.codex.windowResetAt', { ...args, time: timeOfDay(w.resetsAtMs, tz, d.locale) })
        : t('status.codex.windowReset', args);
    });
    const plan = s.codex.planType ? t('status.codex.plan', { plan: escapeMarkdown(s.codex.planType) }) : '';
    out.push(t('status.codex', { plan, windows: ws.join(' · ') }), '');
  }

  if (s.budgets.length) {
    const lines = s.budgets.map((x) => {
      const name = x.project !== undefined ? t('status.budget.project', { project: escapeMarkdown(x.project) }) : budgetName(x.budgetId, t);
      const icon = x.fraction >= 1 ? '$(error) ' : x.crossed.length ? '$(warning) ' : '';
      return icon + t('status.budget.line', { name, spent: formatMoney(x.spentUsd, d.currency, d.locale), limit: formatMoney(x.limitUsd, d.currency, d.locale), pct: percent(x.fraction * 100) });
    });
    out.push(t('status.budgets', { lines: lines.join(' · ') }), '');
  }

  // the month's models with the month's reasons (its searches count today's), then any of today's it lacks
  const inMonth = new Set(s.month.unpricedModels);
  const todayOnly = { unpricedModels: s.today.unpricedModels.filter((m) => !inMonth.has(m)), unpricedWebSearches: s.today.unpricedWebSearches };
  const unpriced = [...unpricedModelItems(s.month, t), ...unpricedModelItems(todayOnly, t)];
  if (unpriced.length) out.push(t('status.unpriced', { models: unpriced.map(escapeMarkdown).join(', ') }), '');
  if (d.error) out.push(`$(error) ${escapeMarkdown(d.error)}`, '');
  const updated = d.lastUpdatedMs === null ? (d.indexing ? t('status.updated.indexing') : t('status.updated.notYet')) : timeOfDay(d.lastUpdatedMs, tz, d.locale, true);
  out.push(t('status.updated', { time: updated }));
  return out.join('\n');
}

/** `daily` / `weekly` / `monthly` in the display language (other ids as they are). */
function budgetName(id: string, t: Translator): string {
  return id === 'daily' ? t('status.budget.daily') : id === 'weekly' ? t('status.budget.weekly') : id === 'monthly' ? t('status.budget.monthly') : id;
}

/** The default format in the display language (a format the user wrote is used as written). */
function localizedFormat(format: string, t: Translator): string {
  return format === DEFAULT_STATUS_FORMAT ? t('status.defaultFormat') : format;
}

/** `agentMeter.statusBar.format`'s default (package.json). */
export const DEFAULT_STATUS_FORMAT = '$(pulse) {todayCost} today · 5h {blockCost}';

/**
 * The active block against the plan limit: share used, projection, and the time until the limit at the current
 * burn rate (rule in core `forecastBlock`). Plan limits are estimates unless custom; the line says which.
 */
function planLimitLine(s: StatusSummary, d: StatusDisplay, t: Translator): string | null {
  const f = s.blockForecast;
  const limit = s.planLimit;
  if (!f || !limit) return null;
  const pct = (x: number | null) => (x === null ? t('status.na') : percent(x * 100));
  const limitText = describePlanLimitText(limit, t, (usd) => formatMoney(usd, d.currency, d.locale));
  const head = t('status.plan.head', { limit: escapeMarkdown(limitText), used: pct(f.usedFraction), projected: pct(f.projectedFraction) });
  let when: string;
  if (f.limitReached) when = t('status.plan.reached', { countdown: countdownText(f.msToReset, t), time: timeOfDay(f.resetsAtMs, s.timeZone, d.locale) });
  else if (f.msToLimit !== null) when = t('status.plan.reachedIn', { countdown: countdownText(f.msToLimit, t), time: timeOfDay(s.nowMs + f.msToLimit, s.timeZone, d.locale) });
  else if (f.tokensPerMinute === null) when = t('status.plan.noBurn');
  else when = t('status.plan.notReached');
  return `${head} · ${when}`;
}

export function buildStatusView(s: StatusSummary, d: StatusDisplay, t: Translator = englishTranslator): StatusView {
  const text = statusText(s, d, t);
  return {
    text,
    tooltip: statusTooltip(s, d, t),
    level: budgetLevel(s.budgets, d.thresholds),
    accessibilityLabel: t('status.accessibility', { today: formatRowCost(s.today, d, t), block: s.block ? formatRowCost(s.block, d, t) : formatMoney(0, d.currency, d.locale) }),
  };
}
