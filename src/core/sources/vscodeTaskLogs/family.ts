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
}

export const clineFamily: ClineFamily = { id: 'cline', label: 'Cline', extensionId: 'saoudrizwan.claude-dev', tokensIn: 'cline' };
export const rooFamily: ClineFamily = { id: 'roo', label: 'Roo Code', extensionId: 'rooveterinaryinc.roo-cline', tokensIn: 'roo' };
export const kiloFamily: ClineFamily = { id: 'kilo', label: 'Kilo Code', extensionId: 'kilocode.kilo-code', tokensIn: 'roo' };
