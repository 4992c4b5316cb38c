import type { Fact, Source } from '../core/types';
import { isSourceId } from '../core/sources/registry';
import type { PriceTable } from '../core/pricing/priceTable';
import { groupFacts, type GroupedRow } from '../core/report/group';
import { RowAccumulator, totals, type ReportRow } from '../core/report/rows';
import { reportCsvColumns } from '../core/report/csvColumns';
import { jsonRow } from '../core/report/json';
import { toCsv } from '../core/csv';
import { zoneCalendar, parseDay } from '../core/report/tz';
import type { ExportGrain, ExportFormat } from '../shared/protocol';
import { englishTranslator, type MessageKey, type Translator } from './i18n/translator';

/**
 * Exports (CSV / JSON) at any grain over a date range, pure (no `vscode`): the command files do the dialogs.
 * Rows are the core's report rows (the same columns as the CLI's JSON rows and CSV), grouped in the user's
 * time zone; "bucket" rows are the stored 15-minute UTC buckets themselves (key = ISO start time).
 */
export type { ExportGrain, ExportFormat };

/** The export grains in the quick pick's order (labels and descriptions are messages: `export.grain.<grain>[.description]`). */
export const EXPORT_GRAINS: readonly ExportGrain[] = ['day', 'week', 'month', 'session', 'project', 'model', 'branch', 'activity', 'bucket'];

/** The grains with their labels in the display language (the quick pick). */
export function exportGrainChoices(t: Translator = englishTranslator): { grain: ExportGrain; label: string; description: string }[] {
  return EXPORT_GRAINS.map((grain) => ({
    grain,
    label: t(`export.grain.${grain}` as MessageKey),
    description: t(`export.grain.${grain}.description` as MessageKey),
  }));
}

const GRAIN_ALIASES: Record<string, ExportGrain> = {
  day: 'day', daily: 'day', week: 'week', weekly: 'week', month: 'month', monthly: 'month',
  session: 'session', project: 'project', model: 'model', branch: 'branch', activity: 'activity',
  bucket: 'bucket', buckets: 'bucket', '15min': 'bucket', '15m': 'bucket',
};

export type ExportRangePreset = 'thisMonth' | 'last30' | 'all';
/** The export range presets in the quick pick's order (labels are messages: `export.range.<preset>`). */
export const EXPORT_RANGE_PRESETS: readonly (ExportRangePreset | 'custom')[] = ['thisMonth', 'last30', 'all', 'custom'];

/** The range presets with their labels in the display language (the quick pick). */
export function exportRangeChoices(t: Translator = englishTranslator): { preset: ExportRangePreset | 'custom'; label: string }[] {
  return EXPORT_RANGE_PRESETS.map((preset) => ({ preset, label: t(`export.range.${preset}` as MessageKey) }));
}

export interface ExportRequest {
  grain: ExportGrain;
  /** bucket start ≥ sinceMs; undefined = from the beginning */
  sinceMs?: number;
  /** bucket start < untilMs; undefined = up to now */
  untilMs?: number;
  source?: Source;
  project?: string;
  model?: string;
  /** with a path: write there, no dialogs */
  path?: string;
}

export interface ZoneOptions {
  timeZone: string;
  weekStart: number;
}

/** `[sinceMs, untilMs)` of a preset in the user's zone ("this month" = the calendar month so far; "last 30 days" includes today). */
export function presetRange(preset: ExportRangePreset, nowMs: number, tz: string): { sinceMs?: number; untilMs?: number } {
  const cal = zoneCalendar(tz);
  const today = cal.dayKey(nowMs);
  if (preset === 'all') return {};
  if (preset === 'thisMonth') return cal.dayRange(`${today.slice(0, 7)}-01`, today);
  const from = new Date(parseDay(today) - 29 * 86_400_000).toISOString().slice(0, 10);
  return cal.dayRange(from, today);
}

/** Validates a `YYYY-MM-DD` input box value; returns the message to show, or undefined when fine. */
export function validateDay(value: string, t: Translator = englishTranslator): string | undefined {
  try {
    parseDay(value.trim());
    return undefined;
  } catch {
    return t('export.badDay');
  }
}

/** `[since, until]` local days inclusive → ms range; throws RangeError when malformed or reversed. */
export function customRange(since: string, until: string, tz: string): { sinceMs: number; untilMs: number } {
  if (parseDay(until.trim()) < parseDay(since.trim())) throw new RangeError(`"${until}" is before "${since}"`);
  const r = zoneCalendar(tz).dayRange(since.trim(), until.trim());
  return { sinceMs: r.sinceMs!, untilMs: r.untilMs! };
}

