/** Table output of `agentmeter report`: grouped rows or 5-hour blocks, a totals row and footnotes. */
import { isSourceId, sourceDef } from '../core/sources/registry';
import type { BlockRow } from '../core/report/blocks';
import type { GroupedRow } from '../core/report/group';
import type { ReportRow } from '../core/report/rows';
import { zoneCalendar } from '../core/report/tz';
import type { ReportBy } from './args';
import { formatInt, formatUsd } from './formatNumbers';
import { printable, renderTable, type TextColumn } from './textTable';

const KEY_HEADER: Record<ReportBy, string> = {
  day: 'Date',
  week: 'Week of',
  month: 'Month',
  session: 'Session',
  project: 'Project',
  model: 'Model',
  source: 'Source',
  branch: 'Branch',
  hour: 'Hour',
  weekday: 'Weekday',
  block: 'Block start',
};

const NUMBER_COLUMNS: TextColumn[] = [
  { header: 'Requests', align: 'right' },
  { header: 'Input', align: 'right' },
  { header: 'Output', align: 'right' },
  { header: 'Cache write', align: 'right' },
  { header: 'Cache read', align: 'right' },
  { header: 'Total tokens', align: 'right' },
  { header: 'Cost (USD)', align: 'right' },
];

function numberCells(r: ReportRow): string[] {
  // a row of estimated days: "≈" before each figure; its request count is not known
  if (r.estimated) return ['–', ...exactCells(r).slice(1).map((c) => `≈${c}`)];
  return exactCells(r);
}

function exactCells(r: ReportRow): string[] {
  return [
    formatInt(r.requests),
    formatInt(r.inputTokens),
    formatInt(r.outputTokens),
    formatInt(r.cacheCreationTokens),
    formatInt(r.cacheReadTokens),
    formatInt(r.totalTokens),
    formatUsd(r.costUSD),
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
}

export function groupedTable(rows: readonly GroupedRow[], total: ReportRow, ctx: TableContext): string {
  const columns: TextColumn[] = [{ header: KEY_HEADER[ctx.by], align: 'left', shrink: ctx.by === 'project' ? 'start' : 'end', minWidth: 10 }];
  const extra: ((r: GroupedRow) => string)[] = [];
  if (ctx.by === 'model') {
    columns.push({ header: 'Source', align: 'left' });
    extra.push((r) => (r.source && isSourceId(r.source) ? sourceDef(r.source).label : r.source ?? ''));
  }
  if (ctx.by === 'session') {
    columns.push({ header: 'Project', align: 'left', shrink: 'start', minWidth: 10 });
    extra.push((r) => r.projectDisplayPath ?? '');
  }
  columns.push(...NUMBER_COLUMNS);
  // sources by their names in a table (JSON and CSV keep the ids)
  const label = (r: GroupedRow) => (r.isoWeek ? `${r.key} (${r.isoWeek})` : ctx.by === 'source' && isSourceId(r.key) ? sourceDef(r.key).label : r.key);
  const body = rows.map((r) => [label(r), ...extra.map((f) => f(r)), ...numberCells(r)]);
  const totalCells = ['Total', ...extra.map(() => ''), ...numberCells(total)];
  return `${[...renderTable(columns, body, totalCells), '', ...footnotes(total, ctx)].join('\n')}\n`;
}

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m` : `${m}m`;
}

export function blocksTable(blocks: readonly BlockRow[], total: ReportRow, ctx: TableContext, nowMs: number): string {
  const cal = zoneCalendar(ctx.timeZone);
  const local = (ms: number) => new Date(cal.localMs(ms)).toISOString().slice(0, 16).replace('T', ' ');
  const columns: TextColumn[] = [
    { header: 'Block start', align: 'left' },
    { header: 'Source', align: 'left' },
    { header: 'Status', align: 'left' },
    { header: 'Requests', align: 'right' },
    { header: 'Total tokens', align: 'right' },
    { header: 'Cost (USD)', align: 'right' },
    { header: 'Tokens/min', align: 'right' },
    { header: '$/h', align: 'right' },
    { header: 'Projected', align: 'right' },
    { header: 'Models', align: 'left', shrink: 'end', minWidth: 10 },
  ];
  const body = blocks.map((b) => {
    if (b.isGap) return [local(b.startMs), b.source ?? '', `gap ${duration(b.endMs - b.startMs)}`];
    const status = b.isActive ? `ACTIVE ${duration(b.endMs - nowMs)} left` : 'done';
    return [
      local(b.startMs),
      b.source ?? '',
      status,
      formatInt(b.requests),
      formatInt(b.totalTokens),
      formatUsd(b.costUSD),
      b.burnRate ? formatInt(b.burnRate.tokensPerMinute) : '',
      b.burnRate ? formatUsd(b.burnRate.costPerHour) : '',
      b.projection ? formatUsd(b.projection.costUSD) : '',
      b.models.join(', '),
    ];
  });
  const totalCells = ['Total', '', '', formatInt(total.requests), formatInt(total.totalTokens), formatUsd(total.costUSD)];
  const notes = [`Blocks are 5-hour windows estimated from log times (ccusage semantics), per source, shown in ${ctx.timeZone}.`, ...footnotes(total, ctx).slice(1)];
  return `${[...renderTable(columns, body, totalCells), '', ...notes].join('\n')}\n`;
}

/** Word-wraps a note to the table's 120 columns. */
function wrap(text: string, width = 120): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = `  ${word}`;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}

function footnotes(total: ReportRow, ctx: TableContext): string[] {
  return rawFootnotes(total, ctx).flatMap((n) => wrap(n));
}

function rawFootnotes(total: ReportRow, ctx: TableContext): string[] {
  const out = [`Times in ${ctx.timeZone}. Prices: bundled table of ${ctx.priceDate}${ctx.overridden ? ' with your --prices overrides' : ''}.`];
  if (ctx.estimates) {
    const e = ctx.estimates.totals;
    out.push(
      `≈ estimated from Claude Code's stats cache (days no Claude log covers; a day's input + output split by each model's all-time mix, ` +
        `cache tokens scaled from it; requests unknown): ${formatInt(ctx.estimates.days)} day(s), ${formatInt(e.totalTokens)} tokens, ` +
        `${formatUsd(e.costUSD)} of the Total.`,
    );
  }
  if (total.unpricedModels.length) {
    out.push(
      `n/a: no price for ${printable(total.unpricedModels.map((m) => m || '(model not logged)').join(', '))} (${formatInt(total.unpricedTokens)} tokens counted, cost unknown; ` +
        `add prices with --prices FILE). Priced part: ${formatUsd(total.pricedCostUSD)}.`,
    );
  }
  const own = ctx.agentEstimates ?? [];
  if (own.length) {
    out.push(`The agents' own cost estimates for these days: ${own.map((e) => `${printable(e.label)} ${formatUsd(e.usd)}`).join(', ')} (the costs above are AgentMeter's: tokens × the price table).`);
  }
  return out;
}
