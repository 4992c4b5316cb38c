/**
 * Cost by activity (issue 15 §5): what a call's money was spent doing, from the tools the model asked for in that
 * call's reply, and whether the main agent or a subagent made it. Exact: every counted call gets one activity, summed
 * per UTC hour, source, model and tier in usage_acts (store/usageActivity.ts, schema 6), so reports split by it
 * without sampling.
 *
 * Activity keys (README "Cost by activity"):
 *   coding         edits or writes files (edit / write / patch tools)
 *   running        runs commands (shell, tests, builds; a browser the agent drives)
 *   delegating     hands work to a subagent (Claude's Task/Agent, Codex's spawn_agent, OpenCode's task, Cline's new_task…);
 *                  `delegating:<subagent type>` when the log names it (Claude's Task `subagent_type`: a tool name `Task(Explore)`)
 *   research       reaches outside the workspace (web search, web fetch)
 *   exploring      reads the workspace (read, grep, glob, list, code search)
 *   mcp:<server>   a tool of an MCP server, named by its server
 *   other          a tool this table does not know (a newer or custom tool): never guessed into a class
 *   conversation   no tool, or only tools that talk to the user or keep the agent's own notes (todo lists, plans,
 *                  questions, "completion" messages)
 *   ''             unknown: the call was indexed before activity was recorded (schema < 6), or its source does not
 *                  log tool calls (Copilot CLI's per-model totals)
 * A subagent's call is `subagent/<key>` (e.g. `subagent/exploring`).
 *
 * Precedence, when one reply asks for several tools (rank, highest wins):
 *   coding > running > delegating > research > exploring > mcp > other > conversation
 * Why: a reply is classified by the most consequential thing it did. A reply that edits usually read first and may
 * run the tests too — its money bought the edit. Commands act on the workspace (tests, builds, installs) and come
 * next; delegation starts new work; research and exploring only read (outside, then inside the workspace). An MCP
 * tool is opaque (it may do anything), so beside a built-in tool the built-in one says more; an unknown tool says
 * least. Two MCP servers (or subagent types) in one reply: the name first in code-point order (deterministic); a named
 * subagent type beats an unnamed delegation.
 * The rank is a total order, so the activity of a call whose reply is split over several log lines (Claude writes one
 * line per content block) is the highest of its lines' activities, whichever order they are read in (mergeActivity).
 */

export type ActivityClass = 'coding' | 'running' | 'delegating' | 'research' | 'exploring' | 'mcp' | 'other' | 'conversation';

/** Highest first. */
export const ACTIVITY_CLASSES: readonly ActivityClass[] = ['coding', 'running', 'delegating', 'research', 'exploring', 'mcp', 'other', 'conversation'];
const RANK: Record<ActivityClass, number> = { coding: 7, running: 6, delegating: 5, research: 4, exploring: 3, mcp: 2, other: 1, conversation: 0 };

/** Why a report by activity cannot be filtered by project or branch (its storage: store/usageActivity.ts). */
export const ACTIVITY_NOT_PER_PROJECT = 'activity is kept per hour, source and model, not per project or branch: a report by activity cannot be filtered by project or branch';

/** Prefix of a subagent's activity key. */
export const SUBAGENT_PREFIX = 'subagent/';
/** The activity of usage indexed before activity was recorded, or of a source that does not log tools. */
export const UNKNOWN_ACTIVITY = '';

type Table = Readonly<Record<string, Exclude<ActivityClass, 'mcp'>>>;

/**
 * Claude Code's built-in tools (docs.claude.com/en/docs/claude-code/settings, "Tools available to Claude"; names as
 * the transcripts' `tool_use.name`; Task was renamed Agent in 2.1.x) and the API's server tools (`server_tool_use`
 * names web_search / web_fetch). MCP tools are `mcp__<server>__<tool>` (docs.claude.com/en/docs/claude-code/mcp).
 */
