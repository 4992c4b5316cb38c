/** One entry for every report format: the file's bytes (Markdown and HTML as UTF-8). */
import type { ReportDoc } from '../model';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderPdf, type PdfOptions } from './pdf';
import { renderXlsx } from './xlsx';

export type ReportFormat = 'md' | 'html' | 'xlsx' | 'pdf';
export const REPORT_FORMATS: readonly { format: ReportFormat; label: string; description: string }[] = [
  { format: 'md', label: 'Markdown', description: 'opens in the preview; paste into a pull request or chat' },
  { format: 'html', label: 'HTML', description: 'one self-contained, printable file' },
  { format: 'xlsx', label: 'Excel (.xlsx)', description: 'one sheet per table, real numbers and dates' },
  { format: 'pdf', label: 'PDF', description: 'charts and tables, paged' },
];

export function isReportFormat(v: unknown): v is ReportFormat {
  return v === 'md' || v === 'html' || v === 'xlsx' || v === 'pdf';
}

export async function renderReport(doc: ReportDoc, format: ReportFormat, opts: PdfOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'md':
      return Buffer.from(renderMarkdown(doc), 'utf8');
    case 'html':
      return Buffer.from(renderHtml(doc), 'utf8');
    case 'xlsx':
      return renderXlsx(doc);
    case 'pdf':
      return renderPdf(doc, opts);
  }
}
