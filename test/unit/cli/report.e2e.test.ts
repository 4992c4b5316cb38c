import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, appendFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, fixture, fixtureDirs, json } from './cliRun';
import { claudeAssistant, codexSessionMeta, codexTokenCount, codexTurnContext, write } from '../ingest/helpers';

before(ensureBuilt);

const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `expected ${b}, got ${a}`);
const ROW_KEYS = [
  'key', 'source', 'model', 'requests', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheCreation5mTokens',
  'cacheCreation1hTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'costUSD', 'unpricedTokens',
];

function checkRowSchema(r: Record<string, unknown>) {
  for (const k of ROW_KEYS) assert.ok(k in r, `row lacks ${k}`);
  assert.equal(typeof r.key, 'string');
  for (const k of ROW_KEYS.slice(3, 12)) assert.ok(Number.isInteger(r[k]), `${k} is an integer`);
  assert.ok(r.costUSD === null || typeof r.costUSD === 'number');
  assert.equal(
    r.totalTokens,
    (r.inputTokens as number) + (r.outputTokens as number) + (r.cacheCreationTokens as number) + (r.cacheReadTokens as number),
  );
  assert.equal(r.cacheCreationTokens, (r.cacheCreation5mTokens as number) + (r.cacheCreation1hTokens as number));
}

test('JSON by day (UTC): schema, hand-computed costs, unpriced flagged, skipped lines', async () => {
  const out = await json(['report', ...fixtureDirs, '--timezone', 'UTC']);
  assert.deepEqual(Object.keys(out).slice(0, 5), ['by', 'timezone', 'rows', 'totals', 'skipped']);
  assert.equal(out.by, 'day');
  assert.equal(out.timezone, 'UTC');
  out.rows.forEach(checkRowSchema);
  checkRowSchema(out.totals);
  assert.deepEqual(out.rows.map((r: any) => r.key), ['2026-04-01', '2026-04-02']);
  const [d1, d2] = out.rows;
  assert.equal(d1.requests, 3);
  near(d1.costUSD, 0.02655 + 0.2103 + 0.1605);
  assert.equal(d1.cacheCreation1hTokens, 2000);
  assert.equal(d1.outputTokens, 500 + 1000 + 1000); // the final streaming copy, once
  assert.equal(d2.costUSD, null);
  assert.equal(d2.unpricedTokens, 100);
  assert.equal(d2.reasoningTokens, 300);
  assert.equal(out.totals.requests, 6);
  assert.equal(out.totals.totalTokens, 263_610);
  assert.equal(out.totals.costUSD, null);
  assert.equal(out.totals.unpricedTokens, 100);
  assert.deepEqual(out.totals.unpricedModels, ['claude-mystery-5']);
  assert.equal(out.skipped.malformedLines, 1);
  assert.equal(out.skipped.duplicateLines, 2); // the streaming copy of msg_1 and the re-emitted Codex snapshot
});

test('days follow --timezone: the 23:30 UTC request is on Apr 2 in Europe/Berlin', async () => {
  const out = await json(['report', ...fixtureDirs, '--timezone', 'Europe/Berlin']);
  assert.deepEqual(out.rows.map((r: any) => [r.key, r.requests]), [['2026-04-01', 2], ['2026-04-02', 4]]);
  near(out.rows[0].costUSD, 0.02655 + 0.2103);
  const since = await json(['report', ...fixtureDirs, '--timezone', 'Europe/Berlin', '--since', '2026-04-02', '--until', '2026-04-02']);
  assert.equal(since.totals.requests, 4);
  assert.equal(since.since, '2026-04-02');
});

test('--by model --source codex: rows per model with source, cached input at the cached rate', async () => {
  const out = await json(['report', ...fixtureDirs, '--by', 'model', '--source', 'codex']);
  assert.deepEqual(out.rows.map((r: any) => [r.key, r.source, r.model]), [
    ['gpt-5-codex', 'codex', 'gpt-5-codex'],
    ['gpt-5.3-codex', 'codex', 'gpt-5.3-codex'],
  ]);
  near(out.rows[0].costUSD, 0.0085);
  near(out.rows[1].costUSD, 0.00805);
  assert.equal(out.rows[0].inputTokens, 2000);
  assert.equal(out.rows[0].cacheReadTokens, 8000);
  assert.equal(out.totals.requests, 2);
});

