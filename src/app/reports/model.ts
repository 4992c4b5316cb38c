/**
 * The report model: a period, a scope and a template turned into tables, charts and key figures, plain data that
 * every renderer (Markdown, HTML, Excel, PDF) draws. Rows come from the core's grouping (`groupFacts`) and totals
 * (`totals`) with the same price table as `agentmeter report --format json`, so a report's sums are the JSON's.
 * Estimated days (Claude Code's stats cache) are never in the exact figures: they get a table of their own.
 */
import { groupFacts, type GroupBy, type GroupedRow } from '../../core/report/group';
import { estimatedFacts } from '../../core/report/estimates';
import { totals, type ReportRow } from '../../core/report/rows';
import type { PriceTable } from '../../core/pricing/priceTable';
import { isSourceId, SOURCE_IDS, sourceDef } from '../../core/sources/registry';
import type { ReportData, ReportScope } from './gather';
import { scopedSources } from './gather';
import type { ReportPeriod } from './period';
import { templateLabel, type TemplateId } from './templates';

export type CellKind = 'text' | 'int' | 'usd' | 'day' | 'datetime' | 'percent';
export type Cell = string | number | null;

export interface ReportColumn {
  header: string;
  kind: CellKind;
}

export interface ReportTable {
  id: string;
  title: string;
  columns: ReportColumn[];
  rows: Cell[][];
  /** the totals row (first cell "Total"), when the rows add up to something */
  total?: Cell[];
  note?: string;
}

export interface ReportChart {
  title: string;
  labels: string[];
  values: number[];
  unit: 'usd' | 'tokens';
}

export interface KeyFigure {
  label: string;
  value: Cell;
  kind: CellKind;
}

export interface Provenance {
  sources: { id: string; label: string }[];
  priceTableDate: string;
  pricesOverridden: boolean;
  /** the dates of days estimated from Claude Code's stats cache (shown apart, not in the totals) */
  estimatedDays: string[];
  unpricedModels: string[];
  unknownUsage: { label: string; sessions: number }[];
  agentCost: { label: string; usd: number }[];
  skipped: { malformedLines: number; duplicateLines: number };
}

export interface ReportDoc {
  title: string;
  template: TemplateId;
  templateLabel: string;
  period: ReportPeriod;
  timeZone: string;
  weekStart: number;
  generatedAtMs: number;
  scope: { sources: string[]; allSources: boolean; project?: string };
  /** the exact totals of the period and scope (estimates excluded) */
  totals: ReportRow;
  figures: KeyFigure[];
  charts: ReportChart[];
  tables: ReportTable[];
  provenance: Provenance;
}

export interface BudgetLimits {
  dailyUsd: number | null;
  weeklyUsd: number | null;
  monthlyUsd: number | null;
}

export interface BuildOptions {
  template: TemplateId;
  period: ReportPeriod;
  scope: ReportScope;
  timeZone: string;
  weekStart: number;
  prices: PriceTable;
  pricesOverridden?: boolean;
  nowMs: number;
  budgets?: BudgetLimits;
}

const label = (s: string) => (isSourceId(s) ? sourceDef(s).label : s);

const USAGE_COLUMNS: ReportColumn[] = [
  { header: 'Requests', kind: 'int' },
  { header: 'Input', kind: 'int' },
  { header: 'Output', kind: 'int' },
  { header: 'Cache write', kind: 'int' },
  { header: 'Cache read', kind: 'int' },
  { header: 'Total tokens', kind: 'int' },
  { header: 'Cost (USD)', kind: 'usd' },
];

function usageCells(r: ReportRow): Cell[] {
  return [r.requests, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.totalTokens, r.costUSD];
}

/** The unpriced columns only when some row has unpriced tokens: the priced part, and the unpriced tokens. */
function rowTable(id: string, title: string, keyColumns: ReportColumn[], rows: readonly GroupedRow[], keyCells: (r: GroupedRow) => Cell[], note?: string): ReportTable {
  const unpriced = rows.some((r) => r.unpricedTokens > 0);
  const extra: ReportColumn[] = unpriced ? [{ header: 'Priced part (USD)', kind: 'usd' }, { header: 'Unpriced tokens', kind: 'int' }] : [];
  const cells = (r: ReportRow) => [...usageCells(r), ...(unpriced ? [r.pricedCostUSD, r.unpricedTokens] : [])];
  const t = totals(rows);
  return {
    id,
    title,
    columns: [...keyColumns, ...USAGE_COLUMNS, ...extra],
    rows: rows.map((r) => [...keyCells(r), ...cells(r)]),
    total: rows.length ? ['Total', ...keyColumns.slice(1).map(() => null), ...cells(t)] : undefined,
    note,
  };
}

