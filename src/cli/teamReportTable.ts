/** Table output of `agentmeter report --team`: grouped rows, a totals row, the machines' last pushes. */
import type { ReportRow } from '../core/report/rows';
import type { TeamGroupBy, TeamRow } from '../core/report/teamGroup';
import type { MachineFreshness } from '../core/team/types';
import { formatInt, formatUsd } from './formatNumbers';
import { printable, renderTable, type TextColumn } from './textTable';
import { englishTranslator, type MessageKey, type Translator } from '../app/i18n/translator';
import { unpricedModelItems } from '../app/unpricedText';

const KEY_HEADER: Record<TeamGroupBy, MessageKey> = {
  member: 'team.col.member', machine: 'team.col.machine', day: 'cli.col.day', week: 'cli.col.week', month: 'cli.col.month',
  project: 'cli.col.project', model: 'cli.col.model', source: 'cli.col.source', branch: 'cli.col.branch', hour: 'cli.col.hour',
  weekday: 'cli.col.weekday', activity: 'cli.col.activity',
};

const NUMBER_KEYS: readonly MessageKey[] = ['cli.col.requests', 'cli.col.input', 'cli.col.output', 'cli.col.cacheWrite', 'cli.col.cacheRead', 'cli.col.totalTokens', 'cli.col.cost'];

function cells(r: ReportRow, t: Translator): string[] {
  return [r.requests, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.totalTokens].map(formatInt)
    .concat(formatUsd(r.costUSD, t));
}

export function teamTable(
  rows: readonly TeamRow[], total: ReportRow,
  ctx: { by: TeamGroupBy; priceDate: string; overridden: boolean; machines: readonly MachineFreshness[]; t?: Translator },
): string {
  const t = ctx.t ?? englishTranslator;
  const columns: TextColumn[] = [{ header: t(KEY_HEADER[ctx.by]), align: 'left', shrink: 'end', minWidth: 10 }];
  if (ctx.by === 'machine') columns.push({ header: t('team.col.member'), align: 'left', shrink: 'end', minWidth: 10 });
  columns.push(...NUMBER_KEYS.map((k) => ({ header: t(k), align: 'right' as const })));
  const body = rows.map((r) => [r.key, ...(ctx.by === 'machine' ? [r.member ?? ''] : []), ...cells(r, t)]);
  const totalCells = [t('cli.total'), ...(ctx.by === 'machine' ? [''] : []), ...cells(total, t)];
  const lines = [...renderTable(columns, body, totalCells), ''];
  lines.push(t(ctx.overridden ? 'team.note.pricesOverridden' : 'team.note.prices', { date: ctx.priceDate }));
  if (total.unpricedTokens > 0) lines.push(t('team.note.unpriced', { tokens: formatInt(total.unpricedTokens), models: unpricedModelItems(total, t).join(', ') }));
  for (const m of ctx.machines) {
    lines.push(t('team.note.lastPush', {
      member: printable(m.member), machine: printable(m.machine), time: new Date(m.lastPushMs).toISOString().slice(0, 16).replace('T', ' '), version: printable(m.version),
    }));
  }
  return `${lines.join('\n')}\n`;
}