const CLAUDE: Table = {
  Edit: 'coding', MultiEdit: 'coding', Write: 'coding', NotebookEdit: 'coding',
  Bash: 'running', BashOutput: 'running', KillShell: 'running', KillBash: 'running', PowerShell: 'running',
  Task: 'delegating', Agent: 'delegating',
  WebSearch: 'research', WebFetch: 'research', web_search: 'research', web_fetch: 'research',
  Read: 'exploring', Grep: 'exploring', Glob: 'exploring', LS: 'exploring', NotebookRead: 'exploring',
  ListMcpResourcesTool: 'exploring', ReadMcpResourceTool: 'exploring', Skill: 'exploring', LSP: 'exploring',
  TodoWrite: 'conversation', TodoRead: 'conversation', ExitPlanMode: 'conversation', EnterPlanMode: 'conversation',
  AskUserQuestion: 'conversation', SlashCommand: 'conversation',
};

/**
 * Codex CLI (openai/codex codex-rs/core/src/tools/spec.rs and handlers/: `shell`, `container.exec`, `local_shell`
 * (the `local_shell_call` item), `shell_command`, `exec_command`/`write_stdin` (unified exec), `apply_patch`
 * (function or custom tool), `update_plan`, `view_image`, `read_file`/`list_dir`/`grep_files` (experimental),
 * `web_search` (the `web_search_call` item), MCP resource tools, the multi-agent tools `spawn_agent`/`send_input`/
 * `wait`/`close_agent`). MCP tools: `mcp__<server>__<tool>` (function_call `namespace` "mcp__<server>" + name), older
 * builds `<server>__<tool>` (MCP_TOOL_NAME_DELIMITER "__", codex-rs/core/src/mcp_connection_manager.rs).
 */
const CODEX: Table = {
  apply_patch: 'coding',
  shell: 'running', 'container.exec': 'running', local_shell: 'running', shell_command: 'running', exec_command: 'running',
  write_stdin: 'running', unified_exec: 'running',
  spawn_agent: 'delegating', send_input: 'delegating', wait: 'delegating', close_agent: 'delegating', resume_agent: 'delegating',
  web_search: 'research',
  read_file: 'exploring', list_dir: 'exploring', grep_files: 'exploring', view_image: 'exploring',
  list_mcp_resources: 'exploring', list_mcp_resource_templates: 'exploring', read_mcp_resource: 'exploring',
  update_plan: 'conversation', request_user_input: 'conversation',
};

/**
 * Gemini CLI (google-gemini/gemini-cli packages/core/src/tools/tool-names.ts and the tools' `Name`s: `replace`,
 * `write_file`, `read_file`, `read_many_files`, `list_directory`, `glob`, `search_file_content` / `grep_search`,
 * `run_shell_command`, `google_web_search`, `web_fetch`, `save_memory`, `write_todos`, the subagent tool
 * `delegate_to_agent`) and Qwen Code, its fork (QwenLM/qwen-code packages/core/src/tools/tool-names.ts: `edit`,
 * `write_file`, `read_file`, `read_many_files`, `grep_search`, `glob`, `list_directory`, `run_shell_command`,
 * `web_fetch`, `web_search`, `todo_write`, `save_memory`, `task`, `exit_plan_mode`, `skill`). MCP tools keep their own
 * name, or `<server>__<tool>` when two servers offer the same one (DiscoveredMCPTool, mcp-tool.ts).
 */
const GEMINI: Table = {
  replace: 'coding', edit: 'coding', write_file: 'coding',
  run_shell_command: 'running',
  delegate_to_agent: 'delegating', task: 'delegating', codebase_investigator: 'delegating',
  google_web_search: 'research', web_search: 'research', web_fetch: 'research',
  read_file: 'exploring', read_many_files: 'exploring', list_directory: 'exploring', glob: 'exploring',
  search_file_content: 'exploring', grep_search: 'exploring', grep: 'exploring', skill: 'exploring',
  save_memory: 'conversation', write_todos: 'conversation', todo_write: 'conversation', exit_plan_mode: 'conversation',
};

/**
 * Cline, Roo Code and Kilo Code, as sources/vscodeTaskLogs/tools.ts names a ui_messages.json row: the `tool` of a
 * ClineSayTool (cline/cline src/shared/ExtensionMessage.ts; RooCodeInc/Roo-Code packages/types/src/message.ts:
 * editedExistingFile, newFileCreated, appliedDiff, insertContent, searchAndReplace, fileDeleted, readFile,
 * listFilesTopLevel, listFilesRecursive, listCodeDefinitionNames, searchFiles, codebaseSearch, webFetch, newTask,
 * switchMode, updateTodoList, …), else the tool's own name (execute_command, browser_action, ask_followup_question,
 * attempt_completion, plan_mode_respond, new_task, use_subagents) and `mcp__<server>__<tool>` for use_mcp_server.
 * browser_action drives a browser on the app being built (launch, click, screenshot): running.
 */
