import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, KeyedUsage } from '../plugin';
import { kiloSource } from './index';

const TASK = '5d3a8e1f-2b7c-4d9e-8f10-6a2b3c4d5e6f';
const FILE: FileInfo = {
  path: join(__dirname, 'fixtures/globalStorage/kilocode.kilo-code/tasks', TASK, 'ui_messages.json'),
  project: '(unknown)',
  session: TASK,
  format: 'ui_messages',
};
function parse(text = readFileSync(FILE.path, 'utf8')) {
  const p = kiloSource.parsers.ui_messages;
  if (p.kind !== 'document') throw new Error('document parser expected');
  return p.parseDocument(text, FILE);
}
const tokens = (r: KeyedUsage) => [r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead, r.requests];

test('contract: id kilo, label Kilo Code', () => {
  assert.equal(kiloSource.id, 'kilo');
  assert.equal(kiloSource.label, 'Kilo Code');
  assert.equal(kiloSource.parsers.ui_messages.kind, 'document');
});

test('before Roo\'s whole-prompt change: OpenAI protocol includes the cache tokens, Anthropic protocol does not', () => {
  const out = parse();
  assert.deepEqual(out.records.map(tokens), [
    [100, 900, 1100, 0, 30000, 1], // openai: 31200 − 30000 − 1100
    [14, 300, 9000, 0, 30000, 1], // anthropic, 2025-09: tokensIn excludes the cache (14 < 9000 + 30000)
  ]);
});

test('model per request from the API history; workspace from history_item.json (before the environment details)', () => {
  const out = parse();
  assert.deepEqual(out.records.map((r) => r.model), ['anthropic/claude-sonnet-4', 'claude-sonnet-4-20250514']);
  assert.deepEqual(out.records.map((r) => r.project), ['/home/dev/kilo-workspace', '/home/dev/kilo-workspace']);
  assert.deepEqual(out.projects, [{ project: '/home/dev/kilo-workspace', displayPath: '/home/dev/kilo-workspace' }]);
});

test('a Kilo task from between Roo 3.29.5 and Kilo v4.119.0 (2025-11-05): the Anthropic-protocol tokensIn still excludes the cache', () => {
  // fixtures/…/8c2e4f6a-…: Kilo before v4.119.0 wrote Anthropic input without cache tokens (its `cost` says so:
  // 20000 × $3 + 15000 × $3.75 + 400 × $15 per million = $0.12225 for Sonnet 4.5); the first request writes a cache
  // smaller than its input, so only the release date tells the two forms apart (vscodeTaskLogs/family.ts wholeInputSince)
  const task = '8c2e4f6a-1b3d-4e5f-9a7b-0c1d2e3f4a5b';
  const file: FileInfo = { ...FILE, path: join(__dirname, 'fixtures/globalStorage/kilocode.kilo-code/tasks', task, 'ui_messages.json'), session: task };
  const p = kiloSource.parsers.ui_messages;
  if (p.kind !== 'document') throw new Error('document parser expected');
  const out = p.parseDocument(readFileSync(file.path, 'utf8'), file);
  assert.deepEqual(out.records.map(tokens), [
    [20000, 400, 15000, 0, 0, 1],
    [350, 220, 1200, 0, 15000, 1],
  ]);
  assert.deepEqual(out.records.map((r) => r.agentCostUsd), [0.12225, 0.01335]);
  assert.deepEqual(out.records.map((r) => r.model), ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929']);
  assert.deepEqual(out.records.map((r) => r.project), ['/home/dev/upload-svc', '/home/dev/upload-svc']);
});
