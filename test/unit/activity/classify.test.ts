import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityLabel, classifyActivity, mergeActivity, mcpServerOf } from '../../../src/core/activity';

/** [tools as the agent logs them, expected activity] per source (names from each agent's own tool definitions). */
const CASES: Record<string, [string[], string][]> = {
  claude: [
    [[], 'conversation'],
    [['Edit'], 'coding'],
    [['MultiEdit'], 'coding'],
    [['Write'], 'coding'],
    [['NotebookEdit'], 'coding'],
    [['Read'], 'exploring'],
    [['Grep', 'Glob', 'LS'], 'exploring'],
    [['Bash'], 'running'],
    [['BashOutput'], 'running'],
    [['WebSearch'], 'research'],
    [['WebFetch'], 'research'],
    [['web_search'], 'research'], // server_tool_use
    [['Task'], 'delegating'],
    [['Agent'], 'delegating'],
    [['Task(Explore)'], 'delegating:Explore'],
    [['Agent(general-purpose)', 'Read'], 'delegating:general-purpose'],
    [['Task(Plan)', 'Task(Explore)'], 'delegating:Explore'],
    [['Task', 'Task(Explore)'], 'delegating:Explore'], // a named type beats an unnamed delegation
    [['Task(Explore)', 'Edit'], 'coding'],
    [['Read(x)'], 'exploring'], // a detail only names a delegation's subagent
    [['TodoWrite'], 'conversation'],
    [['ExitPlanMode'], 'conversation'],
    [['mcp__github__create_issue'], 'mcp:github'],
    [['mcp__playwright__browser_click', 'Read'], 'exploring'], // a built-in tool says more than an opaque MCP one
    [['Read', 'Edit', 'Bash'], 'coding'],
    [['Read', 'Bash'], 'running'],
    [['Task', 'WebSearch'], 'delegating'],
    [['WebFetch', 'Grep'], 'research'],
    [['SomeFutureTool'], 'other'],
    [['SomeFutureTool', 'mcp__x__y'], 'mcp:x'],
    [['mcp__zeta__a', 'mcp__alpha__b'], 'mcp:alpha'], // two servers: the first by code point, whatever the order
  ],
  codex: [
    [['shell'], 'running'],
    [['local_shell'], 'running'],
    [['exec_command', 'write_stdin'], 'running'],
    [['shell_command'], 'running'],
    [['apply_patch'], 'coding'],
    [['shell', 'apply_patch'], 'coding'],
    [['update_plan'], 'conversation'],
    [['view_image'], 'exploring'],
    [['web_search'], 'research'],
    [['spawn_agent'], 'delegating'],
    [['mcp__linear__list_issues'], 'mcp:linear'], // namespace "mcp__linear" + name
    [['linear__list_issues'], 'mcp:linear'], // older builds: <server>__<tool>
  ],
  gemini: [
    [['replace'], 'coding'],
    [['write_file'], 'coding'],
    [['read_file', 'read_many_files'], 'exploring'],
    [['list_directory', 'glob', 'search_file_content'], 'exploring'],
    [['run_shell_command'], 'running'],
    [['google_web_search'], 'research'],
    [['web_fetch'], 'research'],
    [['save_memory', 'write_todos'], 'conversation'],
    [['github__create_issue'], 'mcp:github'],
    [['create_issue'], 'other'], // an MCP tool under its own name cannot be told from an unknown tool
  ],
  qwen: [
    [['edit'], 'coding'],
    [['grep_search'], 'exploring'],
    [['task'], 'delegating'],
    [['todo_write'], 'conversation'],
  ],
  cline: [
    [['editedExistingFile'], 'coding'],
    [['newFileCreated'], 'coding'],
    [['readFile', 'listFilesRecursive', 'searchFiles', 'listCodeDefinitionNames'], 'exploring'],
    [['execute_command'], 'running'],
    [['browser_action'], 'running'],
    [['webFetch'], 'research'],
    [['new_task'], 'delegating'],
    [['use_subagents'], 'delegating'],
    [['mcp__context7__get-library-docs'], 'mcp:context7'],
    [['ask_followup_question'], 'conversation'],
    [['attempt_completion'], 'conversation'],
    [['tool'], 'other'],
  ],
  roo: [
    [['appliedDiff'], 'coding'],
    [['codebaseSearch'], 'exploring'],
    [['newTask'], 'delegating'],
    [['switchMode', 'updateTodoList'], 'conversation'],
  ],
  kilo: [[['insertContent'], 'coding']],
  opencode: [
    [['edit'], 'coding'],
    [['write'], 'coding'],
    [['patch'], 'coding'],
    [['bash'], 'running'],
    [['read', 'grep', 'glob', 'list'], 'exploring'],
    [['webfetch'], 'research'],
    [['task'], 'delegating'],
    [['todowrite'], 'conversation'],
    [['github_create_issue'], 'other'],
  ],
};