const costOrPriced = (r: ReportRow) => r.costUSD ?? r.pricedCostUSD;

function chartOf(title: string, rows: readonly GroupedRow[], labelOf: (r: GroupedRow) => string, top?: number): ReportChart {
  let picked = [...rows];
  if (top !== undefined && picked.length > top) {
    picked = picked.sort((a, b) => costOrPriced(b) - costOrPriced(a)).slice(0, top);
  }
  return { title, labels: picked.map(labelOf), values: picked.map(costOrPriced), unit: 'usd' };
}

export function buildReport(data: ReportData, o: BuildOptions): ReportDoc {
  const sources = scopedSources(o.scope);
  const group = (by: GroupBy) =>
    groupFacts(data.facts, by, { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices, projectDisplayPath: (s, p) => data.displayPaths[`${s}\u0000${p}`] });
  const byDay = group('day');
  const total = totals(byDay);
  const tables: ReportTable[] = [];
  const charts: ReportChart[] = [];
  const dayTable = () => rowTable('day', 'By day', [{ header: 'Date', kind: 'day' }], byDay, (r) => [r.key]);
  const sourceTable = (rows: GroupedRow[]) => rowTable('agent', 'By agent', [{ header: 'Agent', kind: 'text' }], rows, (r) => [label(r.key)]);
  const modelTable = (rows: GroupedRow[]) =>
    rowTable('model', 'By model', [{ header: 'Model', kind: 'text' }, { header: 'Agent', kind: 'text' }], rows, (r) => [r.key, r.source ? label(r.source) : null]);
  const dayChart = () => chartOf('Cost by day (USD)', byDay, (r) => r.key.slice(5));

  switch (o.template) {
    case 'summary': {
      const bySource = group('source');
      const byModel = group('model');
      charts.push(dayChart(), chartOf('Cost by model (USD), top 8', byModel, (r) => r.key, 8));
      tables.push(dayTable(), sourceTable(bySource), modelTable(byModel));
      break;
    }
    case 'project': {
      const rows = group('project');
      charts.push(chartOf('Cost by project (USD), top 10', rows, (r) => shortPath(r.key), 10));
      tables.push(rowTable('project', 'By project', [{ header: 'Project', kind: 'text' }], rows, (r) => [r.key]));
      break;
    }
    case 'model': {
      const rows = group('model');
      charts.push(chartOf('Cost by model (USD), top 10', rows, (r) => r.key, 10));
      tables.push(modelTable(rows));
      break;
    }
    case 'agent': {
      const rows = group('source');
      charts.push(chartOf('Cost by agent (USD)', rows, (r) => label(r.key)));
      tables.push(sourceTable(rows));
      for (const s of rows) {
        const own = groupFacts(data.facts.filter((f) => f.source === s.key), 'day', { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices });
        tables.push(rowTable(`agent-${s.key}`, `${label(s.key)} by day`, [{ header: 'Date', kind: 'day' }], own, (r) => [r.key]));
      }
      break;
    }
    case 'sessions': {
      const rows = [...group('session')].reverse(); // newest first
      charts.push(dayChart());
      tables.push(
        rowTable(
          'sessions',
          'Sessions',
          [
            { header: 'Session', kind: 'text' },
            { header: 'Agent', kind: 'text' },
            { header: 'Project', kind: 'text' },
            { header: 'First', kind: 'datetime' },
            { header: 'Last', kind: 'datetime' },
          ],
          rows,
          (r) => [r.key, r.source ? label(r.source) : null, r.projectDisplayPath ?? null, r.firstMs || null, r.lastMs || null],
        ),
      );
      break;
    }
    case 'budgets': {
      charts.push(dayChart());
      tables.push(...budgetTables(data, o, group));
      tables.push(dayTable());
      break;
    }
  }
  if (data.estimatedDays.length) tables.push(estimatedTable(data, o));

  const withData = new Set(data.facts.map((f) => f.source));
  return {
    title: `AgentMeter report — ${templateLabel(o.template)}`,
    template: o.template,
    templateLabel: templateLabel(o.template),
    period: o.period,
    timeZone: o.timeZone,
    weekStart: o.weekStart,
    generatedAtMs: o.nowMs,
    scope: { sources: sources.map(label), allSources: sources.length === SOURCE_IDS.length, ...(o.scope.project !== undefined ? { project: o.scope.project } : {}) },
    totals: total,
    figures: [
      { label: 'Cost (USD)', value: total.costUSD, kind: 'usd' },
      ...(total.unpricedTokens ? [{ label: 'Priced part (USD)', value: total.pricedCostUSD, kind: 'usd' as const }] : []),
      { label: 'Total tokens', value: total.totalTokens, kind: 'int' },
      { label: 'Requests', value: total.requests, kind: 'int' },
      { label: 'Cache read', value: total.cacheReadTokens, kind: 'int' },
      { label: 'Active days', value: byDay.length, kind: 'int' },
    ],
    charts: charts.filter((c) => c.values.length > 0),
    tables,
    provenance: {
      sources: sources.filter((s) => withData.has(s)).map((s) => ({ id: s, label: label(s) })),
      priceTableDate: o.prices.date,
      pricesOverridden: !!o.pricesOverridden,
      estimatedDays: [...new Set(data.estimatedDays.map((d) => d.date))].sort(),
      unpricedModels: total.unpricedModels,
      unknownUsage: Object.entries(data.unknownUsage).filter(([, n]) => n > 0).map(([s, n]) => ({ label: label(s), sessions: n })),
      agentCost: Object.entries(data.agentCostUSD).map(([s, usd]) => ({ label: label(s), usd })),
      skipped: data.skipped,
    },
  };
}

