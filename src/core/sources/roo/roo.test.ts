import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, KeyedUsage } from '../plugin';
import { rooSource } from './index';

const TASK = '0f9c5c2e-6a4b-4f3e-9d2a-3b1e5c7d8a90';
const FILE: FileInfo = {
  path: join(__dirname, 'fixtures/globalStorage/rooveterinaryinc.roo-cline/tasks', TASK, 'ui_messages.json'),
  project: '(unknown)',
  session: TASK,
  format: 'ui_messages',
};
function parse(text = readFileSync(FILE.path, 'utf8')) {
  const p = rooSource.parsers.ui_messages;
  if (p.kind !== 'document') throw new Error('document parser expected');
  return p.parseDocument(text, FILE);
}
const tokens = (r: KeyedUsage) => [r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead, r.requests];

test('contract: id roo, label Roo Code, document parser that keeps vanished rows counted', () => {
  assert.equal(rooSource.id, 'roo');
  assert.equal(rooSource.label, 'Roo Code');
  const p = rooSource.parsers.ui_messages;
  assert.equal(p.kind === 'document' && p.vanished, 'keep');
});

test('"Delete message" / checkpoint restore: the removed requests stay counted (keep), so api_req_deleted is not counted again', () => {
  const rows = JSON.parse(readFileSync(FILE.path, 'utf8')) as { ts: number; say?: string }[];
  assert.ok(rows.some((r) => r.say === 'api_req_deleted'));
  const full = parse();
  assert.equal(full.records.some((r) => r.ts === 1767434420000), false);
  // after a delete, the later version lacks the second request: the parser reports only what is left; the store
  // keeps the vanished key counted because the parser says 'keep'
  const after = parse(JSON.stringify(rows.filter((r) => r.ts < 1767434405000)));
  assert.deepEqual(after.records.map((r) => r.key), [full.records[0].key]);
});

test('Roo ≥ 3.29.5: tokensIn is the whole prompt (input + cache writes + cache reads) → cache tokens split out', () => {
  const out = parse();
  assert.equal(out.malformed, 0);
  assert.deepEqual(out.records.map(tokens), [
    [32, 610, 24480, 0, 0, 1], // 24512 − 24480
    [40, 240, 1500, 0, 24480, 1], // 26020 − 1500 − 24480
  ]);
  assert.deepEqual(out.records.map((r) => r.agentCostUsd), [0.101, 0.0168]);
});

test('model from the API history (<model> in environment details), workspace from it too; no provider is logged', () => {
  const out = parse();
  assert.deepEqual(out.records.map((r) => r.model), ['claude-sonnet-4-5', 'claude-sonnet-4-5']);
  assert.equal(out.records[0].project, '/home/dev/roo-app');
  assert.equal(out.records[0].provider, undefined);
  assert.equal(out.records[0].session, TASK);
});

test('tools per request; the rate-limit retry notice and the unfinished last request are not requests', () => {
  const out = parse();
  assert.deepEqual(out.records.map((r) => r.tools), [['readFile'], ['mcp__github__search_issues']]);
  assert.equal(out.records.length, 2);
});

test('the file as Roo writes it (compact) and as an editor left it (tab-indented) give the same records', () => {
  const pretty = readFileSync(FILE.path, 'utf8');
  assert.match(pretty, /^\[\n\t\{/);
  assert.deepEqual(parse(JSON.stringify(JSON.parse(pretty))), parse(pretty));
});

test('a subtask (new_task) is its own task folder; history_item.json names its parent → its requests are subagent requests', () => {
  const sub = '7e1d2c3b-4a5f-4e6d-8c7b-9a0b1c2d3e4f';
  const p = rooSource.parsers.ui_messages;
  if (p.kind !== 'document') throw new Error('document parser expected');
  const path = join(__dirname, 'fixtures/globalStorage/rooveterinaryinc.roo-cline/tasks', sub, 'ui_messages.json');
  const out = p.parseDocument(readFileSync(path, 'utf8'), { path, project: '(unknown)', session: sub, format: 'ui_messages' });
  assert.equal(out.records.length, 1);
  assert.equal(out.records[0].subagent, true);
  assert.equal(out.records[0].session, sub);
  assert.equal(out.records[0].project, '/home/dev/roo-app');
  assert.deepEqual(out.records[0].tools, ['newFileCreated']);
  assert.deepEqual(tokens(out.records[0]), [50, 1400, 9050, 0, 0, 1]);
  assert.equal(parse().records.some((r) => r.subagent), false); // the parent task's own requests are not
});
