/**
 * Excel reports through exceljs: a "Report" sheet (key figures, where the numbers come from) and one sheet per
 * table; real numbers and dates (days as dates, times as local date-times), number formats, column widths from the
 * content, the header row frozen and filterable, the totals row in bold below the rows.
 */
import ExcelJS from 'exceljs';
import { parseDay, zoneCalendar } from '../../../core/report/tz';
import type { Cell, CellKind, ReportDoc, ReportTable } from '../model';
import type { Translator } from '../../i18n/translator';
import { formatCell, generatedLine, provenanceLines, reportTranslator } from './format';

const NUM_FMT: Partial<Record<CellKind, string>> = {
  int: '#,##0',
  usd: '"$"#,##0.00##',
  percent: '0.0%',
  day: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

/** A cell as Excel holds it: days and local times as dates (the zone's wall clock), numbers as numbers. */
function excelValue(kind: CellKind, v: Cell, timeZone: string): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (kind === 'day' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(parseDay(v));
  if (kind === 'datetime' && typeof v === 'number') return new Date(zoneCalendar(timeZone).localMs(v));
  return v;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique. */
function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

function addTable(wb: ExcelJS.Workbook, t: ReportTable, tz: string, used: Set<string>, tr: Translator): void {
  const ws = wb.addWorksheet(sheetName(t.title, used), { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = ws.addRow(t.columns.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3F4F6' } };
  const widths = t.columns.map((c) => c.header.length + 2);
  const add = (cells: Cell[]) => {
    const row = ws.addRow(cells.map((v, i) => excelValue(t.columns[i].kind, v, tz)));
    cells.forEach((v, i) => {
      const fmt = NUM_FMT[t.columns[i].kind];
      if (fmt && v !== null) row.getCell(i + 1).numFmt = fmt;
      widths[i] = Math.max(widths[i], Math.min(60, formatCell(t.columns[i].kind, v, tz, tr).length + 2));
    });
    return row;
  };
  for (const r of t.rows) add(r);
  if (t.total) add(t.total).font = { bold: true };
  if (t.rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + t.rows.length, column: t.columns.length } };
  for (let i = 0; i < t.columns.length; i++) ws.getColumn(i + 1).width = widths[i];
  if (t.note) ws.getCell(ws.rowCount + 2, 1).value = t.note;
}

export async function renderXlsx(doc: ReportDoc): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AgentMeter';
  wb.created = new Date(doc.generatedAtMs);
  const used = new Set<string>();
  const tz = doc.timeZone;
  const tr = reportTranslator(doc);
  const info = wb.addWorksheet(sheetName(tr('report.xlsx.report'), used));
  info.getColumn(1).width = 22;
  info.getColumn(2).width = 70;
  info.addRow([doc.title]).font = { bold: true, size: 14 };
  info.addRow([tr('report.periodLabel'), doc.period.label]);
  info.addRow([tr('report.xlsx.from'), doc.period.since ? new Date(parseDay(doc.period.since)) : tr('report.period.beginning')]).getCell(2).numFmt = NUM_FMT.day!;
  info.addRow([tr('report.xlsx.to'), doc.period.until ? new Date(parseDay(doc.period.until)) : tr('report.period.now')]).getCell(2).numFmt = NUM_FMT.day!;
  info.addRow([tr('report.timeZone'), tz]);
  info.addRow([tr('report.xlsx.priceTable'), doc.provenance.priceTableDate]);
  info.addRow([]);
  for (const f of doc.figures) {
    const row = info.addRow([f.label, f.value]);
    const fmt = NUM_FMT[f.kind];
    if (fmt && typeof f.value === 'number') row.getCell(2).numFmt = fmt;
    if (f.value === null) row.getCell(2).value = tr('report.unpriced');
    row.getCell(2).alignment = { horizontal: 'left' };
  }
  info.addRow([]);
  info.addRow([tr('report.provenance')]).font = { bold: true };
  for (const l of provenanceLines(doc)) info.addRow(['', l]);
  info.addRow(['', generatedLine(doc)]);
  for (const t of doc.tables) addTable(wb, t, tz, used, tr);
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
