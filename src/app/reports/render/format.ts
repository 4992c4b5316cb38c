/** Cell and figure text shared by the Markdown, HTML and PDF renderers (Excel writes typed cells instead). */
import { zoneCalendar } from '../../../core/report/tz';
import type { Cell, CellKind, ReportDoc } from '../model';

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatUsd(v: number): string {
  const abs = Math.abs(v);
  const digits = abs > 0 && abs < 0.01 ? 4 : 2;
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** Local `YYYY-MM-DD HH:mm` of an instant in the report's zone. */
export function localDateTime(ms: number, timeZone: string): string {
  const local = new Date(zoneCalendar(timeZone).localMs(ms)).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

export function formatCell(kind: CellKind, v: Cell, timeZone: string): string {
  if (v === null || v === undefined) return kind === 'usd' ? 'unpriced' : '';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'int':
      return INT.format(v);
    case 'usd':
      return formatUsd(v);
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'datetime':
      return localDateTime(v, timeZone);
    default:
      return String(v);
  }
}

/** The lines that say where the numbers come from, as plain sentences. */
export function provenanceLines(doc: ReportDoc): string[] {
  const p = doc.provenance;
  const lines = [
    `Sources: ${p.sources.length ? p.sources.map((s) => s.label).join(', ') : 'no usage in this period'} (the agents' local logs, read by AgentMeter; scope: ${scopeText(doc)}).`,
    `Prices: AgentMeter's bundled price table of ${p.priceTableDate}${p.pricesOverridden ? ', with your overrides' : ''} (LiteLLM via ccusage and the vendors' pricing pages); amounts in USD.`,
    `Times: ${doc.timeZone}; weeks start on ${WEEKDAYS[doc.weekStart]}; usage is kept in 15-minute UTC buckets.`,
  ];
  if (p.unpricedModels.length) lines.push(`Unpriced models (no price known; their tokens are counted, their cost is not): ${p.unpricedModels.join(', ')}.`);
  if (p.estimatedDays.length) lines.push(`Estimated days (from Claude Code's stats cache, shown apart, not in the totals): ${p.estimatedDays.join(', ')}.`);
  for (const u of p.unknownUsage) lines.push(`${u.label}: usage unknown for ${u.sessions} session(s) (not written to disk; not counted as zero).`);
  for (const a of p.agentCost) lines.push(`${a.label}'s own cost estimate over the period: ${formatUsd(a.usd)}.`);
  if (p.skipped.malformedLines || p.skipped.duplicateLines) {
    lines.push(`Skipped log lines (lifetime of the index): ${p.skipped.malformedLines} malformed, ${p.skipped.duplicateLines} duplicate copies.`);
  }
  return lines;
}

/** "all agents", or the agents named, and the project when one is chosen. */
export function scopeText(doc: ReportDoc): string {
  return `${doc.scope.allSources ? 'all agents' : doc.scope.sources.join(', ')}${doc.scope.project ? `, project ${doc.scope.project}` : ''}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function generatedLine(doc: ReportDoc): string {
  return `Generated ${localDateTime(doc.generatedAtMs, doc.timeZone)} (${doc.timeZone}) by AgentMeter.`;
}

export function isNumeric(kind: CellKind): boolean {
  return kind === 'int' || kind === 'usd' || kind === 'percent';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
