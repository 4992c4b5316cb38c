/** Table output of `agentmeter report`: grouped rows or 5-hour blocks, a totals row and footnotes. */
import { isSourceId, sourceDef } from '../core/sources/registry';
import type { BlockRow } from '../core/report/blocks';
import type { GroupedRow } from '../core/report/group';
import type { ReportRow } from '../core/report/rows';
import { zoneCalendar } from '../core/report/tz';
import type { ReportBy } from './args';
import { formatInt, formatUsd } from './formatNumbers';
import { displayWidth, printable, renderTable, type TextColumn } from './textTable';
import { englishTranslator, type MessageKey, type Translator } from '../app/i18n/translator';
import { unpricedModelItems } from '../app/unpricedText';

const KEY_HEADER: Record<ReportBy, MessageKey> = {
  day: 'cli.col.day',
  week: 'cli.col.week',
  month: 'cli.col.month',
  session: 'cli.col.session',
  project: 'cli.col.project',
  model: 'cli.col.model',
  source: 'cli.col.source',
  branch: 'cli.col.branch',
  activity: 'cli.col.activity',
  hour: 'cli.col.hour',
  weekday: 'cli.col.weekday',
  block: 'cli.col.block',
};

function numberColumns(t: Translator): TextColumn[] {
  return (['cli.col.requests', 'cli.col.input', 'cli.col.output', 'cli.col.cacheWrite', 'cli.col.cacheRead', 'cli.col.totalTokens', 'cli.col.cost'] as const)
    .map((k) => ({ header: t(k), align: 'right' as const }));
}

function numberCells(r: ReportRow, t: Translator): string[] {
  // a row of estimated days: "≈" before each figure; its request count is not known
  if (r.estimated) return ['–', ...exactCells(r, t).slice(1).map((c) => `≈${c}`)];
  return exactCells(r, t);
}

function exactCells(r: ReportRow, t: Translator): string[] {
  return [
    formatInt(r.requests),
    formatInt(r.inputTokens),
    formatInt(r.outputTokens),
    formatInt(r.cacheCreationTokens),
    formatInt(r.cacheReadTokens),
    formatInt(r.totalTokens),
    formatUsd(r.costUSD, t),
  ];
}

export interface TableContext {
  by: ReportBy;
  timeZone: string;
  priceDate: string;
  overridden: boolean;
  /** the agents' own cost estimates over the range (USD), shown beside ours */
  agentEstimates?: { label: string; usd: number }[];
  /** with --estimates: the estimated part of the totals (the footnotes say how much) */
  estimates?: { days: number; totals: ReportRow };
  /** headers, statuses and notes in the CLI's language (default English) */
  t?: Translator;
}

export function groupedTable(rows: readonly GroupedRow[], total: ReportRow, ctx: TableContext): string {
  const t = ctx.t ?? englishTranslator;
  const columns: TextColumn[] = [{ header: t(KEY_HEADER[ctx.by]), align: 'left', shrink: ctx.by === 'project' ? 'start' : 'end', minWidth: 10 }];
  const extra: ((r: GroupedRow) => string)[] = [];
  if (ctx.by === 'model') {
    columns.push({ header: t('cli.col.source'), align: 'left' });
    extra.push((r) => (r.source && isSourceId(r.source) ? sourceDef(r.source).label : r.source ?? ''));
  }
  if (ctx.by === 'session') {
    columns.push({ header: t('cli.col.project'), align: 'left', shrink: 'start', minWidth: 10 });
    extra.push((r) => r.projectDisplayPath ?? '');
  }
  columns.push(...numberColumns(t));
  // sources by their names in a table (JSON and CSV keep the ids)
  const label = (r: GroupedRow) => (r.isoWeek ? `${r.key} (${r.isoWeek})` : ctx.by === 'source' && isSourceId(r.key) ? sourceDef(r.key).label : r.key);
  const body = rows.map((r) => [label(r), ...extra.map((f) => f(r)), ...numberCells(r, t)]);
  const totalCells = [t('cli.total'), ...extra.map(() => ''), ...numberCells(total, t)];
  return `${[...renderTable(columns, body, totalCells), '', ...footnotes(total, ctx)].join('\n')}\n`;
}

