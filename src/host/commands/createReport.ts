import * as vscode from 'vscode';
import { join } from 'node:path';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { validateDay } from '../../app/export';
import { PERIOD_LABELS, PERIOD_PRESETS, type PeriodSpec } from '../../app/reports/period';
import { REPORT_FORMATS } from '../../app/reports/render/formats';
import { defaultReportName, parseReportRequest, type ReportRequest } from '../../app/reports/reportRequest';
import type { ReportWritten } from '../../app/reports/createReportFile';
import { TEMPLATES } from '../../app/reports/templates';
import { presetDays } from '../../app/reports/period';
import { zoneCalendar } from '../../core/report/tz';
import { SOURCE_DEFS } from '../../core/sources/registry';
import type { Source } from '../../core/types';
import { errorText } from '../log';
import { announceReport, openReport, readReportSettings, reportFolder, writeReportInWorker } from '../reportFiles';

const TITLE = 'AgentMeter: Create Report';

async function askPeriod(tz: string): Promise<PeriodSpec | undefined> {
  const pick = await vscode.window.showQuickPick(
    [...PERIOD_PRESETS, 'custom' as const].map((p) => ({ label: PERIOD_LABELS[p] + (p === 'custom' ? '…' : ''), preset: p })),
    { title: `${TITLE} (1/4) — period`, placeHolder: 'Which dates?', ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  if (pick.preset !== 'custom') return { preset: pick.preset };
  const since = await vscode.window.showInputBox({ title: `${TITLE} — first day (inclusive)`, prompt: `YYYY-MM-DD, in ${tz}`, placeHolder: '2026-03-01', ignoreFocusOut: true, validateInput: validateDay });
  if (since === undefined) return undefined;
  const until = await vscode.window.showInputBox({
    title: `${TITLE} — last day (inclusive)`,
    prompt: `YYYY-MM-DD, in ${tz}`,
    value: since.trim(),
    ignoreFocusOut: true,
    validateInput: (v) => validateDay(v) ?? (v.trim() < since.trim() ? `The last day must not be before ${since.trim()}` : undefined),
  });
  if (until === undefined) return undefined;
  return { preset: 'custom', since: since.trim(), until: until.trim() };
}

async function askScope(ctx: CommandContext): Promise<ReportRequest['scope'] | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'All agents', scope: 'all' as const },
      { label: 'Some agents…', scope: 'some' as const },
      { label: 'One project…', scope: 'project' as const },
    ],
    { title: `${TITLE} (2/4) — scope`, ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  if (pick.scope === 'all') return { sources: [] };
  if (pick.scope === 'some') {
    const enabled = ctx.service.getSettings().sources.enabled;
    const picked = await vscode.window.showQuickPick(
      SOURCE_DEFS.filter((s) => enabled.includes(s.id)).map((s) => ({ label: s.label, id: s.id as Source, picked: true })),
      { title: `${TITLE} — agents`, canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked?.length) return undefined;
    return { sources: picked.map((p) => p.id) };
  }
  const projects = [...new Set((await ctx.service.index.loadProjects()).map((p) => p.displayPath))].sort();
  const project = await vscode.window.showQuickPick(projects, { title: `${TITLE} — project`, ignoreFocusOut: true, matchOnDescription: true });
  return project === undefined ? undefined : { sources: [], project };
}

async function askRequest(ctx: CommandContext, tz: string): Promise<ReportRequest | undefined> {
  const period = await askPeriod(tz);
  if (!period) return undefined;
  const scope = await askScope(ctx);
  if (!scope) return undefined;
  const template = await vscode.window.showQuickPick(
    TEMPLATES.map((t) => ({ label: t.label, description: t.description, id: t.id })),
    { title: `${TITLE} (3/4) — template`, ignoreFocusOut: true },
  );
  if (!template) return undefined;
  const format = await vscode.window.showQuickPick(
    REPORT_FORMATS.map((f) => ({ label: f.label, description: f.description, format: f.format })),
    { title: `${TITLE} (4/4) — format`, ignoreFocusOut: true },
  );
  if (!format) return undefined;
  return { period, scope, template: template.id, format: format.format };
}

/**
 * AgentMeter: Create Report… — period, scope, template and format picks, a save dialog in the reports folder; the
 * report is built, rendered and written by the index worker. With an argument object the picks are skipped; with
 * `path` there is no dialog and `{ path, bytes, … }` is returned (tests).
 */
export async function runCreateReport(arg: unknown, ctx: CommandContext): Promise<ReportWritten | undefined> {
  const silent = !!arg && typeof arg === 'object' && typeof (arg as { path?: unknown }).path === 'string';
  try {
    const settings = ctx.service.getSettings();
    const tz = settings.timeZone;
    const reportSettings = readReportSettings(ctx.log);
    const req = parseReportRequest(arg) ?? (await askRequest(ctx, tz));
    if (!req) return undefined;
    let path = req.path;
    if (!path) {
      const today = zoneCalendar(tz).dayKey(Date.now());
      const since = req.period.preset === 'custom' ? req.period.since : req.period.preset === 'all' ? undefined : presetDays(req.period.preset, Date.now(), tz, settings.weekStart).since;
      const uri = await vscode.window.showSaveDialog({
        title: TITLE,
        defaultUri: vscode.Uri.file(join(reportFolder(reportSettings), defaultReportName(req.template, req.format, since, today))),
        filters: { [REPORT_FORMATS.find((f) => f.format === req.format)!.label]: [req.format] },
        saveLabel: 'Create Report',
      });
      if (!uri) return undefined;
      path = uri.fsPath;
    }
    const written = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'AgentMeter: creating the report…' },
      () => writeReportInWorker(ctx.service, { ...req, path }, reportSettings),
    );
    ctx.log.info(`report written: ${written.path} (${written.periodLabel}, ${written.bytes} bytes)`);
    if (!silent) {
      if (req.format === 'md') await openReport(written.path);
      else void announceReport(`Report written to ${written.path}`, written.path);
    }
    return written;
  } catch (e) {
    ctx.log.error(`report failed: ${errorText(e)}`);
    if (silent) throw e;
    void vscode.window.showErrorMessage(`AgentMeter: report failed: ${errorText(e)}`);
    return undefined;
  }
}

export function registerCreateReport(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.CreateReport, (arg?: unknown) => runCreateReport(arg, ctx));
}
