/** The report formats (kept apart from the renderers, which live in their own bundle). */
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
