/** The report formats (kept apart from the renderers, which live in their own bundle). */
export type ReportFormat = 'md' | 'html' | 'xlsx' | 'pdf';

/** The formats in the pick's order; `label` names the file type in save dialogs (descriptions are the host's l10n). */
export const REPORT_FORMATS: readonly { format: ReportFormat; label: string }[] = [
  { format: 'md', label: 'Markdown' },
  { format: 'html', label: 'HTML' },
  { format: 'xlsx', label: 'Excel (.xlsx)' },
  { format: 'pdf', label: 'PDF' },
];

export function isReportFormat(v: unknown): v is ReportFormat {
  return v === 'md' || v === 'html' || v === 'xlsx' || v === 'pdf';
}
