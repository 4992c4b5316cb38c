import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { errorText } from '../log';
import { looksLikePostgresUrl } from '../team/teamController';

/** The database role in words (the notifications name it). */
const roleName = (role: string) => (role === 'lead' ? vscode.l10n.t('lead') : role === 'member' ? vscode.l10n.t('member') : role);

/**
 * The team database's commands (issue 16):
 * - "Connect Team Database…": asks for the URL (a password box), tests it (connects, reads the login's role), stores it
 *   in the secret storage only when it works; then the writer window sends the whole history with a progress
 *   notification. `{ url }` skips the input box (tests).
 * - "Disconnect Team Database": forgets the URL (nothing already sent is deleted).
 * - "Push Usage to Team Database Now".
 * Each failure is one message; nothing is stored or sent on a failed test.
 */
export function registerTeamCommands(ctx: CommandContext): vscode.Disposable[] {
  const team = ctx.team;
  const connect = async (arg?: { url?: string }): Promise<boolean> => {
    const url = arg?.url ?? (await vscode.window.showInputBox({
      title: vscode.l10n.t('AgentMeter: Connect Team Database'),
      prompt: vscode.l10n.t("The PostgreSQL URL your team admin gave you. It is kept in the editor's secret storage, never in settings."),
      placeHolder: 'postgres://member:password@db.example.com:5432/agentmeter?sslmode=verify-full',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || looksLikePostgresUrl(v) ? undefined : vscode.l10n.t('A PostgreSQL URL starts with postgres:// or postgresql://')),
    }));
    if (!url?.trim()) return false;
    let role: string;
    try {
      const check = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AgentMeter: connecting to the team database…') },
        () => team.connect(url),
      );
      role = check.role;
    } catch (e) {
      ctx.log.warn(`team database: connecting failed: ${errorText(e)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: could not connect to the team database: {0}', errorText(e)));
      return false;
    }
    ctx.log.info(`team database: connected as a ${role}`);
    if (!ctx.service.getStatus().isWriter) {
      void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: connected to the team database as a {0}. The window that maintains the usage index sends your usage.', roleName(role)));
      return true;
    }
    await firstPush(ctx, role);
    return true;
  };
  return [
    vscode.commands.registerCommand(CommandId.TeamConnect, connect),
    vscode.commands.registerCommand(CommandId.TeamDisconnect, async () => {
      await team.disconnect();
      void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: disconnected from the team database. Nothing more is sent; what was sent stays there.'));
      return true;
    }),
    vscode.commands.registerCommand(CommandId.TeamPushNow, async () => {
      if (!team.connected) {
        const connectLabel = vscode.l10n.t('Connect…');
        const pick = await vscode.window.showWarningMessage(vscode.l10n.t('AgentMeter: no team database is connected.'), connectLabel);
        if (pick === connectLabel) return connect();
        return false;
      }
      if (!ctx.service.getStatus().isWriter) {
        void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: the window that maintains the usage index pushes it; run this command there.'));
        return false;
      }
      try {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('AgentMeter: pushing to the team database') }, () => team.sync.pushNow());
        void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: pushed {0} buckets to the team database.', (team.sync.state.lastBuckets ?? 0).toLocaleString(vscode.env.language)));
        return true;
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: pushing to the team database failed: {0}', errorText(e)));
        return false;
      }
    }),
  ];
}

/** The first push after connecting (the whole history, in batches) with a progress notification. */
async function firstPush(ctx: CommandContext, role: string): Promise<void> {
  const sync = ctx.team.sync;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AgentMeter: sending your usage to the team database') },
      async (progress) => {
        let last = 0;
        const sub = sync.onProgress((p) => {
          const pct = p.batches > 0 ? (100 * p.batch) / p.batches : 100;
          progress.report({ message: vscode.l10n.t('{0} buckets sent ({1} of {2} months)', p.buckets.toLocaleString(vscode.env.language), p.batch, p.batches), increment: Math.max(0, pct - last) });
          last = pct;
        });
        try {
          await sync.pushNow();
        } finally {
          sub.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: connected to the team database as a {0}; sent {1} buckets.', roleName(role), (sync.state.lastBuckets ?? 0).toLocaleString(vscode.env.language)));
  } catch (e) {
    void vscode.window.showWarningMessage(vscode.l10n.t('AgentMeter: connected to the team database as a {0}, but the first push failed: {1}. It is tried again later.', roleName(role), errorText(e)));
  }
}
