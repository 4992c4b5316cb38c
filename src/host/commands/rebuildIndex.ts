import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { errorText } from '../log';

const REBUILD = 'Rebuild';

/**
 * "AgentMeter: Rebuild Index" — deletes the index and re-reads every log, after a modal confirmation.
 * Usage whose logs are gone (Claude Code deletes transcripts after 30 days) cannot come back, hence the question.
 * `{ skipConfirmation: true }` skips the question (tests).
 */
export function registerRebuildIndex(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.RebuildIndex, async (arg?: { skipConfirmation?: boolean }) => {
    if (!arg?.skipConfirmation) {
      const pick = await vscode.window.showWarningMessage(
        'Rebuild the AgentMeter usage index?',
        {
          modal: true,
          detail:
            'The index is deleted and every log file is read again. Usage from logs that no longer exist (Claude Code deletes transcripts after 30 days by default) will be gone from the history.',
        },
        REBUILD,
      );
      if (pick !== REBUILD) return false;
    }
    try {
      await ctx.service.rebuild();
      return true;
    } catch (e) {
      ctx.log.error(`rebuild failed: ${errorText(e)}`);
      void vscode.window.showErrorMessage(`AgentMeter: rebuilding the index failed: ${errorText(e)}`);
      return false;
    }
  });
}