test('--prices overrides price an unknown model; --by project joins both agents', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-prices-'));
  const file = join(dir, 'prices.json');
  writeFileSync(file, JSON.stringify({ 'claude-mystery-5': { input: 1, output: 2 } }));
  const out = await json(['report', ...fixtureDirs, '--prices', file, '--by', 'project']);
  assert.equal(out.rows.length, 1);
  assert.equal(out.rows[0].key, '/home/ana/shop');
  near(out.totals.costUSD, 0.4139 + 0.00015);
  assert.equal(out.totals.unpricedTokens, 0);
  assert.equal(out.prices.overridden, true);
});

test('--by block: 5-hour blocks per source with gaps, in JSON', async () => {
  const out = await json(['report', ...fixtureDirs, '--by', 'block']);
  const blocks = out.rows.map((b: any) => [b.startTime, b.source, b.isGap, b.requests]);
  assert.deepEqual(blocks, [
    ['2026-04-01T08:00:00.000Z', 'claude', false, 2],
    ['2026-04-01T14:30:00.000Z', 'claude', true, 0],
    ['2026-04-01T23:00:00.000Z', 'claude', false, 1],
    ['2026-04-02T04:30:00.000Z', 'claude', true, 0],
    ['2026-04-02T10:00:00.000Z', 'claude', false, 1],
    ['2026-04-02T12:00:00.000Z', 'codex', false, 2],
  ]);
  assert.equal(out.totals.requests, 6);
  // 34,610 tokens over the span from msg_1 (08:00:00 or its final copy at 08:00:02) to msg_2 (09:30)
  const rate = out.rows[0].burnRate.tokensPerMinute;
  assert.ok(rate >= 34_610 / 90 && rate <= 34_610 / (90 - 2 / 60), String(rate));
});

test('table output: aligned, thousands separators, n/a with a footnote, totals, ≤ 120 columns', async () => {
  const bys = ['day', 'session', 'model', 'project', 'block'];
  const results = await Promise.all(bys.map((by) => cli(['report', ...fixtureDirs, '--by', by])));
  for (const [i, by] of bys.entries()) {
    const r = results[i];
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.every((l) => l.length <= 120), `${by}: a line is wider than 120`);
    assert.match(r.stdout, /^Total\s/m);
    assert.match(r.stdout, /n\/a/);
    assert.match(r.stdout, /no price for claude-mystery-5/);
  }
  const day = (await cli(['report', ...fixtureDirs])).stdout.split('\n');
  assert.match(day[0], /^Date\s+Requests\s+Input\s+Output\s+Cache write\s+Cache read\s+Total tokens\s+Cost \(USD\)$/);
  assert.match(day[2], /^2026-04-01\s+3\s+2,110\s+2,500\s+3,000\s+240,000\s+247,610\s+\$0\.40$/);
  assert.equal(day[0].length, day[2].length);
});

test('CSV output: header, CRLF, one line per row, no totals row', async () => {
  const r = await cli(['report', ...fixtureDirs, '--format', 'csv', '--by', 'day']);
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.ok(lines[0].startsWith('key,source,model,requests,inputTokens,outputTokens,cacheCreationTokens,'));
  assert.equal(lines.length, 1 + 2 + 1);
  assert.ok(lines[1].startsWith('2026-04-01,,,3,2110,2500,3000,1000,2000,240000,0,247610,0.39735,0,'));
  assert.ok(lines[2].startsWith('2026-04-02,,,3,3050,950,0,0,0,12000,300,16000,,100,'));
  assert.ok(!r.stdout.includes('\n') || r.stdout.split('\n').every((l, i, a) => i === a.length - 1 || l.endsWith('\r')));
  const session = await cli(['report', ...fixtureDirs, '--format', 'csv', '--by', 'block']);
  assert.match(session.stdout.split('\r\n')[0], /,startTime,endTime,actualEndTime,isGap,isActive,/);
});

