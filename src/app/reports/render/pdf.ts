/**
 * PDF reports through jsPDF + jspdf-autotable (no browser): landscape A4, the key figures, the charts drawn as bars,
 * every table paged with its header repeated, and on every page a footer with the period, the price table's date
 * and the page number.
 *
 * Fonts: jsPDF's standard fonts (Helvetica) hold only Latin-1/WinAnsi glyphs — no Chinese, Japanese or Korean.
 * When the report's text needs more (a zh-CN report always does), a TrueType font that has those glyphs is embedded
 * (a .ttf, or the first face of a .ttc collection with TrueType outlines; not CFF .otf/.ttc): `fontFile` when given
 * (setting `agentMeter.reports.pdfFontFile`, CLI `--pdf-font`), else the first usable of a few well-known system
 * fonts (Windows SimHei / Microsoft YaHei, macOS Arial Unicode, Linux Droid Sans Fallback / WenQuanYi). Without one,
 * each such character is printed as "?" and the report says so (in English, which the standard fonts can show); the
 * HTML and Excel reports show every script.
 */
import { existsSync, readFileSync } from 'node:fs';
import { jsPDF } from 'jspdf';
import { trueTypeFace } from './fontCollection';
import { autoTable } from 'jspdf-autotable';
import type { ReportDoc } from '../model';
import { englishTranslator } from '../../i18n/translator';
import { formatCell, formatUsd, generatedLine, isNumeric, provenanceLines, reportTranslator, scopeText } from './format';

export interface PdfOptions {
  /** a .ttf (or TrueType .ttc) font with the glyphs the standard fonts lack (CJK) */
  fontFile?: string;
  /** where to look for a font when `fontFile` is not given (tests); default SYSTEM_CJK_FONTS */
  systemFonts?: readonly string[];
}

export const SYSTEM_CJK_FONTS: readonly string[] = [
  'C:\\Windows\\Fonts\\simhei.ttf',
  'C:\\Windows\\Fonts\\msyh.ttc',
  '/Library/Fonts/Arial Unicode.ttf',
  '/System/Library/Fonts/Supplemental/Arial Unicode.ttf',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
];

/** Characters Helvetica (WinAnsi) can print: Latin-1 and the few cp1252 extras we use. */
const WINANSI = /^[\t\n\r\u0020-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]*$/;

export function needsUnicodeFont(doc: ReportDoc): boolean {
  return !WINANSI.test(JSON.stringify(doc));
}

/** The font's bytes as jsPDF embeds them: the given file (an error when unusable), else the first usable system font. */
function pickFont(opts: PdfOptions): Buffer | undefined {
  if (opts.fontFile) {
    if (!/\.tt[fc]$/i.test(opts.fontFile) || !existsSync(opts.fontFile)) throw new Error(`the PDF font ${opts.fontFile} is not a readable .ttf file (or .ttc collection)`);
    return trueTypeFace(readFileSync(opts.fontFile), opts.fontFile);
  }
  for (const f of opts.systemFonts ?? SYSTEM_CJK_FONTS) {
    if (!existsSync(f)) continue;
    try {
      return trueTypeFace(readFileSync(f), f);
    } catch {
      /* unreadable or not TrueType: the next one */
    }
  }
  return undefined;
}