test('each agent\'s tool names classify as its own tools do; several tools take the highest class', () => {
  for (const [source, cases] of Object.entries(CASES)) {
    for (const [tools, want] of cases) {
      assert.equal(classifyActivity(source, tools, false), want, `${source} ${tools.join(',')}`);
      assert.equal(classifyActivity(source, [...tools].reverse(), false), want, `${source} reversed ${tools.join(',')}`);
    }
  }
});

test('a subagent\'s call is subagent/<activity>; a source that logs no tools is unknown', () => {
  assert.equal(classifyActivity('claude', ['Read'], true), 'subagent/exploring');
  assert.equal(classifyActivity('codex', [], true), 'subagent/conversation');
  assert.equal(classifyActivity('claude', ['mcp__github__x'], true), 'subagent/mcp:github');
  assert.equal(classifyActivity('copilot-cli', undefined, false), '');
  assert.equal(classifyActivity('copilot-cli', undefined, true), 'subagent/');
  // a tool name that is also a property of every object is still just a name
  assert.equal(classifyActivity('claude', ['constructor', 'toString'], false), 'other');
  // a source without a table of its own reads every table
  assert.equal(classifyActivity('some-new-agent', ['Edit'], false), 'coding');
  assert.equal(classifyActivity('some-new-agent', ['run_shell_command'], false), 'running');
});

test('MCP servers are read from each agent\'s spelling only', () => {
  assert.equal(mcpServerOf('claude', 'mcp__github__create_issue'), 'github');
  assert.equal(mcpServerOf('claude', 'mcp__my_server__do_thing'), 'my_server');
  assert.equal(mcpServerOf('claude', 'my__thing'), undefined);
  assert.equal(mcpServerOf('codex', 'my__thing'), 'my');
  assert.equal(mcpServerOf('opencode', 'github_create_issue'), undefined);
  assert.equal(mcpServerOf('claude', 'mcp__'), undefined);
});

test('copies of one call merge to the highest activity in any order; the kept copy decides main vs subagent; unknown stays unknown', () => {
  const lines = ['conversation', 'exploring', 'coding', 'running'];
  for (let i = 0; i < 4; i++) {
    const order = [...lines.slice(i), ...lines.slice(0, i)];
    assert.equal(order.reduce((a, b) => mergeActivity(a, b)), 'coding', order.join(','));
  }
  assert.equal(mergeActivity('subagent/conversation', 'exploring'), 'subagent/exploring');
  assert.equal(mergeActivity('exploring', 'subagent/coding'), 'coding');
  assert.equal(mergeActivity('coding', 'exploring'), 'coding');
  assert.equal(mergeActivity('mcp:zeta', 'mcp:alpha'), 'mcp:alpha');
  assert.equal(mergeActivity('mcp:alpha', 'mcp:zeta'), 'mcp:alpha');
  assert.equal(mergeActivity('other', 'mcp:x'), 'mcp:x');
  assert.equal(mergeActivity('delegating', 'delegating:Explore'), 'delegating:Explore');
  assert.equal(mergeActivity('delegating:Plan', 'delegating:Explore'), 'delegating:Explore');
  assert.equal(mergeActivity('delegating:Explore', 'exploring'), 'delegating:Explore');
  assert.equal(mergeActivity('running', 'delegating:Explore'), 'running');
  assert.equal(mergeActivity('', 'coding'), '');
  assert.equal(mergeActivity('coding', ''), '');
  assert.equal(mergeActivity('subagent/coding', ''), 'subagent/');
});

test('labels', () => {
  assert.equal(activityLabel('coding'), 'coding');
  assert.equal(activityLabel('mcp:github'), 'MCP github');
  assert.equal(activityLabel('subagent/exploring'), 'exploring (subagent)');
  assert.equal(activityLabel('delegating:Explore'), 'delegating to Explore');
  assert.equal(activityLabel(''), 'unknown');
});