test('--db persists the index and a second run gives identical totals; appends are picked up', async () => {
  const work = mkdtempSync(join(tmpdir(), 'agentmeter-db-'));
  const tree = join(work, 'tree');
  cpSync(fixture, tree, { recursive: true });
  const db = join(work, 'index', 'agentmeter.sqlite');
  const args = ['report', '--claude-dir', join(tree, 'claude'), '--codex-dir', join(tree, 'codex'), '--db', db, '--timezone', 'UTC'];
  const first = await json(args);
  assert.ok(existsSync(db));
  const second = await json(args);
  assert.deepEqual(second, first);
  const r = await cli([...args, '--verbose']);
  assert.match(r.stderr, /0 changed/);
  // append a new call to the Claude session (Haiku 4.5: 1000×1 + 100×5 = 0.0015)
  const dir = join(tree, 'claude', 'projects', '-home-ana-shop');
  const file = join(dir, readdirSync(dir)[0]);
  appendFileSync(
    file,
    `${JSON.stringify({
      parentUuid: 'x', isSidechain: false, userType: 'external', cwd: '/home/ana/shop', sessionId: 'aaaa1111-2222-3333-4444-555566667777',
      version: '2.1.39', gitBranch: 'main', type: 'assistant', requestId: 'req_msg_5', uuid: 'u5', timestamp: '2026-04-03T08:00:00.000Z',
      message: { id: 'msg_5', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], usage: { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    })}\n`,
  );
  const third = await json(args);
  assert.equal(third.totals.requests, first.totals.requests + 1);
  near(third.totals.pricedCostUSD, first.totals.pricedCostUSD + 0.0015);
  assert.deepEqual(third.skipped, first.skipped);
});

test('--verbose says how many Codex events had no model and were priced as the gpt-5 fallback', async () => {
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-fallback-'));
  const day = join(home, 'sessions', '2025', '09', '10');
  mkdirSync(day, { recursive: true });
  const line = (o: unknown) => `${JSON.stringify(o)}\n`;
  const usage = (input: number, output: number) => ({ input_tokens: input, cached_input_tokens: 0, output_tokens: output, reasoning_output_tokens: 0, total_tokens: input + output });
  writeFileSync(
    join(day, 'rollout-2025-09-10T09-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0009.jsonl'),
    line({ timestamp: '2025-09-10T09:00:00.000Z', type: 'session_meta', payload: { id: 'x', cwd: '/w', originator: 'codex_cli_rs', cli_version: '0.31.0' } }) +
      line({ timestamp: '2025-09-10T09:01:00.000Z', type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: usage(1000, 10), last_token_usage: usage(1000, 10) } } }) +
      line({ timestamp: '2025-09-10T09:02:00.000Z', type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: usage(3000, 30), last_token_usage: usage(2000, 20) } } }),
  );
  const r = await cli(['report', '--claude-dir', 'none', '--codex-dir', home, '--by', 'model', '--format', 'json', '--verbose']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^agentmeter: 2 Codex events had no model \(no turn_context before them\) and are priced as gpt-5$/m);
  assert.deepEqual(JSON.parse(r.stdout).rows.map((x: { model: string; inputTokens: number }) => [x.model, x.inputTokens]), [['gpt-5', 3000]]);
});

