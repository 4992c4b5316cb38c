/**
 * The report model: a period, a scope and a template turned into tables, charts and key figures, plain data that
 * every renderer (Markdown, HTML, Excel, PDF) draws. Rows come from the core's grouping (`groupFacts`) and totals
 * (`totals`) with the same price table as `agentmeter report --format json`, so a report's sums are the JSON's.
 * Estimated days (Claude Code's stats cache) are never in the exact figures: they get a table of their own.
 * Headings, column headers and notes are in the language of the translator given (English by default); the renderers
 * write their own words in `doc.language`.
 */
import { groupFacts, type GroupBy, type GroupedRow } from '../../core/report/group';
import { groupTeamFacts } from '../../core/report/teamGroup';
import type { MachineFreshness, TeamFact, TeamRole, TeamScope } from '../../core/team/types';
import { estimatedFacts } from '../../core/report/estimates';
import { totals, type ReportRow, type UnpricedWebSearches } from '../../core/report/rows';
import type { PriceTable } from '../../core/pricing/priceTable';
import { isSourceId, SOURCE_IDS, sourceDef } from '../../core/sources/registry';
import type { ReportData, ReportScope } from './gather';
import { scopedSources } from './gather';
import type { ReportPeriod } from './period';
import { templateLabel, type TemplateId } from './templates';
import { englishTranslator, type Language, type Translator } from '../i18n/translator';

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
  /** the totals row (first cell "Total" in the report's language), when the rows add up to something */
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
  /** the unpriced models that have a price for their tokens but none for their web searches (a subset of unpricedModels) */
  unpricedWebSearches: UnpricedWebSearches[];
  unknownUsage: { label: string; sessions: number }[];
  agentCost: { label: string; usd: number }[];
  skipped: { malformedLines: number; duplicateLines: number };
}

export interface ReportDoc {
  /** the language of every word of the report (the renderers' own words too) */
  language: Language;
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
  /** the report's language (default English) */
  t?: Translator;
  /** team scope: the facts are the team database's (`TeamFact`s, session ''), read from `identity` */
  team?: TeamReportSource;
}

/** Where a team-scope report's facts come from: the team database (login@host/db) and its machines' last pushes. */
export interface TeamReportSource {
  identity: string;
  machines: MachineFreshness[];
  /** the login's role, when read: the provenance says what row-level security let it read */
  role?: TeamRole;
  /** `me-all`: one member's usage from all its machines (`member`); else the team the login may read */
  scope?: TeamScope;
  member?: string;
}

const label = (s: string) => (isSourceId(s) ? sourceDef(s).label : s);

const usageColumns = (t: Translator): ReportColumn[] => [
  { header: t('report.col.requests'), kind: 'int' },
  { header: t('report.col.input'), kind: 'int' },
  { header: t('report.col.output'), kind: 'int' },
  { header: t('report.col.cacheWrite'), kind: 'int' },
  { header: t('report.col.cacheRead'), kind: 'int' },
  { header: t('report.col.totalTokens'), kind: 'int' },
  { header: t('report.col.cost'), kind: 'usd' },
];

function usageCells(r: ReportRow): Cell[] {
  return [r.requests, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.totalTokens, r.costUSD];
}