export function renderPdf(doc: ReportDoc, opts: PdfOptions = {}): Buffer {
  const pdf = new jsPDF({ orientation: 'landscape', unit: 'pt', format: 'a4', compress: true });
  pdf.setProperties({ title: `${doc.title} — ${doc.period.label}`, creator: 'AgentMeter' });
  let font = 'helvetica';
  let replaced = false;
  const fontFile = needsUnicodeFont(doc) ? pickFont(opts) : undefined;
  if (fontFile) {
    pdf.addFileToVFS('report-font.ttf', fontFile.toString('base64'));
    pdf.addFont('report-font.ttf', 'report-font', 'normal');
    pdf.addFont('report-font.ttf', 'report-font', 'bold');
    font = 'report-font';
  }
  const text = (s: string): string => {
    if (fontFile || WINANSI.test(s)) return s;
    replaced = true;
    return [...s].map((c) => (WINANSI.test(c) ? c : '?')).join('');
  };
  const tz = doc.timeZone;
  const tr = reportTranslator(doc);
  const W = pdf.internal.pageSize.getWidth();
  const H = pdf.internal.pageSize.getHeight();
  const M = 36;
  let y = M;
  /** moves the cursor down by `dy` and returns the new line position */
  const down = (dy: number): number => {
    y += dy;
    return y;
  };
  const ensure = (h: number) => {
    if (y + h > H - M - 20) {
      pdf.addPage();
      y = M;
    }
  };

  pdf.setFont(font, 'bold');
  pdf.setFontSize(16);
  pdf.text(text(doc.title), M, down(14));
  pdf.setFont(font, 'normal');
  pdf.setFontSize(10);
  pdf.text(text(`${doc.period.label} · ${tz} · ${scopeText(doc)}`), M, down(18));
  y += 10;
  // key figures in a row of boxes
  const boxW = (W - 2 * M - 10 * (doc.figures.length - 1)) / Math.max(1, doc.figures.length);
  doc.figures.forEach((f, i) => {
    const x = M + i * (boxW + 10);
    pdf.setDrawColor(200);
    pdf.rect(x, y, boxW, 40);
    pdf.setFontSize(13);
    pdf.text(text(formatCell(f.kind, f.value, tz, tr)), x + 8, y + 18);
    pdf.setFontSize(8);
    pdf.text(text(f.label), x + 8, y + 32);
  });
  y += 56;

  for (const c of doc.charts) {
    const rowH = 14;
    ensure(24 + c.labels.length * rowH);
    pdf.setFontSize(11);
    pdf.setFont(font, 'bold');
    pdf.text(text(c.title), M, down(12));
    pdf.setFont(font, 'normal');
    pdf.setFontSize(8);
    y += 6;
    const labelW = 150;
    const barW = W - 2 * M - labelW - 80;
    const max = Math.max(0, ...c.values);
    c.labels.forEach((l, i) => {
      const v = c.values[i];
      const w = max > 0 ? Math.max(v > 0 ? 1 : 0, (v / max) * barW) : 0;
      const by = y + i * rowH;
      pdf.text(text(l.length > 32 ? `${l.slice(0, 31)}…` : l), M + labelW - 6, by + 9, { align: 'right' });
      pdf.setFillColor(59, 130, 246);
      if (w > 0) pdf.rect(M + labelW, by + 2, w, rowH - 4, 'F');
      pdf.text(c.unit === 'usd' ? formatUsd(v) : Math.round(v).toLocaleString('en-US'), M + labelW + w + 4, by + 9);
    });
    y += c.labels.length * rowH + 10;
  }

  for (const t of doc.tables) {
    ensure(60);
    pdf.setFontSize(11);
    pdf.setFont(font, 'bold');
    pdf.text(text(t.title), M, down(14));
    pdf.setFont(font, 'normal');
    y += 4;
    if (t.note) {
      pdf.setFontSize(8);
      const lines = pdf.splitTextToSize(text(t.note), W - 2 * M);
      pdf.text(lines, M, down(10));
      y += lines.length * 10;
    }
    if (!t.rows.length) {
      if (!t.note) {
        pdf.setFontSize(9);
        pdf.text(text(tr('report.noUsage')), M, down(12));
      }
      y += 8;
      continue;
    }
    const align = Object.fromEntries(t.columns.map((c, i) => [i, { halign: isNumeric(c.kind) ? ('right' as const) : ('left' as const) }]));
    autoTable(pdf, {
      startY: y,
      margin: { left: M, right: M, bottom: M + 20, top: M },
      head: [t.columns.map((c) => text(c.header))],
      body: t.rows.map((r) => r.map((v, i) => text(formatCell(t.columns[i].kind, v, tz, tr)))),
      foot: t.total ? [t.total.map((v, i) => text(formatCell(t.columns[i].kind, v, tz, tr)))] : undefined,
      showFoot: 'lastPage',
      theme: 'striped',
      styles: { font, fontSize: 7.5, cellPadding: 3, overflow: 'linebreak' },
      headStyles: { fillColor: [55, 65, 81], fontStyle: 'bold' },
      footStyles: { fillColor: [229, 231, 235], textColor: 20, fontStyle: 'bold' },
      columnStyles: align,
    });
    y = (pdf as unknown as { lastAutoTable: { finalY: number } }).lastAutoTable.finalY + 16;
  }

  const notes = provenanceLines(doc);
  // the note itself in English when the font cannot show the report's own language
  if (replaced) notes.push((fontFile ? tr : englishTranslator)('report.pdf.replaced'));
  notes.push(generatedLine(doc));
  pdf.setFontSize(8);
  const lines = notes.flatMap((n) => pdf.splitTextToSize(text(n), W - 2 * M) as string[]);
  ensure(24 + lines.length * 10);
  pdf.setFontSize(11);
  pdf.setFont(font, 'bold');
  pdf.text(text(tr('report.provenance')), M, down(14));
  pdf.setFont(font, 'normal');
  pdf.setFontSize(8);
  for (const l of lines) pdf.text(l, M, down(10));

  const pages = pdf.getNumberOfPages();
  for (let p = 1; p <= pages; p++) {
    pdf.setPage(p);
    pdf.setFontSize(8);
    pdf.setTextColor(110);
    pdf.text(text(tr('report.pdf.footer', { period: doc.period.label, zone: tz, date: doc.provenance.priceTableDate })), M, H - M / 2);
    pdf.text(text(tr('report.pdf.page', { page: p, pages })), W - M, H - M / 2, { align: 'right' });
    pdf.setTextColor(0);
  }
  return Buffer.from(pdf.output('arraybuffer'));
}