const CLINE: Table = {
  editedExistingFile: 'coding', newFileCreated: 'coding', appliedDiff: 'coding', insertContent: 'coding',
  searchAndReplace: 'coding', fileDeleted: 'coding', generateImage: 'coding',
  execute_command: 'running', browser_action: 'running', runSlashCommand: 'running',
  new_task: 'delegating', newTask: 'delegating', use_subagents: 'delegating',
  webFetch: 'research', webSearch: 'research', web_fetch: 'research', web_search: 'research',
  readFile: 'exploring', listFilesTopLevel: 'exploring', listFilesRecursive: 'exploring', listCodeDefinitionNames: 'exploring',
  searchFiles: 'exploring', codebaseSearch: 'exploring', fetchInstructions: 'exploring', access_mcp_resource: 'exploring',
  ask_followup_question: 'conversation', attempt_completion: 'conversation', plan_mode_respond: 'conversation',
  switchMode: 'conversation', updateTodoList: 'conversation', finishTask: 'conversation', condense: 'conversation',
  summarizeTask: 'conversation',
};

/**
 * OpenCode and Kilo CLI (sst/opencode packages/opencode/src/tool/*.ts, each tool's id: edit, write, patch, multiedit,
 * apply_patch, bash, read, grep, glob, list, lsp_diagnostics, lsp_hover, codesearch, webfetch, websearch, task,
 * todowrite, todoread, question, skill). MCP tools are `<server>_<tool>` (one underscore, mcp/index.ts), which cannot
 * be told apart from a plug-in's tool by name: they count as `other`.
 */
const OPENCODE: Table = {
  edit: 'coding', write: 'coding', patch: 'coding', multiedit: 'coding', apply_patch: 'coding',
  bash: 'running',
  task: 'delegating',
  webfetch: 'research', websearch: 'research',
  read: 'exploring', grep: 'exploring', glob: 'exploring', list: 'exploring', lsp_diagnostics: 'exploring',
  lsp_hover: 'exploring', codesearch: 'exploring', skill: 'exploring',
  todowrite: 'conversation', todoread: 'conversation', question: 'conversation', plan_enter: 'conversation', plan_exit: 'conversation',
};

/** Tables by source id (sources/registry.ts). A source not listed here is read with every table, in this order. */
const TABLES: Readonly<Record<string, Table>> = {
  claude: CLAUDE,
  codex: CODEX,
  gemini: GEMINI,
  qwen: GEMINI,
  cline: CLINE,
  roo: CLINE,
  kilo: CLINE,
  opencode: OPENCODE,
};
const ALL_TABLES: readonly Table[] = [CLAUDE, CODEX, GEMINI, CLINE, OPENCODE];

/** The MCP server of a tool name, or undefined when the name is not an MCP tool's as `source` spells them. */
export function mcpServerOf(source: string, name: string): string | undefined {
  // mcp__<server>__<tool>: Claude Code, Codex (namespace + name), Cline family (as tools.ts writes it)
  if (name.startsWith('mcp__')) {
    const end = name.indexOf('__', 5);
    const server = end < 0 ? name.slice(5) : name.slice(5, end);
    return server || undefined;
  }
  // <server>__<tool>: older Codex builds, Gemini CLI and Qwen Code when two servers offer the same tool
  if (source === 'codex' || source === 'gemini' || source === 'qwen') {
    const end = name.indexOf('__');
    if (end > 0 && end + 2 < name.length) return name.slice(0, end);
  }
  return undefined;
}

/** `Name(detail)`: a tool name with what the log says about the call (Claude's Task subagent type). */
const DETAILED = /^([^()]+)\(([^()]*)\)$/;

/**
 * The class of one tool name as `source` logs it, with its detail: the MCP server, or the subagent type of a
 * delegation written `Task(<type>)`.
 */