function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : p;
}

function estimatedTable(data: ReportData, o: BuildOptions): ReportTable {
  const rows = groupFacts(estimatedFacts(data.estimatedDays, o.timeZone), 'day', { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices });
  const t = rowTable('estimated', 'Estimated days (not in the totals)', [{ header: 'Date', kind: 'day' }], rows, (r) => [r.key],
    "Days no Claude log covers, estimated from Claude Code's stats cache (input + output as it wrote them, cache from the model's all-time mix); request counts unknown.");
  return t;
}

function budgetTables(data: ReportData, o: BuildOptions, group: (by: GroupBy) => GroupedRow[]): ReportTable[] {
  const b = o.budgets;
  const out: ReportTable[] = [];
  const kinds: [GroupBy, string, number | null | undefined][] = [
    ['day', 'Daily budget', b?.dailyUsd],
    ['week', 'Weekly budget', b?.weeklyUsd],
    ['month', 'Monthly budget', b?.monthlyUsd],
  ];
  const set = kinds.filter(([, , v]) => typeof v === 'number' && v > 0);
  if (!set.length) {
    out.push({ id: 'budgets', title: 'Budgets', columns: [{ header: 'Budget', kind: 'text' }], rows: [], note: 'No budgets are set (agentMeter.budgets.* in the settings).' });
  }
  for (const [by, title, limit] of set) {
    const rows = group(by);
    out.push({
      id: `budget-${by}`,
      title: `${title}: $${(limit as number).toFixed(2)}`,
      columns: [
        { header: by === 'day' ? 'Date' : by === 'week' ? 'Week of' : 'Month', kind: 'text' },
        { header: 'Cost (USD)', kind: 'usd' },
        { header: 'Budget (USD)', kind: 'usd' },
        { header: 'Used', kind: 'percent' },
        { header: 'Over budget', kind: 'text' },
      ],
      rows: rows.map((r) => {
        const spent = costOrPriced(r);
        return [r.key, r.costUSD, limit as number, spent / (limit as number), spent > (limit as number) ? 'yes' : ''];
      }),
    });
  }
  const q = data.latestQuota;
  if (q) {
    const rows: Cell[][] = [];
    for (const [name, w] of [['Primary', q.primary], ['Secondary', q.secondary]] as const) {
      if (w) rows.push([name, w.windowMinutes, w.usedPercent / 100, w.resetsAtMs]);
    }
    out.push({
      id: 'quota',
      title: 'Codex quota (newest sample)',
      columns: [{ header: 'Window', kind: 'text' }, { header: 'Minutes', kind: 'int' }, { header: 'Used', kind: 'percent' }, { header: 'Resets', kind: 'datetime' }],
      rows,
      note: `Sampled ${new Date(q.observedMs).toISOString()}${q.planType ? `, plan ${q.planType}` : ''}.`,
    });
  }
  return out;
}
