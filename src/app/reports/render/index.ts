/** One entry for every report format: the file's bytes (Markdown and HTML as UTF-8). */
import type { ReportDoc } from '../model';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderPdf, type PdfOptions } from './pdf';
import { renderXlsx } from './xlsx';

import type { ReportFormat } from './formats';

export { REPORT_FORMATS, isReportFormat, type ReportFormat } from './formats';

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
