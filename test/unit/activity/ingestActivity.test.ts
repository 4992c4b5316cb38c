/**
 * Cost by activity through the pipeline (parse → de-dup → dims → facts) on Claude Code and Codex logs in their real
 * formats: Claude writes one assistant line per content block (formats note A.2/A.4), each naming its own tool;
 * Codex writes a response's tool-call items before the response's token_count (formats note B.2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { groupFacts } from '../../../src/core/report/group';
import { loadActivityFacts } from '../../../src/core/query/activityFacts';
import { activitySums, assertActivityEqualsHours } from './activitySums';
import { claudeCallRows } from '../store/claudeCallRows';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { parseClaudeBlock, toolNames, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import {
  append, claudeAssistant, claudeUser, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, tmpDir, totals, write,
} from '../ingest/helpers';

/** The name of an act_keys id. */
const actName = (db: Database, id: number): string => String(db.exec('SELECT name FROM act_keys WHERE id = ?', [id])[0]?.values[0]?.[0]);

const byActivity = (db: Database): Record<string, number[]> => {
  assertActivityEqualsHours(db);
  return activitySums(db);
};

const toolUse = (id: string, name: string, input: unknown = {}) => ({ type: 'tool_use', id, name, input });

/** A Claude Code 2.1 session: one line per content block, streaming copies with placeholder output first. */
function claudeSession(): string {
  const ts = (s: number) => `2026-04-01T10:00:${String(s).padStart(2, '0')}.000Z`;
  return [
    claudeUser(ts(0), 'fix the failing test'),
    // call 1: thinking, then text, then Read and Edit tool uses — coding
    claudeAssistant({ id: 'msg_1', ts: ts(1), usage: { input: 3, output: 8, cacheRead: 1000 }, content: [{ type: 'thinking', thinking: 'Let me look', signature: 'sig' }] }),
    claudeAssistant({ id: 'msg_1', ts: ts(2), usage: { input: 3, output: 8, cacheRead: 1000 }, content: [{ type: 'text', text: 'Reading the file.' }] }),
    claudeAssistant({ id: 'msg_1', ts: ts(2), usage: { input: 3, output: 8, cacheRead: 1000 }, content: [toolUse('toolu_01A', 'Read', { file_path: '/home/u/proj/a.ts' })] }),
    claudeAssistant({ id: 'msg_1', ts: ts(3), usage: { input: 3, output: 420, cacheRead: 1000 }, content: [toolUse('toolu_01B', 'Edit', { file_path: '/home/u/proj/a.ts', old_string: 'a "quoted" \\ text', new_string: '{"type":"tool_use","name":"Bash"}' })] }),
    // call 2: runs the tests — running
    claudeAssistant({ id: 'msg_2', ts: ts(10), usage: { input: 5, output: 60, cacheRead: 2000 }, content: [toolUse('toolu_02', 'Bash', { command: 'npm test', description: 'Run tests' })] }),
    // call 3: an MCP tool and a web search by the API's server tool — research beats MCP
    claudeAssistant({ id: 'msg_3', ts: ts(20), usage: { input: 7, output: 30, cacheRead: 3000, webSearch: 1 }, content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } }] }),
    claudeAssistant({ id: 'msg_3', ts: ts(21), usage: { input: 7, output: 35, cacheRead: 3000, webSearch: 1 }, content: [toolUse('toolu_03', 'mcp__github__create_issue', { title: 't' })] }),
    // call 4: only text — conversation
    claudeAssistant({ id: 'msg_4', ts: ts(30), usage: { input: 9, output: 12, cacheRead: 4000 }, content: [{ type: 'text', text: 'Done.' }] }),
    // call 5: a sidechain (subagent) call inline (Claude Code 1.0.x) — subagent/exploring
    claudeAssistant({ id: 'msg_5', ts: ts(40), sidechain: true, usage: { input: 11, output: 14, cacheRead: 500 }, content: [toolUse('toolu_05', 'Grep', { pattern: 'foo' })] }),
    // call 6: an MCP tool alone — mcp:<server>
    claudeAssistant({ id: 'msg_6', ts: ts(50), usage: { input: 13, output: 16, cacheRead: 600 }, content: [toolUse('toolu_06', 'mcp__linear__list_issues')] }),
    // call 8: starts an Explore subagent — delegating:Explore
    claudeAssistant({ id: 'msg_8', ts: ts(55), usage: { input: 2, output: 22, cacheRead: 100 }, content: [toolUse('toolu_08', 'Task', { description: 'Find callers', prompt: 'Find every caller of parse()', subagent_type: 'Explore' })] }),
  ].join('');
}