/** The unpriced columns only when some row has unpriced tokens: the priced part, and the unpriced tokens. */
function rowTable(
  t: Translator,
  id: string,
  title: string,
  keyColumns: ReportColumn[],
  rows: readonly GroupedRow[],
  keyCells: (r: GroupedRow) => Cell[],
  note?: string,
): ReportTable {
  const unpriced = rows.some((r) => r.unpricedTokens > 0);
  const extra: ReportColumn[] = unpriced ? [{ header: t('report.col.pricedPart'), kind: 'usd' }, { header: t('report.col.unpricedTokens'), kind: 'int' }] : [];
  const cells = (r: ReportRow) => [...usageCells(r), ...(unpriced ? [r.pricedCostUSD, r.unpricedTokens] : [])];
  const sum = totals(rows);
  return {
    id,
    title,
    columns: [...keyColumns, ...usageColumns(t), ...extra],
    rows: rows.map((r) => [...keyCells(r), ...cells(r)]),
    total: rows.length ? [t('report.total'), ...keyColumns.slice(1).map(() => null), ...cells(sum)] : undefined,
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
  const t = o.t ?? englishTranslator;
  const sources = scopedSources(o.scope);
  const group = (by: GroupBy) =>
    groupFacts(data.facts, by, { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices, projectDisplayPath: (s, p) => data.displayPaths[`${s}\u0000${p}`] });
  const byDay = group('day');
  const total = totals(byDay);
  const tables: ReportTable[] = [];
  const charts: ReportChart[] = [];
  const col = (key: 'date' | 'agent' | 'model' | 'project' | 'session', kind: CellKind = 'text'): ReportColumn => ({ header: t(`report.col.${key}`), kind });
  const dayTable = () => rowTable(t, 'day', t('report.table.day'), [col('date', 'day')], byDay, (r) => [r.key]);
  const sourceTable = (rows: GroupedRow[]) => rowTable(t, 'agent', t('report.table.agent'), [col('agent')], rows, (r) => [label(r.key)]);
  const modelTable = (rows: GroupedRow[]) =>
    rowTable(t, 'model', t('report.table.model'), [col('model'), col('agent')], rows, (r) => [r.key, r.source ? label(r.source) : null]);
  const dayChart = () => chartOf(t('report.chart.day'), byDay, (r) => r.key.slice(5));

  switch (o.template) {
    case 'summary': {
      const bySource = group('source');
      const byModel = group('model');
      charts.push(dayChart(), chartOf(t('report.chart.modelTop', { n: 8 }), byModel, (r) => r.key, 8));
      tables.push(dayTable(), sourceTable(bySource), modelTable(byModel));
      if (o.team) {
        const byMember = groupTeamFacts(data.facts as TeamFact[], 'member', { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices });
        tables.push(rowTable(t, 'member', t('report.table.member'), [{ header: t('report.col.member'), kind: 'text' }], byMember, (r) => [r.key]));
      }
      break;
    }
    case 'project': {
      const rows = group('project');
      charts.push(chartOf(t('report.chart.projectTop', { n: 10 }), rows, (r) => shortPath(r.key), 10));
      tables.push(rowTable(t, 'project', t('report.table.project'), [col('project')], rows, (r) => [r.key]));
      break;
    }
    case 'model': {
      const rows = group('model');
      charts.push(chartOf(t('report.chart.modelTop', { n: 10 }), rows, (r) => r.key, 10));
      tables.push(modelTable(rows));
      break;
    }
    case 'agent': {
      const rows = group('source');
      charts.push(chartOf(t('report.chart.agent'), rows, (r) => label(r.key)));
      tables.push(sourceTable(rows));
      for (const s of rows) {
        const own = groupFacts(data.facts.filter((f) => f.source === s.key), 'day', { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices });
        tables.push(rowTable(t, `agent-${s.key}`, t('report.table.agentByDay', { agent: label(s.key) }), [col('date', 'day')], own, (r) => [r.key]));
      }
      break;
    }
    case 'sessions': {
      if (o.team) {
        // sessions are never sent to the team database
        charts.push(dayChart());
        tables.push({ id: 'sessions', title: t('report.table.sessions'), columns: [{ header: t('report.col.session'), kind: 'text' }], rows: [], note: t('report.team.noSessions') });
        break;
      }
      const rows = [...group('session')].reverse(); // newest first
      charts.push(dayChart());
      tables.push(
        rowTable(
          t,
          'sessions',
          t('report.table.sessions'),
          [
            col('session'),
            col('agent'),
            col('project'),
            { header: t('report.col.first'), kind: 'datetime' },
            { header: t('report.col.last'), kind: 'datetime' },
          ],
          rows,
          (r) => [r.key, r.source ? label(r.source) : null, r.projectDisplayPath ?? null, r.firstMs || null, r.lastMs || null],
        ),
      );
      break;
    }
    case 'budgets': {
      charts.push(dayChart());
      tables.push(...budgetTables(data, o, group, t));
      tables.push(dayTable());
      break;
    }
  }
  if (data.estimatedDays.length) tables.push(estimatedTable(data, o, t));
  if (o.team) tables.push(teamTable(o.team, t));

  const withData = new Set(data.facts.map((f) => f.source));
  return {
    language: t.language,
    title: t('report.title', { template: templateLabel(o.template, t) }),
    template: o.template,
    templateLabel: templateLabel(o.template, t),
    period: o.period,
    timeZone: o.timeZone,
    weekStart: o.weekStart,
    generatedAtMs: o.nowMs,
    scope: { sources: sources.map(label), allSources: sources.length === SOURCE_IDS.length, ...(o.scope.project !== undefined ? { project: o.scope.project } : {}) },
    totals: total,
    figures: [
      { label: t('report.col.cost'), value: total.costUSD, kind: 'usd' },
      ...(total.unpricedTokens ? [{ label: t('report.col.pricedPart'), value: total.pricedCostUSD, kind: 'usd' as const }] : []),
      { label: t('report.col.totalTokens'), value: total.totalTokens, kind: 'int' },
      { label: t('report.col.requests'), value: total.requests, kind: 'int' },
      { label: t('report.col.cacheRead'), value: total.cacheReadTokens, kind: 'int' },
      { label: t('report.activeDays'), value: byDay.length, kind: 'int' },
    ],
    charts: charts.filter((c) => c.values.length > 0),
    tables,
    provenance: {
      sources: sources.filter((s) => withData.has(s)).map((s) => ({ id: s, label: label(s) })),
      priceTableDate: o.prices.date,
      pricesOverridden: !!o.pricesOverridden,
      estimatedDays: [...new Set(data.estimatedDays.map((d) => d.date))].sort(),
      unpricedModels: total.unpricedModels,
      unpricedWebSearches: total.unpricedWebSearches,
      unknownUsage: Object.entries(data.unknownUsage).filter(([, n]) => n > 0).map(([s, n]) => ({ label: label(s), sessions: n })),
      agentCost: Object.entries(data.agentCostUSD).map(([s, usd]) => ({ label: label(s), usd })),
      skipped: data.skipped,
    },
  };
}

/** The team scope's provenance: the database, its members and machines, and each machine's last push. */
function teamTable(team: TeamReportSource, t: Translator): ReportTable {
  const members = new Set(team.machines.map((m) => m.member)).size;
  const machines = [...team.machines].sort((a, b) => a.member.localeCompare(b.member) || a.machine.localeCompare(b.machine));
  return {
    id: 'team',
    title: t('report.table.team'),
    columns: [
      { header: t('report.col.member'), kind: 'text' },
      { header: t('report.col.machine'), kind: 'text' },
      { header: t('report.col.lastPush'), kind: 'datetime' },
    ],
    rows: machines.map((m) => [m.member, m.machine, m.lastPushMs]),
    note: [t('report.team.provenance', { db: team.identity, members, machines: machines.length }), ...teamAccessNote(team, t)].join(' '),
  };
}

/** Whose rows the report holds: one member's from all its machines, or what the login's role let it read. */
function teamAccessNote(team: TeamReportSource, t: Translator): string[] {
  if (team.scope === 'me-all' && team.member !== undefined) return [t('report.team.meAll', { member: team.member })];
  if (team.role === 'lead') return [t('report.team.asLead')];
  if (team.role === 'member') return [t('report.team.asMember')];
  return [];
}

function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : p;
}

