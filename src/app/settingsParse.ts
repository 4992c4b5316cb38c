import type { AgentMeterSettings, SourceSelection, TeamProjectMode, TeamSettings } from './settings';
import { SOURCE_IDS } from '../core/sources/registry';
import { CURRENCY_CODE, parsePriceOverrides, type CurrencyRates, type PriceOverrides } from '../core/pricing/priceTable';
import { isValidTimeZone, systemTimeZone } from '../core/report/tz';

/**
 * Turns raw `agentMeter.*` values into typed, validated settings. Pure (no `vscode` import), so it is unit-tested.
 * Anything of the wrong type falls back to the default; nothing here throws.
 */
export type RawSettingGetter = (key: string) => unknown;

export const DEFAULT_STATUS_FORMAT = '$(pulse) {todayCost} today · 5h {blockCost}';
export const DEFAULT_THRESHOLDS = [50, 80, 100];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const PLANS = ['auto', 'pro', 'max5', 'max20', 'custom'] as const;

function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter((s): s is string => typeof s === 'string').map((s) => s.trim()).filter((s) => s.length > 0);
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A budget: a positive finite number, else null (= off). */
function budget(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

function numberMap(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'number' && Number.isFinite(x) && x >= 0) out[k] = x;
  return out;
}

/** Price overrides validated by the core (same rules as the CLI's --prices file); invalid → none, with a warning. */
function overrides(v: unknown, warnings: string[]): PriceOverrides {
  if (v === undefined || v === null) return {};
  try {
    return parsePriceOverrides(v);
  } catch (e) {
    warnings.push(`agentMeter.prices.overrides ignored: ${e instanceof Error ? e.message : String(e)}`);
    return {};
  }
}

/**
 * `agentMeter.sources.<id>.enabled` (default true) and `.directories` per registered source; the older
 * `agentMeter.<id>.directories` (claude, codex) is read where the new key is empty.
 */
function sourceSelection(get: RawSettingGetter): SourceSelection {
  const out: SourceSelection = { enabled: [], dirs: {} };
  for (const id of SOURCE_IDS) {
    if (get(`sources.${id}.enabled`) !== false) out.enabled.push(id);
    const dirs = strings(get(`sources.${id}.directories`));
    out.dirs[id] = dirs.length > 0 ? dirs : strings(get(`${id}.directories`));
  }
  return out;
}

/**
 * `agentMeter.currency.rates`: USD per one unit of a currency prices are published in (e.g. `{ "CNY": 0.14 }`).
 * Entries with a bad code or a rate that is not > 0 are left out with a warning (that currency then has no rate).
 */
function currencyRates(v: unknown, warnings: string[]): CurrencyRates {
  const out: CurrencyRates = {};
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) {
    warnings.push('agentMeter.currency.rates must be an object like { "CNY": 0.14 }; ignored');
    return out;
  }
  for (const [code, rate] of Object.entries(v)) {
    if (!CURRENCY_CODE.test(code)) warnings.push(`agentMeter.currency.rates: "${code}" is not a three-letter upper-case ISO 4217 code; ignored`);
    else if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) warnings.push(`agentMeter.currency.rates: the rate of ${code} must be a number > 0 (USD per 1 ${code}); ignored`);
    else out[code] = rate;
  }
  return out;
}

export const DEFAULT_TEAM_PUSH_MINUTES = 15;
/** Longest member or machine name accepted (the team database's columns take any text; this keeps labels readable). */
export const TEAM_NAME_MAX = 200;
const TEAM_PROJECT_MODES: readonly TeamProjectMode[] = ['folder', 'path', 'hash'];

/**
 * A member or machine name: trimmed text without control characters, at most TEAM_NAME_MAX long; empty = the default
 * (null). Quotes or SQL in a name are just text (the push sends it as a bound parameter).
 */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function teamName(key: string, v: unknown, warnings: string[]): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    warnings.push(`agentMeter.${key} must be text; using the default`);
    return null;
  }
  const s = v.trim();
  if (!s) return null;
  if (hasControlCharacter(s) || s.length > TEAM_NAME_MAX) {
    warnings.push(`agentMeter.${key} must be one line of at most ${TEAM_NAME_MAX} characters; using the default`);
    return null;
  }
  return s;
}

