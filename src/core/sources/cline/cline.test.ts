import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, KeyedUsage } from '../plugin';
import { clineSource } from './index';

const TASKS = join(__dirname, 'fixtures/globalStorage/saoudrizwan.claude-dev/tasks');
const parser = clineSource.parsers.ui_messages;

function fileOf(taskId: string): FileInfo {
  return { path: join(TASKS, taskId, 'ui_messages.json'), project: '(unknown)', session: taskId, format: 'ui_messages' };
}
function parse(taskId: string, text?: string) {
  assert.equal(parser.kind, 'document');
  if (parser.kind !== 'document') throw new Error('document parser expected');
  const file = fileOf(taskId);
  return parser.parseDocument(text ?? readFileSync(file.path, 'utf8'), file);
}
const tokens = (r: KeyedUsage) => [r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead, r.requests];

test('contract: id, label, one document parser that replaces vanished rows', () => {
  assert.equal(clineSource.id, 'cline');
  assert.equal(clineSource.label, 'Cline');
  assert.equal(parser.kind, 'document');
  assert.equal(parser.kind === 'document' && parser.vanished, 'replace');
});

test('Anthropic task: cache writes and reads as logged, model and provider from the row, workspace from the request, agent cost kept', () => {
  const out = parse('1767261600000');
  assert.equal(out.incomplete, undefined);
  assert.equal(out.malformed, 0);
  const [first, second] = out.records;
  assert.equal(first.key, '1767261600000:1767261600050');
  assert.equal(first.ts, 1767261600050);
  assert.deepEqual(tokens(first), [12, 420, 18250, 0, 0, 1]);
  assert.deepEqual(tokens(second), [8, 310, 2100, 0, 18250, 1]);
  assert.equal(first.model, 'claude-sonnet-4-5-20250929');
  assert.equal(first.provider, 'anthropic');
  assert.equal(first.project, '/home/dev/agentmeter');
  assert.equal(first.session, '1767261600000');
  assert.equal(first.agentCostUsd, 0.0747735);
  assert.deepEqual(out.projects, [{ project: '/home/dev/agentmeter', displayPath: '/home/dev/agentmeter' }]);
});

test('cancelled request with tokens counts them; a failed attempt with zero tokens, retry notices and a still-streaming placeholder are not requests', () => {
  const out = parse('1767261600000');
  assert.deepEqual(out.records.map((r) => r.key), ['1767261600000:1767261600050', '1767261600000:1767261604000', '1767261600000:1767261609000']);
  const cancelled = out.records[2];
  assert.deepEqual(tokens(cancelled), [5, 96, 0, 0, 20350, 1]);
  assert.equal(cancelled.agentCostUsd, 0.00756);
  assert.equal(out.records.reduce((s, r) => s + r.requests, 0), 3);
});

test('tools: the tool rows after each request, in order', () => {
  const out = parse('1767261600000');
  assert.deepEqual(out.records.map((r) => r.tools), [['readFile'], ['editedExistingFile', 'execute_command'], []]);
});

test('a row updated in place: re-parsed with grown tokens → same key, new tokens (the store replaces, nothing doubles)', () => {
  const file = fileOf('1767261600000');
  const rows = JSON.parse(readFileSync(file.path, 'utf8')) as { ts: number; text?: string }[];
  const placeholder = rows.find((r) => r.ts === 1767261620050)!;
  const midStream = { request: '[TASK RESUMPTION]', tokensIn: 6, tokensOut: 40, cacheWrites: 0, cacheReads: 20350, cost: 0.0068 };
  placeholder.text = JSON.stringify(midStream);
  const a = parse('1767261600000', JSON.stringify(rows)).records.find((r) => r.ts === 1767261620050)!;
  assert.deepEqual(tokens(a), [6, 40, 0, 0, 20350, 1]);
  placeholder.text = JSON.stringify({ ...midStream, tokensOut: 512, cost: 0.0138 });
  const b = parse('1767261600000', JSON.stringify(rows)).records.find((r) => r.ts === 1767261620050)!;
  assert.equal(b.key, a.key);
  assert.deepEqual(tokens(b), [6, 512, 0, 0, 20350, 1]);
  assert.equal(b.agentCostUsd, 0.0138);
});

test('DeepSeek: tokensIn 0 and cache-miss input in cacheWrites → input = misses, no cache write; model by task_metadata model_usage at each time', () => {
  const out = parse('1767348000000');
  const [r1, r2] = out.records;
  assert.deepEqual(tokens(r1), [5200, 350, 0, 0, 0, 1]);
  assert.deepEqual(tokens(r2), [640, 820, 0, 0, 5120, 1]);
  assert.equal(r1.model, 'deepseek-chat');
  assert.equal(r2.model, 'deepseek-reasoner'); // switched at 1767348020000, before this request
  assert.equal(r1.provider, 'deepseek');
  assert.deepEqual(r1.tools, ['execute_command']);
  assert.equal(r1.project, '/home/dev/winbuild');
});

test('deleted_api_reqs (checkpoint restore): its tokens count, as 0 requests', () => {
  const out = parse('1767348000000');
  const deleted = out.records[2];
  assert.equal(deleted.key, '1767348000000:1767348040000');
  assert.deepEqual(tokens(deleted), [3000, 1200, 0, 0, 9000, 0]); // DeepSeek task: misses → input
  assert.equal(deleted.agentCostUsd, 0.0049);
  assert.equal(out.records.reduce((s, r) => s + r.requests, 0), 2);
});