/**
 * Reads the non-interactive argument of `agentMeter.exportCsv` / `exportJson`:
 * `{ grain, range?: 'thisMonth'|'last30'|'all' | { sinceMs?, untilMs? } | { since, until }, sinceMs?, untilMs?, source?, project?, model?, path? }`.
 * Returns undefined when `arg` is not an object (interactive use), throws TypeError/RangeError for bad values.
 */
export function parseExportArgs(arg: unknown, nowMs: number, tz: string): ExportRequest | undefined {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const a = arg as Record<string, unknown>;
  const grain = typeof a.grain === 'string' ? GRAIN_ALIASES[a.grain.toLowerCase()] : undefined;
  if (!grain) throw new TypeError(`unknown export grain ${JSON.stringify(a.grain)} (one of ${EXPORT_GRAINS.join(', ')})`);
  const req: ExportRequest = { grain };
  const range = a.range ?? { sinceMs: a.sinceMs, untilMs: a.untilMs };
  if (typeof range === 'string') {
    if (range !== 'thisMonth' && range !== 'last30' && range !== 'all') throw new TypeError(`unknown range "${range}"`);
    Object.assign(req, presetRange(range, nowMs, tz));
  } else if (range && typeof range === 'object') {
    const r = range as Record<string, unknown>;
    if (typeof r.since === 'string' || typeof r.until === 'string') {
      if (typeof r.since !== 'string' || typeof r.until !== 'string') throw new TypeError('a custom range needs both since and until');
      Object.assign(req, customRange(r.since, r.until, tz));
    } else {
      for (const k of ['sinceMs', 'untilMs'] as const) {
        const v = r[k];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${k} must be epoch milliseconds`);
        req[k] = v;
      }
    }
  }
  if (a.source !== undefined && a.source !== null && a.source !== 'all') {
    if (!isSourceId(a.source)) throw new TypeError(`unknown source ${JSON.stringify(a.source)}`);
    req.source = a.source;
  }
  for (const k of ['project', 'model', 'path'] as const) {
    const v = a[k];
    if (typeof v === 'string' && v.length > 0) req[k] = v;
  }
  return req;
}

/** Rows of the export, oldest/biggest first as the core sorts them; `bucket` rows in time order. */
export function exportRows(
  facts: readonly Fact[],
  grain: ExportGrain,
  prices: PriceTable,
  zone: ZoneOptions,
  projectDisplayPath?: (source: Source, project: string) => string | undefined,
): GroupedRow[] {
  if (grain !== 'bucket') {
    return groupFacts(facts, grain, { timeZone: zone.timeZone, weekStart: zone.weekStart, prices, projectDisplayPath });
  }
  const buckets = new Map<number, RowAccumulator>();
  for (const f of facts) {
    if (f.model === '<synthetic>') continue;
    let acc = buckets.get(f.bucketStartMs);
    if (!acc) {
      acc = new RowAccumulator();
      buckets.set(f.bucketStartMs, acc);
    }
    acc.add(f);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([ms, acc]) => acc.toRow(new Date(ms).toISOString(), prices));
}

export function rowsToCsv(rows: readonly GroupedRow[]): string {
  return toCsv(reportCsvColumns(), rows);
}

const iso = (ms: number) => (ms ? new Date(ms).toISOString() : null);

/** The JSON export: the CLI's `{ by, timezone, rows, totals, skipped }` plus the range. */
export function rowsToJson(
  rows: readonly GroupedRow[],
  meta: { grain: ExportGrain; timeZone: string; sinceMs?: number; untilMs?: number; skipped: { malformedLines: number; duplicateLines: number } },
): string {
  const out = {
    by: meta.grain,
    timezone: meta.timeZone,
    since: meta.sinceMs === undefined ? null : iso(meta.sinceMs),
    until: meta.untilMs === undefined ? null : iso(meta.untilMs),
    rows: rows.map(jsonRow),
    totals: jsonRow(totals(rows as ReportRow[])),
    skipped: meta.skipped,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** `agentmeter-<grain>-<YYYY-MM-DD>.<ext>` with today's local date. */
export function defaultExportName(grain: ExportGrain, format: ExportFormat, nowMs: number, tz: string): string {
  return `agentmeter-${grain}-${zoneCalendar(tz).dayKey(nowMs)}.${format}`;
}
