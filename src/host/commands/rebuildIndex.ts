import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { errorText } from '../log';


/**
 * "AgentMeter: Rebuild Index" — deletes the index and re-reads every log, after a modal confirmation.
 * Usage whose logs are gone (Claude Code deletes transcripts after 30 days) cannot come back, hence the question.
 * `{ skipConfirmation: true }` skips the question (tests).
 */
export function registerRebuildIndex(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.RebuildIndex, async (arg?: { skipConfirmation?: boolean }) => {
    if (!arg?.skipConfirmation) {
      const rebuild = vscode.l10n.t('Rebuild');
      const pick = await vscode.window.showWarningMessage(
        vscode.l10n.t('Rebuild the AgentMeter usage index?'),
        {
          modal: true,
          detail: vscode.l10n.t(
            'The index is deleted and every log file is read again. Usage from logs that no longer exist (Claude Code deletes transcripts after 30 days by default) will be gone from the history.',
          ),
        },
        rebuild,
      );
      if (pick !== rebuild) return false;
    }
    try {
      await ctx.service.rebuild();
      return true;
    } catch (e) {
      ctx.log.error(`rebuild failed: ${errorText(e)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: rebuilding the index failed: {0}', errorText(e)));
      return false;
    }
  });
}
