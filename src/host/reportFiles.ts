/** Report files in the editor: the settings, the default folder, the request to the index worker, Open / Reveal. */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ReportQuery, ReportWritten } from '../app/reports/createReportFile';
import { parseReportSettings, type ReportSettings } from '../app/reports/reportSettings';
import type { ReportRequest } from '../app/reports/reportRequest';
import type { UsageSource } from './usageSource';
import type { TeamTargetRequest } from '../app/indexWorker/teamRequests';
import { ScheduledReports } from './scheduledReports';

export function readReportSettings(log?: vscode.LogOutputChannel): ReportSettings {
  const config = vscode.workspace.getConfiguration('agentMeter');
  const { settings, warnings } = parseReportSettings((k) => config.get(k));
  for (const w of warnings) log?.warn(w);
  return settings;
}

/** `agentMeter.reports.folder` (a leading ~ is the home folder), else `~/AgentMeter Reports`. */
export function reportFolder(s: ReportSettings): string {
  if (!s.folder) return join(homedir(), 'AgentMeter Reports');
  return s.folder.startsWith('~') ? join(homedir(), s.folder.slice(1)) : s.folder;
}

/** The connected team database and this machine's member name (a team-scope report's). */
export interface TeamReportTarget {
  target: TeamTargetRequest;
  member: string;
}

/**
 * Builds and writes the report in the index worker (never on this thread): from this machine's index, or with
 * `req.team` from the team database through `team` (a one-line error when none is connected; nothing written).
 */
export async function writeReportInWorker(
  service: UsageSource & { whenReady(): Promise<void> },
  req: ReportRequest & { path: string },
  s: ReportSettings,
  team?: TeamReportTarget,
): Promise<ReportWritten> {
  if (req.team && !team) throw new Error('no team database is connected (AgentMeter: Connect Team Database…)');
  await service.whenReady();
  if (!req.team && !service.hasData()) throw new Error('the usage index is not ready yet');
  const settings = service.getSettings();
  const q: ReportQuery = {
    template: req.template,
    period: req.period,
    scope: req.scope,
    format: req.format,
    path: req.path,
    timeZone: settings.timeZone,
    weekStart: settings.weekStart,
    priceOverrides: settings.priceOverrides,
    currencyRates: settings.currency.rates,
    budgets: { dailyUsd: settings.budgets.dailyUsd, weeklyUsd: settings.budgets.weeklyUsd, monthlyUsd: settings.budgets.monthlyUsd },
    ...(s.pdfFontFile ? { pdfFontFile: s.pdfFontFile } : {}),
    locale: vscode.env.language,
  };
  if (req.team && team) return service.index.teamWriteReport({ ...q, target: team.target, teamScope: req.team, member: team.member });
  return service.index.writeReport(q);
}

/** Markdown opens in VS Code's preview; the others in their own program (HTML: the browser). */
export async function openReport(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  if (path.endsWith('.md')) await vscode.commands.executeCommand('markdown.showPreview', uri);
  else await vscode.env.openExternal(uri);
}

export async function revealReport(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  await vscode.commands.executeCommand('revealFileInOS', uri).then(undefined, () => vscode.commands.executeCommand('revealInExplorer', uri));
}

/** "Report written: <path>" with Open and Reveal. */
export async function announceReport(message: string, path: string): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal');
  const pick = await vscode.window.showInformationMessage(message, open, reveal);
  if (pick === open) await openReport(path);
  else if (pick === reveal) await revealReport(path);
}

/**
 * The scheduled reports of this window: checked once the index is ready, when this window becomes the writer,
 * when `agentMeter.reports.*` changes, and on their timer.
 */
export function startScheduledReports(
  context: vscode.ExtensionContext,
  service: UsageSource & { whenReady(): Promise<void> },
  log: vscode.LogOutputChannel,
  /** the connected team database (`agentMeter.reports.scope` me-all or team); undefined when none is connected */
  team: () => Promise<TeamReportTarget | undefined> = async () => undefined,
): vscode.Disposable {
  const scheduler = new ScheduledReports({
    state: context.globalState,
    isWriter: () => service.getStatus().isWriter,
    readSettings: () => readReportSettings(log),
    zone: () => ({ timeZone: service.getSettings().timeZone, weekStart: service.getSettings().weekStart }),
    folder: reportFolder,
    write: async (req, s) => writeReportInWorker(service, req, s, req.team ? await team() : undefined),
    announce: (w, count) => void announceReport(count > 1 ? vscode.l10n.t('{0} scheduled reports written; the last: {1}', count, w.path) : vscode.l10n.t('Scheduled report written: {0}', w.path), w.path),
    fail: (m) => void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: {0}', m)),
    log,
  });
  let wasWriter = false;
  const subs = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('agentMeter.reports') || e.affectsConfiguration('agentMeter.timeZone') || e.affectsConfiguration('agentMeter.weekStart')) scheduler.settingsChanged();
    }),
    service.onDidChange(() => {
      const writer = service.getStatus().isWriter;
      if (writer && !wasWriter) void scheduler.check();
      wasWriter = writer;
    }),
  ];
  service.whenReady().then(() => scheduler.start(), () => {});
  return {
    dispose: () => {
      for (const d of [scheduler, ...subs]) d.dispose();
    },
  };
}