function teamSettings(get: RawSettingGetter, warnings: string[]): TeamSettings {
  const member = teamName('team.member', get('team.member'), warnings);
  const machine = teamName('team.machine', get('team.machine'), warnings);
  const rawMode = get('team.projects');
  const projects = (TEAM_PROJECT_MODES as readonly unknown[]).includes(rawMode) ? (rawMode as TeamProjectMode) : 'folder';
  if (rawMode !== undefined && rawMode !== null && rawMode !== projects) warnings.push(`agentMeter.team.projects must be one of ${TEAM_PROJECT_MODES.join(', ')}; using folder`);
  const rawSalt = get('team.projectSalt');
  const rawCa = get('team.caFile');
  const rawMinutes = get('team.push.intervalMinutes');
  let minutes = num(rawMinutes, DEFAULT_TEAM_PUSH_MINUTES);
  if (!(minutes >= 1 && minutes <= 1440)) {
    warnings.push(`agentMeter.team.push.intervalMinutes must be between 1 and 1440; using ${DEFAULT_TEAM_PUSH_MINUTES}`);
    minutes = DEFAULT_TEAM_PUSH_MINUTES;
  }
  return {
    member,
    machine,
    projects,
    projectSalt: typeof rawSalt === 'string' && rawSalt.length > 0 ? rawSalt : null,
    caFile: typeof rawCa === 'string' && rawCa.trim() ? rawCa.trim() : null,
    push: { enabled: get('team.push.enabled') !== false, intervalMs: Math.round(minutes * 60_000) },
  };
}

export interface ParsedSettings {
  settings: AgentMeterSettings;
  /** human-readable problems found (shown in the log) */
  warnings: string[];
}

export function parseSettings(get: RawSettingGetter): ParsedSettings {
  const warnings: string[] = [];

  const rawZone = get('timeZone');
  let timeZone = typeof rawZone === 'string' ? rawZone.trim() : '';
  if (timeZone && !isValidTimeZone(timeZone)) {
    warnings.push(`agentMeter.timeZone "${timeZone}" is not a known IANA time zone; using the system zone`);
    timeZone = '';
  }
  if (!timeZone) timeZone = systemTimeZone();

  const rawWeek = get('weekStart');
  const weekIdx = typeof rawWeek === 'string' ? WEEKDAYS.indexOf(rawWeek.toLowerCase()) : -1;
  const weekStart = weekIdx >= 0 ? weekIdx : 1;

  const rawCode = get('currency.code');
  const code = typeof rawCode === 'string' && /^[A-Za-z]{3}$/.test(rawCode.trim()) ? rawCode.trim().toUpperCase() : 'USD';
  const rawRate = get('currency.rateToUsd');
  let rateToUsd = num(rawRate, 1);
  if (!(rateToUsd > 0)) {
    warnings.push('agentMeter.currency.rateToUsd must be > 0; using 1');
    rateToUsd = 1;
  }

  const rates = currencyRates(get('currency.rates'), warnings);

  const rawFormat = get('statusBar.format');
  const format = typeof rawFormat === 'string' && rawFormat.trim() ? rawFormat : DEFAULT_STATUS_FORMAT;
  const alignment = get('statusBar.alignment') === 'left' ? 'left' : 'right';
  const priority = num(get('statusBar.priority'), 100);
  const showCodexQuota = get('statusBar.showCodexQuota') !== false;

  const rawThresholds = get('budgets.thresholds');
  let thresholds = Array.isArray(rawThresholds)
    ? [...new Set(rawThresholds.filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && t > 0))].sort((a, b) => a - b)
    : DEFAULT_THRESHOLDS;
  if (Array.isArray(rawThresholds) && thresholds.length === 0 && rawThresholds.length > 0) thresholds = DEFAULT_THRESHOLDS;

  const rawDay = get('budgets.billingCycleStartDay');
  const billingCycleStartDay = typeof rawDay === 'number' && Number.isInteger(rawDay) && rawDay >= 1 && rawDay <= 28 ? rawDay : 1;

  const rawPlan = get('claude.plan');
  const plan = (PLANS as readonly unknown[]).includes(rawPlan) ? (rawPlan as AgentMeterSettings['claudePlan']['plan']) : 'auto';

  return {
    warnings,
    settings: {
      sources: sourceSelection(get),
      timeZone,
      weekStart,
      currency: Object.keys(rates).length ? { code, rateToUsd, rates } : { code, rateToUsd },
      statusBar: { format, alignment, priority, showCodexQuota },
      watchUsePolling: get('watch.usePolling') === true,
      priceOverrides: overrides(get('prices.overrides'), warnings),
      budgets: {
        dailyUsd: budget(get('budgets.daily')),
        weeklyUsd: budget(get('budgets.weekly')),
        monthlyUsd: budget(get('budgets.monthly')),
        projectsMonthlyUsd: numberMap(get('budgets.projects')),
        billingCycleStartDay,
        thresholds,
      },
      claudePlan: {
        plan,
        customTokens: budget(get('claude.customLimit.tokens')),
        customCostUsd: budget(get('claude.customLimit.costUsd')),
      },
      team: teamSettings(get, warnings),
      alerts: { anomalies: get('alerts.anomalies') === true },
    },
  };
}