test('a checkpoint restore removes rows: the new version has only the remaining rows plus deleted_api_reqs (vanished: replace)', () => {
  const file = fileOf('1767348000000');
  const rows = JSON.parse(readFileSync(file.path, 'utf8')) as { ts: number; say?: string }[];
  const before = parse('1767348000000', JSON.stringify(rows.filter((r) => r.say !== 'deleted_api_reqs')));
  assert.deepEqual(before.records.map((r) => r.requests), [1, 1]);
  const after = parse('1767348000000', JSON.stringify([...rows.slice(0, 2), { ts: 1767348040000, type: 'say', say: 'deleted_api_reqs', text: JSON.stringify({ tokensIn: 0, tokensOut: 820, cacheWrites: 640, cacheReads: 5120, cost: 0.0024 }) }]));
  const sum = (rs: KeyedUsage[]) => rs.reduce((s, r) => s + r.input + r.output + r.cacheRead, 0);
  assert.equal(sum(after.records), sum(before.records)); // the removed request's tokens come back once
  assert.equal(after.records.reduce((s, r) => s + r.requests, 0), 1);
});

test('no model anywhere (old task, no metadata, no API history) → model "" (unpriced); workspace from Cline task history', () => {
  const out = parse('1735725600000');
  assert.equal(out.records.length, 1);
  assert.equal(out.records[0].model, '');
  assert.equal(out.records[0].provider, undefined);
  assert.deepEqual(tokens(out.records[0]), [2100, 640, 0, 0, 0, 1]);
  assert.equal(out.records[0].project, '/home/dev/old-repo');
  assert.deepEqual(out.records[0].tools, ['attempt_completion']); // a say and an ask row for one call
});

test('a file caught mid-rewrite (truncated or empty) → incomplete, nothing counted; bad rows are counted as malformed', () => {
  const text = readFileSync(fileOf('1767261600000').path, 'utf8');
  for (const cut of [text.slice(0, Math.floor(text.length / 2)), '', '[{"ts":1767261600000,"type":"say"']) {
    const out = parse('1767261600000', cut);
    assert.equal(out.incomplete, true);
    assert.deepEqual(out.records, []);
  }
  const bad = parse('1767261600000', JSON.stringify([null, { ts: 'x' }, { ts: 1767261600050, type: 'say', say: 'api_req_started', text: '{"tokensIn":' }, { ts: 1767261600060, type: 'say', say: 'api_req_started', text: '{"tokensIn":1,"tokensOut":2,"cost":0.1}' }]));
  assert.equal(bad.malformed, 3);
  assert.equal(bad.records.length, 1);
  assert.equal(parse('1767261600000', '{"not":"an array"}').malformed, 1);
});

test('pretty-printed and compact copies of the same task give the same records; a copy elsewhere gives the same keys', () => {
  const text = readFileSync(fileOf('1767348000000').path, 'utf8');
  const compact = parse('1767348000000', text);
  const pretty = parse('1767348000000', JSON.stringify(JSON.parse(text), null, 2));
  assert.deepEqual(pretty, compact);
  const elsewhere = parser.kind === 'document' ? parser.parseDocument(text, { path: '/nowhere/1767348000000/ui_messages.json', project: '(unknown)', session: '1767348000000', format: 'ui_messages' }) : undefined;
  assert.deepEqual(elsewhere?.records.map((r) => r.key), compact.records.map((r) => r.key));
});

test('legacy Cline: usage in a following api_req_finished row is merged into its api_req_started (combineApiRequests)', () => {
  const rows = [
    { ts: 1730000000000, type: 'say', say: 'task', text: 'Fix the typo' },
    { ts: 1730000000100, type: 'say', say: 'api_req_started', text: JSON.stringify({ request: '<task>\nFix the typo\n</task>' }) },
    { ts: 1730000004000, type: 'say', say: 'tool', text: JSON.stringify({ tool: 'readFile', path: 'README.md' }) },
    { ts: 1730000004100, type: 'say', say: 'api_req_finished', text: JSON.stringify({ tokensIn: 1800, tokensOut: 210, cacheWrites: 1500, cacheReads: 0, cost: 0.0142 }) },
  ];
  const out = parse('1735725600000', JSON.stringify(rows));
  assert.equal(out.records.length, 1);
  assert.equal(out.records[0].key, '1735725600000:1730000000100');
  assert.deepEqual(tokens(out.records[0]), [1800, 210, 1500, 0, 0, 1]);
  assert.deepEqual(out.records[0].tools, ['readFile']);
});

test('SDK-era subagent_usage rows: a subagent batch\'s summed tokens, 0 requests, marked subagent', () => {
  const mi = { modelId: 'claude-sonnet-4-5-20250929', providerId: 'anthropic', mode: 'act' };
  const rows = [
    { ts: 1780000000100, type: 'say', say: 'api_req_started', text: JSON.stringify({ tokensIn: 10, tokensOut: 50, cacheWrites: 0, cacheReads: 4000, cost: 0.002 }), modelInfo: mi },
    { ts: 1780000005000, type: 'say', say: 'use_subagents', text: JSON.stringify({ prompts: ['map the tests'] }), modelInfo: mi },
    { ts: 1780000030000, type: 'say', say: 'subagent_usage', text: JSON.stringify({ source: 'subagents', tokensIn: 3000, tokensOut: 900, cacheWrites: 2500, cacheReads: 12000, cost: 0.035 }), modelInfo: mi },
  ];
  const out = parse('1767261600000', JSON.stringify(rows));
  assert.deepEqual(out.records.map((r) => [r.requests, r.subagent ?? false]), [[1, false], [0, true]]);
  assert.deepEqual(tokens(out.records[1]), [3000, 900, 2500, 0, 12000, 0]);
  assert.deepEqual(out.records[0].tools, ['use_subagents']);
});