export function classOfTool(source: string, name: string): { cls: ActivityClass; detail?: string } {
  const d = DETAILED.exec(name);
  if (d) {
    const base = classOfTool(source, d[1]);
    return base.cls === 'delegating' && d[2] ? { cls: 'delegating', detail: d[2] } : base;
  }
  const own = TABLES[source];
  if (own && Object.hasOwn(own, name)) return { cls: own[name] };
  const server = mcpServerOf(source, name);
  if (server !== undefined) return { cls: 'mcp', detail: server };
  if (!own) {
    for (const t of ALL_TABLES) if (Object.hasOwn(t, name)) return { cls: t[name] };
  }
  return { cls: 'other' };
}

/** Whether (cls, detail) ranks above (best, bestDetail): by class, then a named detail, then the smaller name. */
function above(cls: ActivityClass, detail: string | undefined, best: ActivityClass, bestDetail: string | undefined): boolean {
  if (RANK[cls] !== RANK[best]) return RANK[cls] > RANK[best];
  if (detail === undefined) return false;
  return bestDetail === undefined || detail < bestDetail;
}

function keyOf(cls: ActivityClass, detail: string | undefined): string {
  return detail === undefined ? cls : `${cls}:${detail}`;
}

/**
 * The activity key of one call: from the tools its reply asked for (as logged by `source`; [] = none) and whether a
 * subagent made it. `tools` undefined = the source does not say which tools were used: unknown ('').
 */
export function classifyActivity(source: string, tools: readonly string[] | undefined, subagent: boolean): string {
  if (tools === undefined) return subagent ? SUBAGENT_PREFIX + UNKNOWN_ACTIVITY : UNKNOWN_ACTIVITY;
  let best: ActivityClass = 'conversation';
  let detail: string | undefined;
  for (const name of tools) {
    const c = classOfTool(source, name);
    if (above(c.cls, c.detail, best, detail)) {
      best = c.cls;
      detail = c.detail;
    }
  }
  const key = keyOf(best, detail);
  return subagent ? SUBAGENT_PREFIX + key : key;
}

/** The parts of an activity key. */
export function splitActivity(key: string): { subagent: boolean; work: string } {
  return key.startsWith(SUBAGENT_PREFIX) ? { subagent: true, work: key.slice(SUBAGENT_PREFIX.length) } : { subagent: false, work: key };
}

/** The class and detail of an activity key's work part (class '' for unknown). */
function partsOf(key: string): { cls: ActivityClass | ''; detail?: string } {
  const { work } = splitActivity(key);
  if (work === UNKNOWN_ACTIVITY) return { cls: '' };
  const colon = work.indexOf(':');
  const cls = colon < 0 ? work : work.slice(0, colon);
  if (!(ACTIVITY_CLASSES as readonly string[]).includes(cls)) return { cls: 'other' };
  return colon < 0 ? { cls: cls as ActivityClass } : { cls: cls as ActivityClass, detail: work.slice(colon + 1) };
}

/** The class of an activity key's work part ('' for unknown). */
export function classOfActivity(key: string): ActivityClass | '' {
  return partsOf(key).cls;
}

/**
 * The activity of one call known from two of its copies (Claude: one line per content block, each naming the tools of
 * its block): `kept`'s subagent part (the copy the de-dup keeps decides main agent vs subagent) and the higher of the
 * two work parts by the precedence above. Unknown ('': a copy indexed before activity was recorded) wins: the tools
 * of the copies read then are not known, so no class can be said for the call.
 */
export function mergeActivity(kept: string, other: string): string {
  if (kept === other) return kept;
  const k = splitActivity(kept);
  const o = splitActivity(other);
  if (k.work === UNKNOWN_ACTIVITY || o.work === k.work) return kept;
  if (o.work === UNKNOWN_ACTIVITY) return k.subagent ? SUBAGENT_PREFIX : UNKNOWN_ACTIVITY;
  const kp = partsOf(kept) as { cls: ActivityClass; detail?: string };
  const op = partsOf(other) as { cls: ActivityClass; detail?: string };
  if (!above(op.cls, op.detail, kp.cls, kp.detail)) return kept;
  return k.subagent ? SUBAGENT_PREFIX + o.work : o.work;
}

/** A label for an activity key (reports, dashboard). */
export function activityLabel(key: string): string {
  const { subagent, work } = splitActivity(key);
  const base =
    work === UNKNOWN_ACTIVITY ? 'unknown' : work.startsWith('mcp:') ? `MCP ${work.slice(4)}` : work.startsWith('delegating:') ? `delegating to ${work.slice(11)}` : work;
  return subagent ? `${base} (subagent)` : base;
}