test('Claude: every call gets the activity of all its content-block lines; totals are those of the calls', async () => {
  const dir = tmpDir();
  try {
    write(join(dir, 'c/projects/-home-u-proj/s1.jsonl'), claudeSession());
    // a 2.1 subagent file: <session>/subagents/agent-*.jsonl (isSidechain:true there too)
    write(join(dir, 'c/projects/-home-u-proj/s1/subagents/agent-a1.jsonl'),
      claudeAssistant({ id: 'msg_7', ts: '2026-04-01T10:01:00.000Z', sidechain: true, usage: { input: 17, output: 19, cacheRead: 700 }, content: [toolUse('toolu_07', 'Write', { file_path: 'b.ts', content: 'x' })] }));
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'c') }));
    assert.deepEqual(byActivity(db), {
      'claude:coding': [1, 3, 420, 1000],
      'claude:running': [1, 5, 60, 2000],
      'claude:research': [1, 7, 35, 3000],
      'claude:conversation': [1, 9, 12, 4000],
      'claude:subagent/exploring': [1, 11, 14, 500],
      'claude:mcp:linear': [1, 13, 16, 600],
      'claude:subagent/coding': [1, 17, 19, 700],
      'claude:delegating:Explore': [1, 2, 22, 100],
    });
    const t = totals(db);
    assert.deepEqual([t.requests, t.input, t.output, t.cacheRead], [8, 67, 598, 11900]);
    // --by activity: one row per activity, the same totals
    const rows = groupFacts(loadActivityFacts(db), 'activity', { timeZone: 'UTC', prices: createPriceTable() });
    assert.deepEqual(rows.map((r) => r.key).sort(), ['coding', 'conversation', 'delegating:Explore', 'mcp:linear', 'research', 'running', 'subagent/coding', 'subagent/exploring']);
    assert.equal(rows.reduce((n, r) => n + r.outputTokens, 0), 598);
    assert.equal(rows.find((r) => r.key === 'coding')?.activity, 'coding');
  } finally {
    cleanup(dir);
  }
});

test('Claude: a call whose tool-use line arrives in a later read moves to its activity; nothing is counted twice', async () => {
  const dir = tmpDir();
  try {
    const file = join(dir, 'c/projects/-home-u-proj/s1.jsonl');
    const lines = claudeSession().split('\n').filter(Boolean).map((l) => l + '\n');
    // first read: the prompt and call 1's thinking and text lines only (the reply is still streaming)
    write(file, lines.slice(0, 3).join(''));
    const roots = rootsFor({ claude: join(dir, 'c') });
    // a day later (within the 35 days in which a late copy of a call still corrects it: claudeDedup.ts)
    const { db, indexer } = await indexOnce(roots, undefined, Date.parse('2026-04-02T00:00:00Z'));
    assert.deepEqual(byActivity(db), { 'claude:conversation': [1, 3, 8, 1000] });
    // the Read line (same tokens: a duplicate copy) raises it to exploring
    append(file, lines[3]);
    await indexer.refresh();
    assert.deepEqual(byActivity(db), { 'claude:exploring': [1, 3, 8, 1000] });
    // the final Edit copy (larger output) replaces it, as coding
    append(file, lines.slice(4).join(''));
    await indexer.refresh();
    const all = byActivity(db);
    assert.deepEqual(all['claude:coding'], [1, 3, 420, 1000]);
    assert.equal(all['claude:exploring'], undefined);
    assert.equal(all['claude:conversation']?.[0], 1, 'call 4 only');
    assert.equal(Number(db.exec("SELECT count(*) FROM usage_acts a JOIN act_keys k ON k.id = a.act WHERE k.name = 'exploring'")[0].values[0][0]), 0, 'the emptied row is gone');
    // the kept copy's activity is beside it in claude_packs
    assert.deepEqual(claudeCallRows(db).filter((c) => c[6] === 420).map((c) => actName(db, c[11])), ['coding']);
    // the same logs indexed at once give the same facts per activity
    const once = await indexOnce(roots);
    assert.deepEqual(byActivity(db), byActivity(once.db));
  } finally {
    cleanup(dir);
  }
});