test('bad arguments and missing directories: one line on stderr, exit 2, no stack', async () => {
  const cases: string[][] = [
    ['report', '--by', 'year'],
    ['report', '--format', 'xml'],
    ['report', '--source', 'nosuch'],
    ['report', '--since', '2026-13-01'],
    ['report', '--since', '2026-04-02', '--until', '2026-04-01'],
    ['report', '--timezone', 'Mars/Olympus'],
    ['report', '--week-start', 'someday'],
    ['report', '--no-such-flag'],
    ['frobnicate'],
    ['report', '--claude-dir', '/nonexistent/agentmeter-claude'],
    ['report', '--codex-dir', '/nonexistent/agentmeter-codex', '--claude-dir', 'none'],
    ['report', ...fixtureDirs, '--prices', '/nonexistent/prices.json'],
    ['report', ...fixtureDirs, '--db', tmpdir()],
  ];
  const results = await Promise.all(cases.map((args) => cli(args)));
  for (const [i, args] of cases.entries()) {
    const r = results[i];
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code} ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\s+at\s.+:\d+:\d+/);
    assert.equal(r.stdout, '');
  }
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-badprices-'));
  writeFileSync(join(dir, 'p.json'), '{"gpt-5": {"imput": 1}}');
  const bad = await cli(['report', ...fixtureDirs, '--prices', join(dir, 'p.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown field "imput"/);
});

test('--help and --version exit 0; "none" disables a source', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--by day\|week\|month\|session\|project\|model\|source\|branch/);
  const version = await cli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const claudeOnly = await json(['report', '--claude-dir', join(fixture, 'claude'), '--codex-dir', 'none', '--by', 'source']);
  assert.deepEqual(claudeOnly.rows.map((r: any) => r.key), ['claude']);
  // both sources disabled: an empty report and a warning that says why (not an empty "looked in" list)
  const nothing = await cli(['report', '--claude-dir', join(fixture, 'claude'), '--codex-dir', 'none', '--source', 'codex', '--format', 'json']);
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.deepEqual(JSON.parse(nothing.stdout).rows, []);
  assert.match(nothing.stderr, /^agentmeter: warning: no logs read: every source is disabled/m);
});

test('a corrupt --db file is moved aside with a warning and rebuilt from the logs', async () => {
  const work = mkdtempSync(join(tmpdir(), 'agentmeter-corrupt-'));
  const db = join(work, 'index.sqlite');
  writeFileSync(db, 'this is not a database');
  const r = await cli(['report', ...fixtureDirs, '--db', db, '--format', 'json']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /warning: .*moved aside/);
  assert.equal(JSON.parse(r.stdout).totals.totalTokens, 263_610);
  assert.ok(readdirSync(work).some((f) => f.startsWith('index.sqlite.corrupt-')));
});

test('without --claude-dir/--codex-dir the logs are discovered under HOME, CLAUDE_CONFIG_DIR and CODEX_HOME', async () => {
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-home-'));
  cpSync(join(fixture, 'claude'), join(home, '.claude'), { recursive: true });
  cpSync(join(fixture, 'codex'), join(home, '.codex'), { recursive: true });
  const viaHome = await cli(['report', '--format', 'json', '--by', 'source'], { HOME: home });
  assert.equal(viaHome.code, 0, viaHome.stderr);
  assert.deepEqual(JSON.parse(viaHome.stdout).rows.map((r: any) => [r.key, r.requests]), [['claude', 4], ['codex', 2]]);
  const viaEnv = await cli(['report', '--format', 'json', '--by', 'source'], { CLAUDE_CONFIG_DIR: join(fixture, 'claude'), CODEX_HOME: '/nonexistent-codex' });
  assert.deepEqual(JSON.parse(viaEnv.stdout).rows.map((r: any) => r.key), ['claude']);
});

