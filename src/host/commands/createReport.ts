import * as vscode from 'vscode';
import { join } from 'node:path';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { validateDay } from '../../app/export';
import { PERIOD_PRESETS, type PeriodPreset, type PeriodSpec } from '../../app/reports/period';
import { REPORT_FORMATS, type ReportFormat } from '../../app/reports/render/formats';
import { defaultReportName, parseReportRequest, type ReportRequest } from '../../app/reports/reportRequest';
import type { ReportWritten } from '../../app/reports/createReportFile';
import { TEMPLATES, type TemplateId } from '../../app/reports/templates';
import { presetDays } from '../../app/reports/period';
import { zoneCalendar } from '../../core/report/tz';
import { SOURCE_DEFS } from '../../core/sources/registry';
import type { Source } from '../../core/types';
import { errorText } from '../log';
import { announceReport, openReport, readReportSettings, reportFolder, writeReportInWorker } from '../reportFiles';

const title = () => vscode.l10n.t('AgentMeter: Create Report');
/** The picks' labels in the display language (VS Code's l10n bundle; the app's reports name them with its translator). */
const periodLabel = (p: PeriodPreset | 'custom'): string =>
  ({
    today: vscode.l10n.t('Today'),
    yesterday: vscode.l10n.t('Yesterday'),
    thisWeek: vscode.l10n.t('This week'),
    lastWeek: vscode.l10n.t('Last week'),
    thisMonth: vscode.l10n.t('This month'),
    lastMonth: vscode.l10n.t('Last month'),
    all: vscode.l10n.t('All time'),
    custom: vscode.l10n.t('Custom range'),
  })[p];
const templateText = (id: TemplateId): [label: string, description: string] =>
  (({
    summary: [vscode.l10n.t('Summary'), vscode.l10n.t('totals, cost by day, by agent and by model')],
    project: [vscode.l10n.t('By project'), vscode.l10n.t('one row per project')],
    model: [vscode.l10n.t('By model'), vscode.l10n.t('one row per model and agent')],
    agent: [vscode.l10n.t('By agent'), vscode.l10n.t('one row per agent (source), and each agent by day')],
    sessions: [vscode.l10n.t('Sessions'), vscode.l10n.t('one row per session')],
    budgets: [vscode.l10n.t('Budgets and limits'), vscode.l10n.t('spend against the daily, weekly and monthly budgets; Codex quota')],
  }) satisfies Record<TemplateId, [string, string]>)[id];
const formatDescription = (f: ReportFormat): string =>
  (({
    md: vscode.l10n.t('opens in the preview; paste into a pull request or chat'),
    html: vscode.l10n.t('one self-contained, printable file'),
    xlsx: vscode.l10n.t('one sheet per table, real numbers and dates'),
    pdf: vscode.l10n.t('charts and tables, paged'),
  }) satisfies Record<ReportFormat, string>)[f];

async function askPeriod(tz: string): Promise<PeriodSpec | undefined> {
  const pick = await vscode.window.showQuickPick(
    [...PERIOD_PRESETS, 'custom' as const].map((p) => ({ label: periodLabel(p) + (p === 'custom' ? '…' : ''), preset: p })),
    { title: vscode.l10n.t('{0} (1/4) — period', title()), placeHolder: vscode.l10n.t('Which dates?'), ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  if (pick.preset !== 'custom') return { preset: pick.preset };
  const since = await vscode.window.showInputBox({ title: vscode.l10n.t('{0} — first day (inclusive)', title()), prompt: vscode.l10n.t('YYYY-MM-DD, in {0}', tz), placeHolder: '2026-03-01', ignoreFocusOut: true, validateInput: validateDay });
  if (since === undefined) return undefined;
  const until = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0} — last day (inclusive)', title()),
    prompt: vscode.l10n.t('YYYY-MM-DD, in {0}', tz),
    value: since.trim(),
    ignoreFocusOut: true,
    validateInput: (v) => validateDay(v) ?? (v.trim() < since.trim() ? vscode.l10n.t('The last day must not be before {0}', since.trim()) : undefined),
  });
  if (until === undefined) return undefined;
  return { preset: 'custom', since: since.trim(), until: until.trim() };
}

