/** Table output of `agentmeter report --team`: grouped rows, a totals row, the machines' last pushes. */
import type { ReportRow } from '../core/report/rows';
import type { TeamGroupBy, TeamRow } from '../core/report/teamGroup';
import type { MachineFreshness } from '../core/team/types';
import { formatInt, formatUsd } from './formatNumbers';
import { printable, renderTable, type TextColumn } from './textTable';

const KEY_HEADER: Record<TeamGroupBy, string> = {
  member: 'Member', machine: 'Machine', day: 'Date', week: 'Week of', month: 'Month', project: 'Project', model: 'Model',
  source: 'Source', branch: 'Branch', hour: 'Hour', weekday: 'Weekday',
};

const NUMBERS: TextColumn[] = ['Requests', 'Input', 'Output', 'Cache write', 'Cache read', 'Total tokens', 'Cost (USD)']
  .map((header) => ({ header, align: 'right' as const }));

function cells(r: ReportRow): string[] {
  return [r.requests, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.totalTokens].map(formatInt)
    .concat(formatUsd(r.costUSD));
}

export function teamTable(
  rows: readonly TeamRow[], total: ReportRow, ctx: { by: TeamGroupBy; priceDate: string; overridden: boolean; machines: readonly MachineFreshness[] },
): string {
  const columns: TextColumn[] = [{ header: KEY_HEADER[ctx.by], align: 'left', shrink: 'end', minWidth: 10 }];
  if (ctx.by === 'machine') columns.push({ header: 'Member', align: 'left', shrink: 'end', minWidth: 10 });
  columns.push(...NUMBERS);
  const body = rows.map((r) => [r.key, ...(ctx.by === 'machine' ? [r.member ?? ''] : []), ...cells(r)]);
  const totalCells = ['Total', ...(ctx.by === 'machine' ? [''] : []), ...cells(total)];
  const lines = [...renderTable(columns, body, totalCells), ''];
  lines.push(`Costs priced on this machine with the price table of ${ctx.priceDate}${ctx.overridden ? ' (with --prices overrides)' : ''}; the team database holds tokens only.`);
  if (total.unpricedTokens > 0) lines.push(`n/a: ${formatInt(total.unpricedTokens)} tokens of models without a price (${total.unpricedModels.join(', ')}).`);
  for (const m of ctx.machines) {
    lines.push(`${printable(m.member)} / ${printable(m.machine)}: last push ${new Date(m.lastPushMs).toISOString().slice(0, 16).replace('T', ' ')} UTC (AgentMeter ${printable(m.version)})`);
  }
  return lines.join('\n') + '\n';
}