/** A Claude config dir with one session file of Sonnet 4.5 calls (`[timestamp, input tokens]`) in project /tmp/proj. */
function claudeDir(calls: [string, number][], o: { cwd?: string; branch?: string; model?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-claude-'));
  write(
    join(dir, 'projects', '-tmp-proj', 's1.jsonl'),
    calls.map(([ts, input], i) => claudeAssistant({ id: `msg_${i}`, ts, usage: { input, output: 0 }, model: o.model, cwd: o.cwd, branch: o.branch, session: 's1' })).join(''),
  );
  return dir;
}

const blockRows = (out: any) => out.rows.map((b: any) => [b.startTime, b.endTime, b.isGap, b.inputTokens]);

test('--by block: blocks are cut on all entries and selected by their start day, so --since/--until never move a block', async () => {
  // 22:30, 23:30, 00:30, 01:30 UTC form one block 22:00 → 03:00 (input 1+2+4+8); after a gap, a block at 09:00 (16)
  const dir = claudeDir([
    ['2026-04-01T22:30:00.000Z', 1], ['2026-04-01T23:30:00.000Z', 2], ['2026-04-02T00:30:00.000Z', 4], ['2026-04-02T01:30:00.000Z', 8],
    ['2026-04-02T09:10:00.000Z', 16],
  ]);
  const q = (...extra: string[]) => json(['report', '--by', 'block', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'UTC', ...extra]);
  const night = ['2026-04-01T22:00:00.000Z', '2026-04-02T03:00:00.000Z', false, 15];
  const gap = ['2026-04-02T06:30:00.000Z', '2026-04-02T09:10:00.000Z', true, 0];
  const morning = ['2026-04-02T09:00:00.000Z', '2026-04-02T14:00:00.000Z', false, 16];
  assert.deepEqual(blockRows(await q()), [night, gap, morning]);
  const until = await q('--until', '2026-04-01');
  assert.deepEqual(blockRows(until), [night]);
  assert.equal(until.totals.inputTokens, 15);
  assert.ok(Math.abs(until.rows[0].burnRate.tokensPerMinute - 15 / 180) < 1e-12, 'burn rate over the whole block (22:30 → 01:30)');
  // the block starting on Apr 1 is not in "since Apr 2", and no block 00:00 → 05:00 is made up; the gap starts on Apr 2
  const since = await q('--since', '2026-04-02');
  assert.deepEqual(blockRows(since), [gap, morning]);
  assert.equal(since.totals.inputTokens, 16);
  // the start day is the day in --timezone: 22:00 UTC is 07:00 on Apr 2 in Tokyo
  const tokyo = await json(['report', '--by', 'block', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'Asia/Tokyo', '--since', '2026-04-02', '--until', '2026-04-02']);
  assert.deepEqual(blockRows(tokyo), [night, gap, morning]);
  const csv = await cli(['report', '--by', 'block', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'UTC', '--since', '2026-04-02', '--format', 'csv']);
  assert.equal(csv.stdout.split('\r\n').filter(Boolean).length, 1 + 2);
  const table = await cli(['report', '--by', 'block', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'UTC', '--since', '2026-04-03']);
  assert.equal(table.stdout, 'No usage found in that date range.\n');
});

test('--by block: a 15-minute bucket that starts at the block end opens the next block with all its calls', async () => {
  // 15:00:00.000 and 15:05 share the 15:00 bucket; the block that started at 10:00 ends at 15:00
  const dir = claudeDir([['2026-04-01T10:15:00.000Z', 1], ['2026-04-01T12:00:00.000Z', 2], ['2026-04-01T15:00:00.000Z', 4], ['2026-04-01T15:05:00.000Z', 8]]);
  const out = await json(['report', '--by', 'block', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'UTC']);
  assert.deepEqual(out.rows.map((b: any) => [b.startTime, b.endTime, b.actualEndTime, b.inputTokens]), [
    ['2026-04-01T10:00:00.000Z', '2026-04-01T15:00:00.000Z', '2026-04-01T12:00:00.000Z', 3],
    ['2026-04-01T15:00:00.000Z', '2026-04-01T20:00:00.000Z', '2026-04-01T15:05:00.000Z', 12],
  ]);
});

test('--prices: a new model without "output" and a file with a UTF-8 byte order mark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-prices-'));
  const noOutput = join(dir, 'no-output.json');
  writeFileSync(noOutput, '{"claude-opus-9-1": {"input": 5}}');
  const bad = await cli(['report', ...fixtureDirs, '--prices', noOutput]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, 'agentmeter: --prices: price override for new model "claude-opus-9-1" needs at least "input" and "output"\n');
  const bom = join(dir, 'bom.json');
  writeFileSync(bom, `\ufeff${JSON.stringify({ 'claude-mystery-5': { input: 1, output: 2 } }, null, 2)}`);
  const out = await json(['report', ...fixtureDirs, '--prices', bom, '--by', 'project']);
  near(out.totals.costUSD, 0.4139 + 0.00015);
  assert.equal(out.prices.overridden, true);
});