test('Claude: tool names are read in place in the API layout and by JSON.parse in any other', () => {
  const line = (content: unknown[]) => Buffer.from(claudeAssistant({ id: 'm', ts: '2026-04-01T10:00:00Z', usage: { input: 1, output: 1 }, content }).trimEnd());
  const read = (b: Buffer) => toolNames(b, 0, b.length, undefined);
  assert.deepEqual(read(line([toolUse('t1', 'Edit', { a: '"type":"tool_use"' })])), ['Edit']);
  assert.deepEqual(read(line([toolUse('t1', 'Read'), toolUse('t2', 'mcp__gh__x')])), ['Read', 'mcp__gh__x']);
  assert.deepEqual(read(line([{ type: 'text', text: 'no tools, "type":"tool_use" inside text' }])), []);
  // a delegation carries its subagent type (its input is read by JSON.parse of the line)
  assert.deepEqual(read(line([toolUse('t5', 'Task', { description: 'Find callers', prompt: 'Search…', subagent_type: 'Explore' })])), ['Task(Explore)']);
  assert.deepEqual(read(line([toolUse('t6', 'Agent', { description: 'd', prompt: 'p' })])), ['Agent']);
  // another key order falls back to JSON.parse of the line
  assert.deepEqual(read(line([{ name: 'Bash', type: 'tool_use', id: 't3', input: {} }])), ['Bash']);
  assert.deepEqual(read(line([{ type: 'tool_use', id: 't4', caller: { type: 'direct' }, name: 'Glob', input: {} }])), ['Glob']);
  // usage.server_tool_use (a key, not a content item) is no tool
  const withSearch = Buffer.from(claudeAssistant({ id: 'm', ts: '2026-04-01T10:00:00Z', usage: { input: 1, output: 1, webSearch: 0 } }).trimEnd());
  assert.deepEqual(read(withSearch), []);
  // the parser searches message.content only (where the reader found it): a tool_use-shaped object elsewhere in the
  // line names no tool, the content's tools are found whatever comes after them
  const parsedActivity = (b: Buffer) => {
    const o: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
    parseClaudeBlock(b, 0, o);
    return o.calls.map((c) => c.activity);
  };
  const elsewhere = JSON.parse(line([{ type: 'text', text: 'hi' }]).toString());
  elsewhere.toolUseResult = { type: 'tool_use', id: 'x', name: 'Bash' };
  assert.deepEqual(read(Buffer.from(JSON.stringify(elsewhere))), ['Bash'], 'the whole-line search (the fallback) sees it');
  assert.deepEqual(parsedActivity(Buffer.from(JSON.stringify(elsewhere))), ['conversation']);
  assert.deepEqual(parsedActivity(line([toolUse('t1', 'Read'), { type: 'text', text: '"type":"tool_use"' }, toolUse('t2', 'Edit')])), ['coding']);
  assert.deepEqual(parsedActivity(line([toolUse('t5', 'Task', { description: 'd', prompt: 'p', subagent_type: 'Explore' })])), ['delegating:Explore']);
  // the parser classifies: a subagents/ file's calls are the subagent's even without isSidechain
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {}, subagentFile: true };
  parseClaudeBlock(Buffer.from(claudeAssistant({ id: 'm', ts: '2026-04-01T10:00:00Z', usage: { input: 1, output: 1 }, content: [toolUse('t', 'Read')] })), 0, out);
  assert.equal(out.calls[0].activity, 'subagent/exploring');
});

// Codex rollout lines as codex-rs writes them (serde order): response items of a model response, then its token_count.
const item = (ts: string, payload: Record<string, unknown>) => JSON.stringify({ timestamp: ts, type: 'response_item', payload }) + '\n';
const fnCall = (ts: string, name: string, args: unknown, namespace?: string) =>
  item(ts, { type: 'function_call', name, ...(namespace ? { namespace } : {}), arguments: JSON.stringify(args), call_id: `call_${ts}` });
