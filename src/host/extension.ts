import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { SettingsStore } from './config';
import type { IndexReads } from './usageSource';
import { createLogChannel, errorText, loggerFor } from './log';
import { UsageService } from './usageService';
import { createCoreIndex } from '../app/coreIndex';
import { PriceTableCache } from '../app/prices';
import { StatusBarController } from './statusBar';
import { AlertNotifier } from './alerts';
import { registerAll } from './commands/registerAll';
import { startScheduledReports } from './reportFiles';
import type { StatusView } from '../app/status/statusText';
import { DASHBOARD_OPENED_KEY, DASHBOARD_WARM_DAYS, DashboardPanel, dashboardWarmUpDue, registerDashboardSerializer } from './dashboard/panel';
import { TeamController } from './team/teamController';
import { AlertHistory } from './alertHistory';
import { AlertWebhooks } from './alertWebhooks';
import { registerConfigureAlertWebhook } from './commands/configureAlertWebhook';
import { RetentionSchedule } from './retentionSchedule';

/** After the index is ready, how long a window waits before preparing the dashboard's default view (the status bar's updates first). */
const DASHBOARD_WARM_DELAY_MS = 2_000;

/** What `activate()` returns, for the integration tests (and other extensions). */
export interface AgentMeterApi {
  /** resolves when the first refresh (writer) or first load (reader) is done */
  whenReady(): Promise<void>;
  /** ingest what is new now (a reader window reloads the shared index) */
  refresh(): Promise<void>;
  /** reads of the index (answered by the index worker, plain data) */
  index: IndexReads;
  /** what the status bar shows now */
  getStatusBarView(): StatusView | undefined;
  /** true when this window maintains the index */
  isWriter(): boolean;
}

let service: UsageService | undefined;

/**
 * Activation is cheap: settings, log, commands, status bar and the dashboard serializer are registered at once;
 * opening the index and the first ingest start after activation returned (setImmediate), so the editor's
 * start-up never waits for us.
 */
export function activate(context: vscode.ExtensionContext): AgentMeterApi {
  const channel = createLogChannel();
  const logger = loggerFor(channel);
  const settings = new SettingsStore((m) => channel.warn(m));
  const prices = new PriceTableCache((m) => channel.warn(m));
  const core = createCoreIndex({
    wasmPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'sql-wasm.wasm').fsPath,
    workerScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'ingest-worker.js').fsPath,
    indexWorkerScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'index-worker.js').fsPath,
    env: process.env,
    home: homedir(),
    hostGlobalStorage: context.globalStorageUri.fsPath,
    logger,
  });
  const svc = new UsageService({ storageDir: context.globalStorageUri.fsPath, windowId: vscode.env.sessionId, settings, core, logger });
  service = svc;
  const webhooks = new AlertWebhooks(context.secrets, (level, m) => (level === 'warn' ? channel.warn(m) : channel.info(m)));
  const alertHistory = new AlertHistory(context.globalStorageUri.fsPath, (m) => channel.warn(m));
  DashboardPanel.alertHistory = alertHistory;
  DashboardPanel.log = (m) => channel.info(m);
  const alerts = new AlertNotifier(context.globalState, () => svc.getStatus().isWriter, (fired, nowMs) => {
    webhooks.dispatch(alertHistory.record(fired, nowMs));
  });
  const team = new TeamController(context.secrets, svc, core.index, logger, String(context.extension.packageJSON.version ?? ''), context.globalState, (fired, nowMs) => {
    webhooks.dispatch(alertHistory.record(fired, nowMs));
  });
  const statusBar = new StatusBarController(svc, prices, channel, team);
  svc.model.onDidUpdate((u) => {
    // Not on a batch of the first index (or a rebuild) still reading history: partial totals and a P90 limit from part
    // of the blocks would notify on numbers that are about to change. Its last commit ('ingest') is complete.
    const st = svc.getStatus();
    if (u.reason === 'batch' || (st.indexing && st.lastUpdatedMs === null && u.reason !== 'ingest')) return;
    alerts.evaluate(u.summary).catch((e) => channel.warn(`budget alerts: ${errorText(e)}`));
  });
  const openDashboard = () => DashboardPanel.createOrShow(context, svc, team);
  context.subscriptions.push(
    channel,
    settings,
    svc,
    statusBar,
    team,
    ...registerAll({ extension: context, service: svc, log: channel, prices, openDashboard, team }),
    registerDashboardSerializer(context, svc, team),
    registerConfigureAlertWebhook(webhooks),
    alertHistory,
    new RetentionSchedule(svc, channel),
    startScheduledReports(context, svc, channel, async () => {
      const target = team.target();
      return target ? { target, member: await team.member() } : undefined;
    }),
  );

  // once this window's index is ready, every window reads ahead at once what every first snapshot reads of all time
  // (~0.1–0.4 s of the index worker at a year); a window of someone who uses the dashboard (opened it in the last 14
  // days, or never: someone new) then prepares the whole default view 2 s later, after the start's status updates
  // (F1 then reads what changed since, not its period cold: the first snapshot of a window at a year is ~0.25–0.6 s
  // of the worker, ~30–60 ms after it; at once, it delayed an append's status update at the start to ~0.5 s)
  void svc.whenReady().then(async () => {
    const ms = await DashboardPanel.warmReads(svc).catch((e) => { channel.debug(`preparing the dashboard's all-time reads: ${errorText(e)}`); return undefined; });
    if (ms !== undefined) channel.info(`the dashboard's all-time reads prepared in ${ms} ms`);
    const opened = context.globalState.get(DASHBOARD_OPENED_KEY);
    if (!dashboardWarmUpDue(opened, Date.now())) return;
    const why = opened === undefined ? 'the dashboard was never opened in this profile' : `the dashboard was opened in the last ${DASHBOARD_WARM_DAYS} days`;
    setTimeout(() => {
      DashboardPanel.warmUp(svc).then(
        (ms) => { if (ms !== undefined) channel.info(`dashboard data prepared in ${ms} ms (${why})`); },
        (e) => channel.debug(`preparing the dashboard's data: ${errorText(e)}`),
      );
    }, DASHBOARD_WARM_DELAY_MS).unref?.();
  });
  setImmediate(() => {
    team.load().catch((e) => channel.warn(`team database: ${errorText(e)}`));
    svc.start().catch((e) => {
      channel.error(`AgentMeter could not start: ${errorText(e)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter could not start: {0}', errorText(e)), vscode.l10n.t('Show Log')).then((p) => {
        if (p) channel.show();
      });
    });
  });
  channel.info(`AgentMeter ${context.extension.packageJSON.version ?? ''} activated (window ${vscode.env.sessionId.slice(0, 8)})`);

  return {
    whenReady: () => svc.whenReady(),
    refresh: () => svc.refresh(),
    index: svc.index,
    getStatusBarView: () => statusBar.view,
    isWriter: () => svc.getStatus().isWriter,
  };
}

/** Saves pending index changes and hands the writer lock over, so another window takes over at once. */
export async function deactivate(): Promise<void> {
  const s = service;
  service = undefined;
  await s?.shutdown();
}