function estimatedTable(data: ReportData, o: BuildOptions, t: Translator): ReportTable {
  const rows = groupFacts(estimatedFacts(data.estimatedDays, o.timeZone), 'day', { timeZone: o.timeZone, weekStart: o.weekStart, prices: o.prices });
  return rowTable(t, 'estimated', t('report.table.estimated'), [{ header: t('report.col.date'), kind: 'day' }], rows, (r) => [r.key], t('report.table.estimatedNote'));
}

function budgetTables(data: ReportData, o: BuildOptions, group: (by: GroupBy) => GroupedRow[], t: Translator): ReportTable[] {
  const b = o.budgets;
  const out: ReportTable[] = [];
  const kinds: [GroupBy, 'report.table.budgetDaily' | 'report.table.budgetWeekly' | 'report.table.budgetMonthly', number | null | undefined][] = [
    ['day', 'report.table.budgetDaily', b?.dailyUsd],
    ['week', 'report.table.budgetWeekly', b?.weeklyUsd],
    ['month', 'report.table.budgetMonthly', b?.monthlyUsd],
  ];
  const set = kinds.filter(([, , v]) => typeof v === 'number' && v > 0);
  if (!set.length) {
    out.push({ id: 'budgets', title: t('report.table.budgets'), columns: [{ header: t('report.col.budget'), kind: 'text' }], rows: [], note: t('report.table.budgetsNone') });
  }
  for (const [by, title, limit] of set) {
    const rows = group(by);
    out.push({
      id: `budget-${by}`,
      title: t(title, { limit: `$${(limit as number).toFixed(2)}` }),
      columns: [
        { header: t(by === 'day' ? 'report.col.date' : by === 'week' ? 'report.col.weekOf' : 'report.col.month'), kind: 'text' },
        { header: t('report.col.cost'), kind: 'usd' },
        { header: t('report.col.budgetUsd'), kind: 'usd' },
        { header: t('report.col.used'), kind: 'percent' },
        { header: t('report.col.overBudget'), kind: 'text' },
      ],
      rows: rows.map((r) => {
        const spent = costOrPriced(r);
        return [r.key, r.costUSD, limit as number, spent / (limit as number), spent > (limit as number) ? t('report.yes') : ''];
      }),
    });
  }
  const q = data.latestQuota;
  if (q) {
    const rows: Cell[][] = [];
    for (const [name, w] of [[t('report.quota.primary'), q.primary], [t('report.quota.secondary'), q.secondary]] as const) {
      if (w) rows.push([name, w.windowMinutes, w.usedPercent / 100, w.resetsAtMs]);
    }
    out.push({
      id: 'quota',
      title: t('report.table.quota'),
      columns: [
        { header: t('report.col.window'), kind: 'text' },
        { header: t('report.col.minutes'), kind: 'int' },
        { header: t('report.col.used'), kind: 'percent' },
        { header: t('report.col.resets'), kind: 'datetime' },
      ],
      rows,
      note: q.planType
        ? t('report.quota.sampledPlan', { time: new Date(q.observedMs).toISOString(), plan: q.planType })
        : t('report.quota.sampled', { time: new Date(q.observedMs).toISOString() }),
    });
  }
  return out;
}