type ScopePick = ReportRequest['scope'] & { team?: ReportRequest['team'] };

/** All agents, some, one project; with a team database connected also the team and this member's machines. */
async function askScope(ctx: CommandContext): Promise<ScopePick | undefined> {
  const team = ctx.team.connected
    ? [
        { label: vscode.l10n.t('Me, all machines'), description: vscode.l10n.t('your usage from every machine, read from the team database'), scope: 'me-all' as const },
        { label: vscode.l10n.t('Team'), description: vscode.l10n.t('everyone a lead may read; a member\'s login reads only its own rows'), scope: 'team' as const },
      ]
    : [];
  const pick = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('All agents'), description: team.length ? vscode.l10n.t('this machine') : undefined, scope: 'all' as const },
      { label: vscode.l10n.t('Some agents…'), scope: 'some' as const },
      { label: vscode.l10n.t('One project…'), scope: 'project' as const },
      ...team,
    ],
    { title: vscode.l10n.t('{0} (2/4) — scope', title()), ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  if (pick.scope === 'all') return { sources: [] };
  if (pick.scope === 'me-all' || pick.scope === 'team') return { sources: [], team: pick.scope };
  if (pick.scope === 'some') {
    const enabled = ctx.service.getSettings().sources.enabled;
    const picked = await vscode.window.showQuickPick(
      SOURCE_DEFS.filter((s) => enabled.includes(s.id)).map((s) => ({ label: s.label, id: s.id as Source, picked: true })),
      { title: vscode.l10n.t('{0} — agents', title()), canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked?.length) return undefined;
    return { sources: picked.map((p) => p.id) };
  }
  const projects = [...new Set((await ctx.service.index.loadProjects()).map((p) => p.displayPath))].sort();
  const project = await vscode.window.showQuickPick(projects, { title: vscode.l10n.t('{0} — project', title()), ignoreFocusOut: true, matchOnDescription: true });
  return project === undefined ? undefined : { sources: [], project };
}

async function askRequest(ctx: CommandContext, tz: string): Promise<ReportRequest | undefined> {
  const period = await askPeriod(tz);
  if (!period) return undefined;
  const picked = await askScope(ctx);
  if (!picked) return undefined;
  const { team, ...scope } = picked;
  const template = await vscode.window.showQuickPick(
    TEMPLATES.map((id) => ({ label: templateText(id)[0], description: templateText(id)[1], id })),
    { title: vscode.l10n.t('{0} (3/4) — template', title()), ignoreFocusOut: true },
  );
  if (!template) return undefined;
  const format = await vscode.window.showQuickPick(
    REPORT_FORMATS.map((f) => ({ label: f.label, description: formatDescription(f.format), format: f.format })),
    { title: vscode.l10n.t('{0} (4/4) — format', title()), ignoreFocusOut: true },
  );
  if (!format) return undefined;
  return { period, scope, template: template.id, format: format.format, ...(team ? { team } : {}) };
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
        title: title(),
        defaultUri: vscode.Uri.file(join(reportFolder(reportSettings), defaultReportName(req.template, req.format, since, today, req.team))),
        filters: { [REPORT_FORMATS.find((f) => f.format === req.format)!.label]: [req.format] },
        saveLabel: vscode.l10n.t('Create Report'),
      });
      if (!uri) return undefined;
      path = uri.fsPath;
    }
    const target = req.team ? ctx.team.target() : undefined;
    const team = target ? { target, member: await ctx.team.member() } : undefined;
    const written = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AgentMeter: creating the report…') },
      () => writeReportInWorker(ctx.service, { ...req, path }, reportSettings, team),
    );
    ctx.log.info(`report written: ${written.path} (${written.periodLabel}, ${written.bytes} bytes)`);
    if (!silent) {
      if (req.format === 'md') await openReport(written.path);
      else void announceReport(vscode.l10n.t('Report written to {0}', written.path), written.path);
    }
    return written;
  } catch (e) {
    ctx.log.error(`report failed: ${errorText(e)}`);
    if (silent) throw e;
    void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: report failed: {0}', errorText(e)));
    return undefined;
  }
}

export function registerCreateReport(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.CreateReport, (arg?: unknown) => runCreateReport(arg, ctx));
}