test('--since/--until: every accepted date works, 1970-01-01 to 9999-12-31 in zones on both sides of UTC; earlier years exit 2', async () => {
  for (const zone of ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    const all = await json(['report', ...fixtureDirs, '--timezone', zone]);
    const wide = await json(['report', ...fixtureDirs, '--timezone', zone, '--since', '1970-01-01', '--until', '9999-12-31']);
    assert.deepEqual(wide.rows, all.rows, zone);
    assert.equal(wide.until, '9999-12-31');
    const blocks = await json(['report', ...fixtureDirs, '--timezone', zone, '--by', 'block', '--until', '9999-12-31']);
    assert.equal(blocks.totals.requests, 6, zone);
  }
  for (const [flag, day] of [['--since', '0001-01-01'], ['--until', '1969-12-31'], ['--since', '0099-12-31']]) {
    const r = await cli(['report', ...fixtureDirs, flag, day]);
    assert.equal(r.code, 2, `${flag} ${day}`);
    assert.equal(r.stderr, `agentmeter: ${flag} must be a date YYYY-MM-DD from 1970-01-01 to 9999-12-31 (got "${day}")\n`);
  }
});

test('--db: a source given as "none" is left out of the report; a source read from a directory keeps its stored history', async () => {
  const claude = claudeDir([['2026-04-01T10:00:00.000Z', 100]]);
  const codex = mkdtempSync(join(tmpdir(), 'agentmeter-codex-'));
  const totals = { input: 1000, cached: 0, output: 10, reasoning: 0 };
  write(
    join(codex, 'sessions', '2026', '04', '01', 'rollout-2026-04-01T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001.jsonl'),
    codexSessionMeta('2026-04-01T10:00:00.000Z', '/tmp/cx') + codexTurnContext('2026-04-01T10:00:00.000Z', 'gpt-5') + codexTokenCount('2026-04-01T10:00:01.000Z', totals),
  );
  const empty = mkdtempSync(join(tmpdir(), 'agentmeter-empty-'));
  mkdirSync(join(empty, 'projects'));
  const db = join(mkdtempSync(join(tmpdir(), 'agentmeter-db-')), 'index.sqlite');
  const q = async (...dirs: string[]) => {
    const r = await cli(['report', '--by', 'source', '--format', 'json', '--timezone', 'UTC', '--db', db, ...dirs]);
    assert.equal(r.code, 0, r.stderr);
    return { keys: JSON.parse(r.stdout).rows.map((x: any) => [x.key, x.requests]), stderr: r.stderr };
  };
  assert.deepEqual((await q('--claude-dir', claude, '--codex-dir', codex)).keys, [['codex', 1], ['claude', 1]]);
  assert.deepEqual((await q('--claude-dir', 'none', '--codex-dir', codex)).keys, [['codex', 1]]);
  assert.deepEqual((await q('--claude-dir', claude, '--codex-dir', 'none')).keys, [['claude', 1]]);
  // Claude read from another (empty) dir: the db's Claude history stays (it outlives deleted logs); Codex is off
  assert.deepEqual((await q('--claude-dir', empty, '--codex-dir', 'None')).keys, [['claude', 1]]);
  // --source and "none" together: nothing is left
  assert.deepEqual((await q('--claude-dir', 'none', '--codex-dir', codex, '--source', 'claude')).keys, []);
  const nothing = await q('--claude-dir', 'none', '--codex-dir', 'none', '--source', 'claude,codex');
  assert.deepEqual(nothing.keys, []);
  assert.match(nothing.stderr, /^agentmeter: warning: no logs read: every source is disabled/m);
  const blocks = await cli(['report', '--by', 'block', '--format', 'json', '--db', db, '--claude-dir', 'none', '--codex-dir', codex]);
  assert.deepEqual(JSON.parse(blocks.stdout).rows.map((b: any) => b.source), ['codex']);
});

