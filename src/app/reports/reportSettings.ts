/**
 * `agentMeter.reports.*`: scheduled reports (daily / weekly / monthly, off by default), their template, format,
 * scope and folder, the PDF font. Pure: the host passes the raw values.
 */
import type { RawSettingGetter } from '../settingsParse';
import { isReportFormat, type ReportFormat } from './render/formats';
import { SCHEDULE_KINDS, type ScheduleKind } from './schedule';
import { parseTemplate, type TemplateId } from './templates';

export interface ReportSettings {
  /** the kinds switched on (`agentMeter.reports.daily|weekly|monthly`) */
  schedule: ScheduleKind[];
  template: TemplateId;
  format: ReportFormat;
  /** '' = the default folder (the host decides: `~/AgentMeter Reports`) */
  folder: string;
  pdfFontFile: string;
  /** the scheduled reports' data: this machine's index (`local`), or the connected team database (`me-all`, `team`) */
  scope: ReportScopeSetting;
}

export const REPORT_SCOPES = ['local', 'me-all', 'team'] as const;
export type ReportScopeSetting = (typeof REPORT_SCOPES)[number];

export function parseReportSettings(get: RawSettingGetter): { settings: ReportSettings; warnings: string[] } {
  const warnings: string[] = [];
  const rawTemplate = get('reports.template');
  let template: TemplateId = 'summary';
  if (typeof rawTemplate === 'string' && rawTemplate.trim()) {
    const t = parseTemplate(rawTemplate);
    if (t) template = t;
    else warnings.push(`agentMeter.reports.template "${rawTemplate}" is not a template; using summary`);
  }
  const rawFormat = get('reports.format');
  const format: ReportFormat = isReportFormat(rawFormat) ? rawFormat : 'html';
  if (rawFormat !== undefined && rawFormat !== null && !isReportFormat(rawFormat)) warnings.push(`agentMeter.reports.format "${String(rawFormat)}" is not md, html, xlsx or pdf; using html`);
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const rawScope = get('reports.scope');
  const scope = (REPORT_SCOPES as readonly unknown[]).includes(rawScope) ? (rawScope as ReportScopeSetting) : 'local';
  if (rawScope !== undefined && rawScope !== null && scope !== rawScope) warnings.push(`agentMeter.reports.scope "${String(rawScope)}" is not local, me-all or team; using local`);
  return {
    warnings,
    settings: {
      schedule: SCHEDULE_KINDS.filter((k) => get(`reports.${k}`) === true),
      template,
      format,
      folder: str(get('reports.folder')),
      pdfFontFile: str(get('reports.pdfFontFile')),
      scope,
    },
  };
}