const fnOut = (ts: string) => item(ts, { type: 'function_call_output', call_id: `call_${ts}`, output: '{"output":"ok","metadata":{"exit_code":0}}' });
const msg = (ts: string, text: string) => item(ts, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const T = (s: number) => `2026-04-02T09:00:${String(s).padStart(2, '0')}.000Z`;
const tot = (n: number) => ({ input: 1000 * n, cached: 500 * n, output: 100 * n, reasoning: 10 * n });

function codexRollout(): string[] {
  return [
    codexSessionMeta(T(0), '/home/u/app'),
    codexTurnContext(T(1), 'gpt-5-codex'),
    // call 1: shell — running
    item(T(2), { type: 'reasoning', summary: [], encrypted_content: 'gAAA' }),
    fnCall(T(2), 'shell', { command: ['bash', '-lc', 'rg "function_call" src'], workdir: '/home/u/app' }),
    codexTokenCount(T(3), tot(1)),
    fnOut(T(3)),
    // call 2: apply_patch as a custom tool and a shell — coding
    item(T(4), { type: 'custom_tool_call', status: 'completed', call_id: 'c2', name: 'apply_patch', input: '*** Begin Patch\n*** Update File: a.ts\n@@\n-"x"\n+"y"\n*** End Patch' }),
    fnCall(T(4), 'shell', { command: ['npm', 'test'] }),
    codexTokenCount(T(5), tot(2)),
    codexTokenCount(T(5), tot(2)), // re-emitted snapshot: not a call, takes no tools
    // call 3: a message only — conversation
    msg(T(6), 'All tests pass.'),
    codexTokenCount(T(7), tot(3)),
    codexTurnContext(T(8), 'gpt-5-codex'),
    // call 4: an MCP tool (namespace mcp__linear) — mcp:linear
    fnCall(T(9), 'list_issues', { team: 'x' }, 'mcp__linear'),
    codexTokenCount(T(10), tot(4)),
    // call 5: web search and a local shell call — running beats research
    item(T(11), { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'serde order' } }),
    item(T(11), { type: 'local_shell_call', call_id: 'ls1', status: 'completed', action: { type: 'exec', command: ['ls'] } }),
    codexTokenCount(T(12), tot(5)),
    // call 6: update_plan only — conversation
    fnCall(T(13), 'update_plan', { plan: [{ step: 'x', status: 'completed' }] }),
    codexTokenCount(T(14), tot(6)),
  ];
}

test('Codex: the tool calls before a token_count are that call\'s; a re-emitted snapshot takes none', async () => {
  const dir = tmpDir();
  try {
    write(join(dir, 'x/sessions/2026/04/02/rollout-2026-04-02T09-00-00-a.jsonl'), codexRollout().join(''));
    const { db } = await indexOnce(rootsFor({ codex: join(dir, 'x') }));
    const per = byActivity(db);
    assert.deepEqual(per, {
      'codex:running': [2, 500 + 500, 200, 500 + 500],
      'codex:coding': [1, 500, 100, 500],
      'codex:conversation': [2, 1000, 200, 1000],
      'codex:mcp:linear': [1, 500, 100, 500],
    });
    const t = totals(db);
    assert.deepEqual([t.requests, t.input, t.output, t.cacheRead], [6, 3000, 600, 3000]);
  } finally {
    cleanup(dir);
  }
});

test('Codex: tool calls read in one pass belong to the token_count read in the next; a new turn drops an unfinished response\'s calls', () => {
  const lines = codexRollout();
  const state = {};
  const out = (): CodexParseOutput => ({ events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state });
  const first = out();
  parseCodexBlock(Buffer.from(lines.slice(0, 4).join('')), 0, first); // up to the shell call
  assert.equal(first.events.length, 0);
  const second = out();
  parseCodexBlock(Buffer.from(lines.slice(4).join('')), 0, second);
  assert.deepEqual(second.events.map((e) => e.activity), ['running', 'coding', 'conversation', 'mcp:linear', 'running', 'conversation']);
  // an aborted response's tool call, then a new turn: not the next call's
  const s2 = {};
  const o = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: s2 } as CodexParseOutput;
  parseCodexBlock(Buffer.from([
    codexSessionMeta(T(0), '/a', 'main', { source: { subagent: { thread_spawn: { parent_thread_id: 'p', depth: 1 } } } }),
    codexTurnContext(T(5), 'gpt-5'),
    fnCall(T(6), 'apply_patch', {}),
    codexTurnContext(T(9), 'gpt-5'),
    codexTokenCount(T(12), tot(1)),
    // a damaged tool-call line is skipped (no usage in it, not counted as malformed); the same tool twice is one name
    `{"timestamp":"${T(13)}","type":"response_item","payload":{"type":"function_call","name":"shell",oops}\n`,
    fnCall(T(14), 'shell', {}),
    fnCall(T(14), 'shell', {}),
    codexTokenCount(T(15), tot(2)),
  ].join('')), 0, o);
  assert.deepEqual(o.events.map((e) => e.activity), ['subagent/conversation', 'subagent/running']);
  assert.equal(o.malformed, 0);
});

