/**
 * HTML reports: one self-contained file (inline CSS and SVG charts, no script, no network: a strict CSP meta tag
 * says so too), printable (print CSS: no shadows, tables not split inside a row, headers repeated). Everything
 * from the logs is escaped.
 */
import type { ReportDoc, ReportTable } from '../model';
import type { Translator } from '../../i18n/translator';
import { escapeHtml, formatCell, generatedLine, scopeText, isNumeric, provenanceLines, reportTranslator } from './format';
import { chartSvg } from './svgChart';


const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2937;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#4b5563;margin:0 0 16px}
.figures{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.figure{border:1px solid #d1d5db;border-radius:6px;padding:8px 14px;min-width:120px}
.figure .v{font-size:18px;font-weight:600}.figure .l{color:#6b7280;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:600;border-top:2px solid #9ca3af}
.note{color:#4b5563;font-style:italic}
figure{margin:8px 0 16px}figcaption{font-weight:600;margin-bottom:4px}
footer{margin-top:28px;color:#6b7280;font-size:12px}
@media print{body{margin:0;max-width:none}thead{display:table-header-group}tr{page-break-inside:avoid}figure{page-break-inside:avoid}h2{page-break-after:avoid}}
`;

function table(t: ReportTable, tz: string, tr: Translator): string {
  const parts = [`<section><h2>${escapeHtml(t.title)}</h2>`];
  if (t.note) parts.push(`<p class="note">${escapeHtml(t.note)}</p>`);
  if (!t.rows.length) {
    if (!t.note) parts.push(`<p class="note">${escapeHtml(tr('report.noUsage'))}</p>`);
    return `${parts.join('')}</section>`;
  }
  const cls = (i: number) => (isNumeric(t.columns[i].kind) ? ' class="n"' : '');
  parts.push('<table><thead><tr>', ...t.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.header)}</th>`), '</tr></thead><tbody>');
  for (const r of t.rows) parts.push('<tr>', ...r.map((v, i) => `<td${cls(i)}>${escapeHtml(formatCell(t.columns[i].kind, v, tz, tr))}</td>`), '</tr>');
  parts.push('</tbody>');
  if (t.total) parts.push('<tfoot><tr class="total">', ...t.total.map((v, i) => `<td${cls(i)}>${escapeHtml(formatCell(t.columns[i].kind, v, tz, tr))}</td>`), '</tr></tfoot>');
  parts.push('</table></section>');
  return parts.join('');
}

export function renderHtml(doc: ReportDoc): string {
  const tz = doc.timeZone;
  const tr = reportTranslator(doc);
  const figures = doc.figures
    .map((f) => `<div class="figure"><div class="v">${escapeHtml(formatCell(f.kind, f.value, tz, tr))}</div><div class="l">${escapeHtml(f.label)}</div></div>`)
    .join('');
  const charts = doc.charts.map((c) => `<figure><figcaption>${escapeHtml(c.title)}</figcaption>${chartSvg(c)}</figure>`).join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${doc.language === 'zh-cn' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${doc.title} — ${doc.period.label}`)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="meta">${escapeHtml(`${doc.period.label} · ${tz} · ${scopeText(doc)}`)}</p>`,
    `<div class="figures">${figures}</div>`,
    charts,
    ...doc.tables.map((t) => table(t, tz, tr)),
    `<section><h2>${escapeHtml(tr('report.provenance'))}</h2><ul>`,
    ...provenanceLines(doc).map((l) => `<li>${escapeHtml(l)}</li>`),
    '</ul></section>',
    `<footer>${escapeHtml(tr('report.footer', { generated: generatedLine(doc), priceTable: tr('report.footer.priceTable', { date: doc.provenance.priceTableDate }) }))}</footer>`,
    '</body></html>',
    '',
  ].join('\n');
}
