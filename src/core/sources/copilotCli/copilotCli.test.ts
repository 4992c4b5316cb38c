import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FileInfo, SourceOutput } from '../plugin';
import { copilotCliSource } from './index';

const fixtures = join(__dirname, 'fixtures', 'session-state');
const NORMAL = '0f8a3c52-1d7e-4b6a-9c21-5e0b7a9d3f10';
const KILLED = '5b21e9d0-8c44-4f0e-a7d3-02c6e1f4b9a8';
const RESUMED = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
const parser = copilotCliSource.parsers.events;

function info(session: string, path = join(fixtures, session, 'events.jsonl')): FileInfo {
  return { path, project: '(unknown)', session, format: 'events' };
}

/** Reads `text` as the caller does: blocks of complete lines, one state kept between them. */
function read(text: string, file: FileInfo, state: Record<string, unknown> = {}, start = 0): SourceOutput {
  if (parser.kind !== 'lines') throw new Error('copilot-cli reads lines');
  const out: SourceOutput = { records: [], malformed: 0 };
  parser.parseLines(Buffer.from(text, 'utf8'), start, file, state, out);
  return out;
}
const fixture = (session: string) => readFileSync(join(fixtures, session, 'events.jsonl'), 'utf8');

test('copilot-cli: session.shutdown modelMetrics give one record per model at the shutdown time, cache and reasoning normalised', () => {
  const out = read(fixture(NORMAL), info(NORMAL));
  assert.equal(out.malformed, 0);
  assert.deepEqual(out.unknownUsageSessions ?? [], []);
  const byModel = new Map(out.records.map((r) => [r.model, r]));
  assert.deepEqual([...byModel.keys()].sort(), ['claude-sonnet-4.5', 'gpt-5']);
  const gpt = byModel.get('gpt-5')!;
  // inputTokens 58211 include cacheRead 41216 (and cacheWrite 0); reasoning 1792 is inside outputTokens 2950
  assert.deepEqual(
    { input: gpt.input, output: gpt.output, reasoning: gpt.reasoning, cacheRead: gpt.cacheRead, cacheWrite5m: gpt.cacheWrite5m, requests: gpt.requests },
    { input: 58211 - 41216, output: 2950, reasoning: 1792, cacheRead: 41216, cacheWrite5m: 0, requests: 3 },
  );
  const claude = byModel.get('claude-sonnet-4.5')!;
  // inputTokens 96540 include cacheRead 70112 and cacheWrite 9840
  assert.equal(claude.input, 96540 - 70112 - 9840);
  assert.equal(claude.cacheWrite5m, 9840);
  assert.equal(claude.output, 3412);
  assert.equal(claude.ts, Date.parse('2026-11-03T09:05:12.345Z'));
  assert.equal(claude.project, '/home/dev/work/agentmeter');
  assert.equal(claude.branch, 'main');
  assert.equal(claude.session, NORMAL);
  assert.match(claude.key, new RegExp(`^${NORMAL}:claude-sonnet-4\\.5:7c1e`));
  assert.notEqual(claude.key, gpt.key);
});

test('copilot-cli: a session killed before session.shutdown is "usage unknown", not zero', () => {
  const out = read(fixture(KILLED), info(KILLED));
  assert.equal(out.records.length, 0);
  assert.deepEqual(out.unknownUsageSessions, [KILLED]);
});

test('copilot-cli: a resumed session with two cumulative shutdowns counts each leg once, at its own shutdown', () => {
  const out = read(fixture(RESUMED), info(RESUMED));
  assert.equal(out.malformed, 0);
  assert.deepEqual(out.unknownUsageSessions ?? [], []);
  const claude = out.records.filter((r) => r.model === 'claude-sonnet-4.5').sort((a, b) => a.ts - b.ts);
  assert.equal(claude.length, 2);
  // leg 1 whole; leg 2 = cumulative (200000 / 6600 / 150000 / 15000 / 8 requests) minus leg 1
  assert.deepEqual(
    claude.map((r) => [r.ts, r.input, r.output, r.cacheRead, r.cacheWrite5m, r.requests]),
    [
      [Date.parse('2026-11-04T16:20:00.000Z'), 120000 - 90000 - 12000, 4100, 90000, 12000, 5],
      [Date.parse('2026-11-05T08:30:00.000Z'), 80000 - 60000 - 3000, 2500, 60000, 3000, 3],
    ],
  );
  const sum = (f: (r: (typeof claude)[0]) => number) => claude.reduce((s, r) => s + f(r), 0);
  // the session's totals equal its last (cumulative) shutdown, never the sum of both shutdowns
  assert.equal(sum((r) => r.input + r.cacheRead + r.cacheWrite5m), 200000);
  assert.equal(sum((r) => r.output), 6600);
  const gpt = out.records.filter((r) => r.model === 'gpt-5');
  assert.deepEqual(gpt.map((r) => [r.input, r.output, r.reasoning, r.cacheRead, r.requests]), [[10000, 900, 512, 20000, 2]]);
  assert.equal(new Set(out.records.map((r) => r.key)).size, 3);
});