test('Claude: a better copy in another file and another UTC hour replaces the kept copy: subtracted from the activity it was counted under, added under the merged one (usage_acts = usage_hours throughout)', async () => {
  const dir = tmpDir();
  try {
    // session A (read first): a streaming copy of msg_X at 11:00:30 UTC that asked for Read (exploring), and a
    // conversation call in the same hour that stays
    write(join(dir, 'c/projects/-home-u-a/sa.jsonl'), [
      claudeAssistant({ id: 'msg_X', ts: '2026-04-01T11:00:30.000Z', session: 'sa', cwd: '/home/u/a', usage: { input: 4, output: 8, cacheRead: 900 }, content: [toolUse('toolu_r', 'Read', { file_path: 'a.ts' })] }),
      claudeAssistant({ id: 'msg_Y', ts: '2026-04-01T11:10:00.000Z', session: 'sa', cwd: '/home/u/a', usage: { input: 1, output: 2, cacheRead: 10 }, content: [{ type: 'text', text: 'ok' }] }),
    ].join(''));
    const roots = rootsFor({ claude: join(dir, 'c') });
    const { db, indexer } = await indexOnce(roots, undefined, Date.parse('2026-04-02T00:00:00Z'));
    assertActivityEqualsHours(db);
    assert.deepEqual(activitySums(db), { 'claude:exploring': [1, 4, 8, 900], 'claude:conversation': [1, 1, 2, 10] });
    // session B (a resumed conversation's copy, found later): the final copy of msg_X, earlier (10:59:50, the
    // previous UTC hour) and larger, asking for Edit — it is kept; the call's time is its earliest copy's
    write(join(dir, 'c/projects/-home-u-b/sb.jsonl'),
      claudeAssistant({ id: 'msg_X', ts: '2026-04-01T10:59:50.000Z', session: 'sb', cwd: '/home/u/b', usage: { input: 4, output: 500, cacheRead: 900 }, content: [toolUse('toolu_e', 'Edit', { file_path: 'a.ts', old_string: 'a', new_string: 'b' })] }));
    await indexer.refresh();
    assert.ok(assertActivityEqualsHours(db) >= 2);
    assert.deepEqual(activitySums(db), { 'claude:coding': [1, 4, 500, 900], 'claude:conversation': [1, 1, 2, 10] });
    const perHour = db.exec(`SELECT a.hour, k.name, a.requests, a.output FROM usage_acts a JOIN act_keys k ON k.id = a.act ORDER BY a.hour, k.name`)[0].values;
    assert.deepEqual(perHour, [
      [Date.parse('2026-04-01T10:00:00Z'), 'coding', 1, 500],
      [Date.parse('2026-04-01T11:00:00Z'), 'conversation', 1, 2],
    ]);
    assert.deepEqual(claudeCallRows(db).map((c) => [c[6], actName(db, c[11])]).sort((a, b) => Number(a[0]) - Number(b[0])), [[2, 'conversation'], [500, 'coding']]);
    // a third copy in session A, a duplicate now, that asked for Bash: the call's activity is the highest of its
    // copies (coding beats running), nothing moves
    append(join(dir, 'c/projects/-home-u-a/sa.jsonl'),
      claudeAssistant({ id: 'msg_X', ts: '2026-04-01T11:00:31.000Z', session: 'sa', cwd: '/home/u/a', usage: { input: 4, output: 8, cacheRead: 900 }, content: [toolUse('toolu_b', 'Bash', { command: 'ls' })] }));
    await indexer.refresh();
    assertActivityEqualsHours(db);
    assert.deepEqual(activitySums(db), { 'claude:coding': [1, 4, 500, 900], 'claude:conversation': [1, 1, 2, 10] });
    // the index saved and read again knows the kept copy's activity: the same logs indexed at once agree
    const once = await indexOnce(roots, undefined, Date.parse('2026-04-02T00:00:00Z'));
    assert.deepEqual(activitySums(once.db), activitySums(db));
  } finally {
    cleanup(dir);
  }
});
