/**
 * The tool a ui_messages.json row shows the model asking for, as a name (cost by activity, issue 15 §5), or
 * undefined for rows that are not tool calls. The rows between one `api_req_started` and the next are what that
 * request's reply asked for (task/index.ts presents the reply's tool uses before the next request starts).
 *
 * Shapes (cline/cline apps/vscode/src/shared/ExtensionMessage.ts @ 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4;
 * RooCodeInc/Roo-Code packages/types/src/message.ts @ cb836567180a3ff1da6d082f3178b90c3bd22a70):
 *   ask|say "tool"            text = ClineSayTool JSON, `tool` e.g. "readFile", "editedExistingFile", "searchFiles"
 *   ask|say "command"          execute_command (say when auto-approved, ask when it waits for approval)
 *   ask|say "use_mcp_server"   text = { serverName, toolName | uri } → `mcp__<server>__<tool>` (Claude's spelling)
 *   ask|say "browser_action_launch", say "browser_action"  → browser_action
 *   ask "followup"             ask_followup_question
 *   ask|say "completion_result" attempt_completion (Cline writes a say and an ask row for the same call: once)
 *   ask "plan_mode_respond", ask "new_task", ask|say "use_subagents"
 */
export function toolOfRow(type: unknown, kind: unknown, text: unknown): string | undefined {
  const k = typeof kind === 'string' ? kind : '';
  switch (k) {
    case 'tool': {
      const t = parseObject(text)?.tool;
      return typeof t === 'string' && t ? t : 'tool';
    }
    case 'command':
      return 'execute_command';
    case 'use_mcp_server': {
      const j = parseObject(text);
      const server = typeof j?.serverName === 'string' ? j.serverName : 'unknown';
      const tool = typeof j?.toolName === 'string' ? j.toolName : j?.type === 'access_mcp_resource' ? 'access_mcp_resource' : 'unknown';
      return `mcp__${server}__${tool}`;
    }
    case 'browser_action_launch':
    case 'browser_action':
      return 'browser_action';
    case 'followup':
      return type === 'ask' ? 'ask_followup_question' : undefined;
    case 'completion_result':
      return 'attempt_completion';
    case 'plan_mode_respond':
      return type === 'ask' ? 'plan_mode_respond' : undefined;
    case 'new_task':
      return type === 'ask' ? 'new_task' : undefined;
    case 'use_subagents':
      return 'use_subagents';
    default:
      return undefined;
  }
}

function parseObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || !text.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
