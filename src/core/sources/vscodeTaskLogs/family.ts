import { KILO_TOTAL_INPUT_SINCE, ROO_TOTAL_INPUT_SINCE } from './tokens';

/**
 * The three VS Code extensions that keep Cline's task format (issue 15 §2; notes agents.md "Cline, Roo Code, Kilo
 * Code"). Roo Code is a fork of Cline and Kilo Code's VS Code extension a fork of Roo Code: all three write
 * `<storage>/tasks/<taskId>/ui_messages.json` (+ `api_conversation_history.json`, `task_metadata.json`).
 * What differs is what `tokensIn` means (see tokens.ts) and where the model is recorded (see siblings.ts).
 */
export interface ClineFamily {
  /** source id */
  id: 'cline' | 'roo' | 'kilo';
  label: string;
  /** VS Code extension id: `<user-data>/User/globalStorage/<extensionId>/` */
  extensionId: string;
  /**
   * How `tokensIn` of an `api_req_started` row relates to the cache tokens:
   *  'cline': as the provider handler yielded it (per provider, tokens.ts `clineInputRule`);
   *  'roo':   since Roo Code 3.29.5 the whole prompt (input + cache writes + cache reads), before that as the
   *           provider yielded it (tokens.ts `rooInput`). Kilo Code follows Roo Code (it merges Roo's upstream).
   */
  tokensIn: 'cline' | 'roo';
  /**
   * 'roo' only: when the extension began writing the whole prompt as `tokensIn` (UTC ms; tokens.ts). Roo Code 3.29.5
   * (2025-11-01); Kilo Code took the same change with v4.119.0 ("Include changes from Roo Code v3.29.0-v3.30.0 … Fix
   * cost and token tracking between provider styles", Kilo-Org/kilocode CHANGELOG.md; after v4.117.0, which added the
   * Kimi K2 Thinking model released 2025-11-06), dated 2025-11-12 by a peer that read Kilo's tags.
   */
  wholeInputSince?: number;
  /**
   * What a request row that disappears from ui_messages.json means (DocumentParser.vanished).
   *  Cline 'replace': rows are removed only by a checkpoint restore, which adds their summed usage back as one
   *    `deleted_api_reqs` row (cline/cline apps/vscode/src/integrations/checkpoints/index.ts @ b2b29678; the other
   *    removals, task/index.ts removeLastPartialMessageIfExistsWithType and resumeTaskFromHistory, drop only partial
   *    rows and request rows without usage).
   *  Roo / Kilo 'keep': "Delete message" and "Edit message" rewind ui_messages.json WITHOUT recording the removed
   *    usage (RooCodeInc/Roo-Code src/core/webview/webviewMessageHandler.ts handleDeleteMessageConfirm →
   *    messageManager.rewindToTimestamp @ cb836567180a3ff1da6d082f3178b90c3bd22a70): the requests were billed, so
   *    they stay counted. Their checkpoint restore writes an `api_req_deleted` row with the removed usage
   *    (src/core/checkpoints/index.ts), which is therefore NOT counted again (Roo's own totals skip it too:
   *    packages/core/src/message-utils/consolidateTokenUsage.ts).
   */
  vanished: 'replace' | 'keep';
}

export const clineFamily: ClineFamily = { id: 'cline', label: 'Cline', extensionId: 'saoudrizwan.claude-dev', tokensIn: 'cline', vanished: 'replace' };
export const rooFamily: ClineFamily = { id: 'roo', label: 'Roo Code', extensionId: 'rooveterinaryinc.roo-cline', tokensIn: 'roo', wholeInputSince: ROO_TOTAL_INPUT_SINCE, vanished: 'keep' };
export const kiloFamily: ClineFamily = { id: 'kilo', label: 'Kilo Code', extensionId: 'kilocode.kilo-code', tokensIn: 'roo', wholeInputSince: KILO_TOTAL_INPUT_SINCE, vanished: 'keep' };
