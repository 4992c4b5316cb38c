/**
 * Cell and figure text shared by the Markdown, HTML and PDF renderers (Excel writes typed cells instead), and the
 * renderers' own words in the report's language (`reportTranslator(doc)`). Numbers, amounts and dates keep one
 * format in every language.
 */
import { zoneCalendar } from '../../../core/report/tz';
import { createTranslator, englishTranslator, type Translator } from '../../i18n/translator';
import type { Cell, CellKind, ReportDoc } from '../model';
import { unpricedWebSearchItems, unpricedWithoutPrice } from '../../unpricedText';

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

/** The translator of the report's language. */
export function reportTranslator(doc: ReportDoc): Translator {
  return doc.language && doc.language !== 'en' ? createTranslator(doc.language) : englishTranslator;
}

export function formatCell(kind: CellKind, v: Cell, timeZone: string, t: Translator = englishTranslator): string {
  if (v === null || v === undefined) return kind === 'usd' ? t('report.unpriced') : '';
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
  const t = reportTranslator(doc);
  const sep = t('report.listSep');
  const p = doc.provenance;
  const lines = [
    t('report.prov.sources', { sources: p.sources.length ? p.sources.map((s) => s.label).join(sep) : t('report.prov.noSources'), scope: scopeText(doc) }),
    t(p.pricesOverridden ? 'report.prov.pricesOverridden' : 'report.prov.prices', { date: p.priceTableDate }),
    t('report.prov.times', { zone: doc.timeZone, weekday: t(`report.weekday.${doc.weekStart as 0 | 1 | 2 | 3 | 4 | 5 | 6}`) }),
  ];
  const noPrice = unpricedWithoutPrice(p);
  if (noPrice.length) lines.push(t('report.prov.unpriced', { models: noPrice.join(sep) }));
  if (p.unpricedWebSearches.length) lines.push(t('report.prov.unpricedWebSearch', { models: unpricedWebSearchItems(p.unpricedWebSearches, t).join(sep) }));
  if (p.estimatedDays.length) lines.push(t('report.prov.estimated', { days: p.estimatedDays.join(sep) }));
  for (const u of p.unknownUsage) lines.push(t('report.prov.unknownUsage', { source: u.label, n: u.sessions }));
  for (const a of p.agentCost) lines.push(t('report.prov.agentCost', { source: a.label, cost: formatUsd(a.usd) }));
  if (p.skipped.malformedLines || p.skipped.duplicateLines) {
    lines.push(t('report.prov.skipped', { malformed: p.skipped.malformedLines, duplicate: p.skipped.duplicateLines }));
  }
  return lines;
}

/** "all agents", or the agents named, and the project when one is chosen. */
export function scopeText(doc: ReportDoc): string {
  const t = reportTranslator(doc);
  const agents = doc.scope.allSources ? t('report.scope.all') : doc.scope.sources.join(t('report.listSep'));
  return doc.scope.project ? t('report.scope.project', { agents, project: doc.scope.project }) : agents;
}

export function generatedLine(doc: ReportDoc): string {
  return reportTranslator(doc)('report.generated', { time: localDateTime(doc.generatedAtMs, doc.timeZone), zone: doc.timeZone });
}

export function isNumeric(kind: CellKind): boolean {
  return kind === 'int' || kind === 'usd' || kind === 'percent';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