function duration(ms: number, t: Translator): string {
  const m = Math.round(ms / 60_000);
  return m >= 60 ? t('cli.duration.hm', { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') }) : t('cli.duration.m', { m });
}

export function blocksTable(blocks: readonly BlockRow[], total: ReportRow, ctx: TableContext, nowMs: number): string {
  const cal = zoneCalendar(ctx.timeZone);
  const local = (ms: number) => new Date(cal.localMs(ms)).toISOString().slice(0, 16).replace('T', ' ');
  const t = ctx.t ?? englishTranslator;
  const columns: TextColumn[] = [
    { header: t('cli.col.block'), align: 'left' },
    { header: t('cli.col.source'), align: 'left' },
    { header: t('cli.col.status'), align: 'left' },
    { header: t('cli.col.requests'), align: 'right' },
    { header: t('cli.col.totalTokens'), align: 'right' },
    { header: t('cli.col.cost'), align: 'right' },
    { header: t('cli.col.tokensPerMin'), align: 'right' },
    { header: t('cli.col.costPerHour'), align: 'right' },
    { header: t('cli.col.projected'), align: 'right' },
    { header: t('cli.col.models'), align: 'left', shrink: 'end', minWidth: 10 },
  ];
  const body = blocks.map((b) => {
    if (b.isGap) return [local(b.startMs), b.source ?? '', t('cli.block.gap', { duration: duration(b.endMs - b.startMs, t) })];
    const status = b.isActive ? t('cli.block.active', { duration: duration(b.endMs - nowMs, t) }) : t('cli.block.done');
    return [
      local(b.startMs),
      b.source ?? '',
      status,
      formatInt(b.requests),
      formatInt(b.totalTokens),
      formatUsd(b.costUSD, t),
      b.burnRate ? formatInt(b.burnRate.tokensPerMinute) : '',
      b.burnRate ? formatUsd(b.burnRate.costPerHour, t) : '',
      b.projection ? formatUsd(b.projection.costUSD, t) : '',
      b.models.join(', '),
    ];
  });
  const totalCells = [t('cli.total'), '', '', formatInt(total.requests), formatInt(total.totalTokens), formatUsd(total.costUSD, t)];
  const notes = [...wrap(t('cli.note.blocks', { zone: ctx.timeZone })), ...footnotes(total, ctx).slice(1)];
  return `${[...renderTable(columns, body, totalCells), '', ...notes].join('\n')}\n`;
}

/**
 * Word-wraps a note to the table's 120 terminal columns (a CJK character takes two). Words are split at spaces;
 * a run of CJK text (no spaces) may break between any two of its characters.
 */
export function wrap(text: string, width = 120): string[] {
  const lines: string[] = [];
  let cur = '';
  let curWidth = 0;
  // tokens: a space-separated word, or a single wide (CJK) character with any closing punctuation after it
  const tokens = text.match(/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF][，。；：、）」』”]*|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+|\s+/g) ?? [];
  for (const tok of tokens) {
    if (/^\s+$/.test(tok)) {
      if (cur) { cur += ' '; curWidth += 1; }
      continue;
    }
    const w = displayWidth(tok);
    if (cur.trim() && curWidth + w > width) {
      lines.push(cur.trimEnd());
      cur = `  ${tok}`;
      curWidth = 2 + w;
    } else {
      cur += tok;
      curWidth += w;
    }
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines;
}

function footnotes(total: ReportRow, ctx: TableContext): string[] {
  return rawFootnotes(total, ctx).flatMap((n) => wrap(n));
}

function rawFootnotes(total: ReportRow, ctx: TableContext): string[] {
  const t = ctx.t ?? englishTranslator;
  const out = [t(ctx.overridden ? 'cli.note.timesOverridden' : 'cli.note.times', { zone: ctx.timeZone, date: ctx.priceDate })];
  if (ctx.estimates) {
    const e = ctx.estimates.totals;
    out.push(t('cli.note.estimated', { days: formatInt(ctx.estimates.days), tokens: formatInt(e.totalTokens), cost: formatUsd(e.costUSD, t) }));
  }
  if (total.unpricedModels.length) {
    out.push(t('cli.note.unpriced', {
      models: printable(unpricedModelItems(total, t, (m) => m || t('cli.note.modelNotLogged')).join(', ')),
      tokens: formatInt(total.unpricedTokens),
      priced: formatUsd(total.pricedCostUSD, t),
    }));
  }
  const own = ctx.agentEstimates ?? [];
  if (own.length) {
    out.push(t('cli.note.agentEstimates', { list: own.map((e) => `${printable(e.label)} ${formatUsd(e.usd, t)}`).join(', ') }));
  }
  return out;
}
