/**
 * Markdown reports: GitHub-flavoured tables, readable when pasted into a pull request or a chat. Text from the
 * logs (projects, sessions, models) is escaped so it cannot break a table or start markup.
 */
import type { ReportDoc, ReportTable } from '../model';
import type { Translator } from '../../i18n/translator';
import { formatCell, generatedLine, isNumeric, provenanceLines, reportTranslator } from './format';

/** Escapes Markdown's inline syntax and table pipes; newlines become spaces. */
export function mdText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]|<>~])/g, '\\$1');
}

function table(t: ReportTable, timeZone: string, tr: Translator): string[] {
  const out = [`## ${mdText(t.title)}`, ''];
  if (t.note) out.push(`_${mdText(t.note)}_`, '');
  if (!t.rows.length) {
    if (!t.note) out.push(tr('report.noUsage'), '');
    return out;
  }
  out.push(`| ${t.columns.map((c) => mdText(c.header)).join(' | ')} |`);
  out.push(`|${t.columns.map((c) => (isNumeric(c.kind) ? '---:' : ':---')).join('|')}|`);
  for (const r of t.rows) out.push(`| ${r.map((v, i) => mdText(formatCell(t.columns[i].kind, v, timeZone, tr))).join(' | ')} |`);
  if (t.total) {
    const cells = t.total.map((v, i) => mdText(formatCell(t.columns[i].kind, v, timeZone, tr)));
    out.push(`| ${cells.map((c) => (c ? `**${c}**` : '')).join(' | ')} |`);
  }
  out.push('');
  return out;
}

export function renderMarkdown(doc: ReportDoc): string {
  const tz = doc.timeZone;
  const tr = reportTranslator(doc);
  const colon = tr('report.colon');
  const lines = [`# ${mdText(doc.title)}`, '', `**${tr('report.periodLabel')}${colon}** ${mdText(doc.period.label)} · **${tr('report.timeZone')}${colon}** ${mdText(tz)}`, ''];
  for (const f of doc.figures) lines.push(`- **${mdText(f.label)}${colon}** ${mdText(formatCell(f.kind, f.value, tz, tr))}`);
  lines.push('');
  for (const t of doc.tables) lines.push(...table(t, tz, tr));
  lines.push(`## ${tr('report.provenance')}`, '');
  for (const l of provenanceLines(doc)) lines.push(`- ${mdText(l)}`);
  lines.push('', `_${mdText(generatedLine(doc))}_`, '');
  return lines.join('\n');
}