test('copilot-cli: read in blocks with the state kept, the result is the same as one read; re-reading from an offset gives the same records', () => {
  const text = fixture(RESUMED);
  const whole = read(text, info(RESUMED));
  const lines = text.split('\n').filter((l) => l.length > 0).map((l) => `${l}\n`);
  const state: Record<string, unknown> = {};
  const cut = lines.findIndex((l) => l.includes('"session.resume"')) + 3; // in the middle of leg 2
  const first = read(lines.slice(0, cut).join(''), info(RESUMED), state);
  // JSON round trip, as the state is stored
  const stored = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
  const second = read(lines.slice(cut).join(''), info(RESUMED), stored);
  const records = [...first.records, ...second.records];
  assert.deepEqual(first.unknownUsageSessions, [RESUMED], 'leg 2 running: its usage is not on disk yet');
  assert.deepEqual(second.unknownUsageSessions ?? [], []);
  assert.deepEqual(records, whole.records);
  // each model's last cumulative totals kept as an array (input, output, cacheRead, cacheWrite, reasoning, requests)
  const prev = JSON.parse(JSON.stringify(state)) as { prev: Record<string, unknown> }; // as stored at the cut
  assert.deepEqual(Object.values(prev.prev).map(Array.isArray), Object.keys(prev.prev).map(() => true));
  assert.deepEqual(prev.prev['claude-sonnet-4.5'], [120000, 4100, 90000, 12000, 0, 5]);
  // a state stored before kept them as objects: read the same
  const older = JSON.parse(JSON.stringify(state)) as { prev: Record<string, number[]> };
  const keys = ['input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'requests'];
  older.prev = Object.fromEntries(Object.entries(older.prev).map(([m, v]) => [m, Object.fromEntries(keys.map((k, i) => [k, v[i]]))])) as never;
  assert.deepEqual(read(lines.slice(cut).join(''), info(RESUMED), older as never).records, second.records);
  // the parser honours `start` (the block begins mid-buffer)
  const prefix = 'x'.repeat(17);
  const offset = read(prefix + text, info(RESUMED), {}, prefix.length);
  assert.deepEqual(offset.records, whole.records);
});

test('copilot-cli: a malformed or half-shaped line is counted and skipped, nothing else lost', () => {
  const lines = fixture(NORMAL).split('\n');
  lines.splice(3, 0, '{"type":"assistant.message","data":{"content":"cut of', '[1,2]', '{"type":"session.shutdown","id":"x1","timestamp":"2026-11-03T09:04:00.000Z","data":{"shutdownType":"error"}}');
  const out = read(lines.join('\n'), info(NORMAL));
  assert.equal(out.malformed, 3);
  assert.equal(out.records.length, 2);
  assert.equal(out.records.reduce((s, r) => s + r.output, 0), 2950 + 3412);
});

// CLI 1.0.60 session resumed by 1.0.60 (fixtures/versions/README.md): each shutdown holds its own leg only
const PER_LEG = 'a1b2c3d4-0060-4e5f-8a9b-0c1d2e3f4a60';
// CLI 1.0.80 session resumed by 1.0.80, compacted in its second leg: cumulative shutdowns
const COMPACTED = 'b2c3d4e5-0080-4f6a-9b0c-1d2e3f4a5b80';
const versions = join(__dirname, 'fixtures', 'versions');
const versionFixture = (session: string) => readFileSync(join(versions, session, 'events.jsonl'), 'utf8');
const legs = (out: SourceOutput) => out.records.map((r) => [r.ts, r.input, r.output, r.cacheRead, r.cacheWrite5m, r.reasoning, r.requests]);

test('copilot-cli: a session resumed by CLI 1.0.65 or older (no sessionLimits in its resume) counts each shutdown whole', () => {
  const text = versionFixture(PER_LEG);
  const out = read(text, info(PER_LEG, '/x/events.jsonl'));
  assert.equal(out.malformed, 0);
  // leg 2's totals (90000 / 2600 / 70000 / 6000 / 7 requests) are that leg alone: the CLI restarted from zero
  assert.deepEqual(legs(out), [
    [Date.parse('2026-06-10T09:15:00.000Z'), 40000 - 30000 - 4000, 1500, 30000, 4000, 0, 5],
    [Date.parse('2026-06-11T14:30:00.000Z'), 90000 - 70000 - 6000, 2600, 70000, 6000, 0, 7],
  ]);
  // the same file with its resume written by CLI 1.0.66 or later (sessionLimits: null): leg 2 is the increase
  const newer = read(text.replace('"contextTier":null,', '"contextTier":null,"sessionLimits":null,'), info(PER_LEG, '/x/events.jsonl'));
  assert.deepEqual(legs(newer)[1], [Date.parse('2026-06-11T14:30:00.000Z'), 50000 - 40000 - 2000, 1100, 40000, 2000, 0, 2]);
  // started by 1.0.66 or later: every resume is by that CLI or a newer one, cumulative with or without the key
  const started = (v: string) => legs(read(text.replace('"copilotVersion":"1.0.60"', `"copilotVersion":"${v}"`), info(PER_LEG, '/x/events.jsonl')))[1][6];
  assert.deepEqual(['1.0.65', '1.0.66', '1.0.66-2', '1.1.0', '2.0.1', '0.0.423', 'unknown'].map(started), [7, 2, 2, 2, 2, 7, 7]);
});

test('copilot-cli: a compaction does not restart the counters: the next shutdown counts its increase', () => {
  const out = read(versionFixture(COMPACTED), info(COMPACTED, '/x/events.jsonl'));
  assert.equal(out.malformed, 0);
  // the second shutdown (81000 / 1900 / 52000 / reasoning 700 / 7 requests) includes the first leg
  assert.deepEqual(legs(out), [
    [Date.parse('2026-09-20T10:20:00.000Z'), 50000 - 30000, 1000, 30000, 0, 400, 4],
    [Date.parse('2026-09-21T09:40:00.000Z'), 31000 - 22000, 900, 22000, 0, 300, 3],
  ]);
  assert.equal(out.records.reduce((s, r) => s + r.input + r.cacheRead, 0), 81000, 'the session total is its last shutdown');
  // a resume without the key (an older writer) is still cumulative here: the session was started by 1.0.80
  const stripped = read(versionFixture(COMPACTED).replace('"sessionLimits":null,', ''), info(COMPACTED, '/x/events.jsonl'));
  assert.deepEqual(legs(stripped), legs(out));
});

test('copilot-cli: a total below the previous shutdown is taken whole (the guard for counters that started again)', () => {
  const text = versionFixture(COMPACTED).replace('"inputTokens":81000,"outputTokens":1900,"cacheReadTokens":52000', '"inputTokens":45000,"outputTokens":1900,"cacheReadTokens":30000');
  const out = read(text, info(COMPACTED, '/x/events.jsonl'));
  assert.deepEqual(legs(out)[1], [Date.parse('2026-09-21T09:40:00.000Z'), 45000 - 30000, 1900, 30000, 0, 700, 7]);
});

test('copilot-cli discovery: ~/.copilot by default, COPILOT_HOME, explicit home or session-state folder, none', async () => {
  const home = mkdtempSync(join(tmpdir(), 'am-copilot-'));
  try {
    cpSync(fixtures, join(home, '.copilot', 'session-state'), { recursive: true });
    // an older CLI's flat session file, and something that is not a session
    mkdirSync(join(home, '.copilot', 'history-session-state'), { recursive: true });
    writeFileSync(join(home, '.copilot', 'history-session-state', 'old-session.jsonl'), '');
    writeFileSync(join(home, '.copilot', 'session-state', 'notes.txt'), '');
    mkdirSync(join(home, '.copilot', 'session-state', 'empty-folder'));

    const d = copilotCliSource.discovery;
    const def = d.roots({ env: {}, home });
    assert.deepEqual(def.roots, [join(home, '.copilot', 'session-state'), join(home, '.copilot', 'history-session-state')]);
    const files = (await Promise.all(def.roots.map((r) => d.list(r)))).flat();
    assert.deepEqual(files.map((f) => [f.session, f.format]).sort(), [[KILLED, 'events'], [NORMAL, 'events'], [RESUMED, 'events'], ['old-session', 'events']].sort());
    assert.equal(files.find((f) => f.session === NORMAL)!.path, join(home, '.copilot', 'session-state', NORMAL, 'events.jsonl'));

    const moved = join(home, 'elsewhere');
    cpSync(join(home, '.copilot'), moved, { recursive: true });
    assert.deepEqual(d.roots({ env: { COPILOT_HOME: moved }, home }).roots, [join(moved, 'session-state'), join(moved, 'history-session-state')]);
    // explicit dirs override COPILOT_HOME: a home (with ~) or a session-state folder itself
    assert.deepEqual(d.roots({ env: { COPILOT_HOME: moved }, home, dirs: ['~/.copilot'] }).roots.slice(0, 1), [join(home, '.copilot', 'session-state')]);
    assert.deepEqual(d.roots({ env: {}, home, dirs: [join(moved, 'session-state')] }).roots, [join(moved, 'session-state')]);
    const missing = d.roots({ env: {}, home, dirs: [join(home, 'nothing')] });
    assert.deepEqual(missing.roots, []);
    assert.equal(missing.notes.length, 1);
    assert.ok(missing.searched.includes(join(home, 'nothing', 'session-state')));
    assert.deepEqual(d.roots({ env: {}, home, dirs: ['none'] }).roots, []);
    assert.deepEqual(await d.list(join(home, 'does-not-exist')), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