test('table output: control characters from the logs are shown escaped, columns stay aligned; JSON and CSV keep the raw text', async () => {
  const cwd = '/w/\u001b[31mRED\u001b[0m\u001b]0;pwned\u0007\u009b2J';
  const dir = claudeDir([['2026-04-01T10:00:00.000Z', 1]], { cwd, branch: 'fix\u001b[2K\u007f', model: 'claude-opus-4-6' });
  const base = ['report', '--claude-dir', dir, '--codex-dir', 'none', '--timezone', 'UTC'];
  for (const by of ['project', 'branch', 'session', 'block']) {
    const r = await cli([...base, '--by', by]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /(?!\n)\p{Cc}/u, `${by}: a control character reached the terminal`);
  }
  const project = (await cli([...base, '--by', 'project'])).stdout.split('\n');
  assert.equal(project[2], '/w/\\x1b[31mRED\\x1b[0m\\x1b]0;pwned\\x07\\x9b2J         1      1       0            0           0             1    <$0.0001');
  assert.equal(project[0].length, project[2].length);
  assert.match((await cli([...base, '--by', 'branch'])).stdout, /^fix\\x1b\[2K\\x7f\s/m);
  // Opus 4.6: 1 input token = $0.000005: priced, so never "$0.0000"
  assert.match(project[4], /^Total\s.*\s<\$0\.0001$/);
  const raw = await json([...base, '--by', 'project']);
  assert.equal(raw.rows[0].key, cwd);
  assert.equal(raw.rows[0].costUSD, 0.000005);
  const csv = await cli([...base, '--by', 'project', '--format', 'csv']);
  assert.ok(csv.stdout.split('\r\n')[1].startsWith(`${cwd},`));
});

test('CSV has a column for every field of the JSON rows, with the same values (pricedCostUSD, isoWeek; blocks flattened)', async () => {
  const flat = (r: Record<string, unknown>) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === 'burnRate' || k === 'projection') continue; // flattened into tokensPerMinute, costPerHour, projected*
      out[k] = v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v);
    }
    return out;
  };
  for (const by of ['week', 'model', 'session', 'block']) {
    const j = await json(['report', ...fixtureDirs, '--by', by, '--timezone', 'UTC']);
    const r = await cli(['report', ...fixtureDirs, '--by', by, '--timezone', 'UTC', '--format', 'csv']);
    const [header, ...lines] = r.stdout.split('\r\n').filter(Boolean);
    const cols = header.split(',');
    assert.equal(lines.length, j.rows.length, by);
    j.rows.forEach((row: Record<string, unknown>, i: number) => {
      const cells = lines[i].split(',');
      for (const [k, v] of Object.entries(flat(row))) {
        assert.ok(cols.includes(k), `${by}: CSV lacks the JSON field ${k}`);
        assert.equal(cells[cols.indexOf(k)], v, `${by} row ${i}: ${k}`);
      }
    });
    if (by === 'week') assert.deepEqual(j.rows.map((x: any) => x.isoWeek), ['2026-W14']);
  }
  // columns are appended, existing positions do not move
  const day = (await cli(['report', ...fixtureDirs, '--format', 'csv'])).stdout.split('\r\n')[0];
  assert.ok(day.endsWith(',webSearchRequests,firstTimestamp,lastTimestamp,models,unpricedModels,projectDisplayPath,pricedCostUSD,isoWeek,activity'), day);
  const block = (await cli(['report', ...fixtureDirs, '--format', 'csv', '--by', 'block'])).stdout.split('\r\n')[0];
  assert.ok(block.endsWith(',projectDisplayPath,startTime,endTime,actualEndTime,isGap,isActive,tokensPerMinute,costPerHour,projectedTotalTokens,projectedCostUSD,usageLimitResetTime,pricedCostUSD'), block);
});
