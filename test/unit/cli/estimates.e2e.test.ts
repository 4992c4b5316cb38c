import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, fixture, repo } from './cliRun';

before(ensureBuilt);

const OPUS = 'claude-opus-4-5-20251101';
const SONNET = 'claude-sonnet-4-5-20250929';
const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `expected ${b}, got ${a}`);

/**
 * The CLI fixture tree (Claude logs of 2026-04-01/02, Codex of 2026-04-02) with Claude Code's stats cache in the
 * Claude config folder: the source fixture (days 2026-03-01 … 03-04) plus 2026-04-01, a day the logs cover.
 */
function tree(withStats = true): string[] {
  const work = mkdtempSync(join(tmpdir(), 'agentmeter-estimates-'));
  cpSync(fixture, work, { recursive: true });
  if (withStats) {
    const stats = JSON.parse(readFileSync(join(repo, 'src', 'core', 'sources', 'claude', 'fixtures', 'config', 'stats-cache.json'), 'utf8'));
    stats.dailyModelTokens.push({ date: '2026-04-01', tokensByModel: { [SONNET]: 99_999 } });
    writeFileSync(join(work, 'claude', 'stats-cache.json'), JSON.stringify(stats, null, 2));
  }
  return ['--claude-dir', join(work, 'claude'), '--codex-dir', join(work, 'codex'), '--no-cache', '--timezone', 'UTC'];
}

async function run(args: string[]) {
  const r = await cli(['report', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r;
}
const jsonOf = async (args: string[]) => {
  const r = await run([...args, '--format', 'json']);
  return { out: JSON.parse(r.stdout), stderr: r.stderr };
};

test('without --estimates: the same JSON as without a stats cache, and one line on stderr saying what could be estimated', async () => {
  const dirs = tree();
  const [withStats, without] = await Promise.all([jsonOf(dirs), jsonOf(tree(false))]);
  assert.deepEqual(withStats.out, without.out);
  assert.equal(without.stderr, '');
  const lines = withStats.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /4 day\(s\) without Claude logs can be estimated from Claude Code's stats cache \(not included; add --estimates\)/);
  const csv = await run([...dirs, '--format', 'csv']);
  assert.ok(!csv.stdout.split('\r\n')[0].includes('estimated'));
});

test('--estimates JSON by day: estimated rows marked, exact rows unchanged, covered days from the logs, totals say the estimated part', async () => {
  const dirs = tree();
  const [{ out: exact }, { out, stderr }] = await Promise.all([jsonOf(dirs), jsonOf([...dirs, '--estimates'])]);
  assert.equal(stderr, '');
  assert.deepEqual(out.rows.map((r: any) => [r.key, r.estimated]), [
    ['2026-03-01', true], ['2026-03-02', true], ['2026-03-03', true], ['2026-03-04', true],
    ['2026-04-01', false], ['2026-04-02', false], // 2026-04-01 has stats too, but the logs cover it: exact only
  ]);
  // the exact rows are the rows of the report without estimates, plus estimated: false
  assert.deepEqual(out.rows.slice(4).map(({ estimated, ...r }: any) => r), exact.rows);
  const mar2 = out.rows[1];
  assert.deepEqual(
    [mar2.requests, mar2.inputTokens, mar2.outputTokens, mar2.cacheCreation5mTokens, mar2.cacheCreation1hTokens, mar2.cacheReadTokens, mar2.models],
    [0, 64_603, 15_474, 6_460_332, 0, 127_272_417, [OPUS]],
  );
  assert.equal(mar2.firstTimestamp, null);
  // opus 4.5: $5 input, $25 output, $6.25 5-minute cache writes, $0.50 cache reads per million
  near(mar2.costUSD, (64_603 * 5 + 15_474 * 25 + 6_460_332 * 6.25 + 127_272_417 * 0.5) / 1e6);
  const est = out.rows.slice(0, 4);
  const sum = (rows: any[], k: string) => rows.reduce((n, r) => n + r[k], 0);
  assert.equal(out.totals.estimated.days, 4);
  assert.equal(out.totals.estimated.key, 'estimated');
  assert.equal(out.totals.estimated.totalTokens, sum(est, 'totalTokens'));
  near(out.totals.estimated.costUSD, sum(est, 'costUSD'));
  assert.equal(out.totals.totalTokens, exact.totals.totalTokens + sum(est, 'totalTokens'));
  assert.equal(out.totals.requests, exact.totals.requests);
  // input + output of the estimated days are exactly Claude Code's daily figures
  assert.equal(sum(est, 'inputTokens') + sum(est, 'outputTokens'), 120_034 + 15_001 + 80_077 + 40_333 + 201_000 + 9_611);
});

test('--estimates: days keep the date Claude Code wrote in any zone; --since/--until select them by date; by month', async () => {
  const dirs = tree();
  const ny = await jsonOf([...dirs, '--estimates', '--timezone', 'America/New_York']);
  assert.deepEqual(ny.out.rows.filter((r: any) => r.estimated).map((r: any) => r.key), ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
  const tokyo = await jsonOf([...dirs, '--estimates', '--timezone', 'Asia/Tokyo', '--since', '2026-03-03', '--until', '2026-04-01']);
  assert.deepEqual(tokyo.out.rows.map((r: any) => [r.key, r.estimated]), [['2026-03-03', true], ['2026-03-04', true], ['2026-04-01', false]]);
  assert.equal(tokyo.out.totals.estimated.days, 2);
  const month = await jsonOf([...dirs, '--estimates', '--by', 'month']);
  assert.deepEqual(month.out.rows.map((r: any) => [r.key, r.estimated]), [['2026-03', true], ['2026-04', false]]);
});

test('--estimates CSV by model: an estimated column; table: ≈ before the figures and a footnote with the estimated part', async () => {
  const dirs = tree();
  const csv = await run([...dirs, '--estimates', '--by', 'model', '--format', 'csv']);
  const lines = csv.stdout.split('\r\n').filter(Boolean);
  const header = lines[0].split(',');
  assert.equal(header.at(-1), 'estimated');
  const rows = lines.slice(1).map((l) => l.split(','));
  const flags = rows.map((r) => [r[0], r[1], r.at(-1)]);
  assert.deepEqual(flags.filter((f) => f[2] === 'true'), [[OPUS, 'claude', 'true'], [SONNET, 'claude', 'true']]);
  assert.ok(flags.filter((f) => f[2] === 'false').length >= 4, 'the exact model rows (Claude and Codex)');

  const table = (await run([...dirs, '--estimates'])).stdout;
  assert.match(table, /^2026-03-02\s+–\s+≈64,603\s+≈15,474\s+≈6,460,332\s+≈127,272,417\s+≈133,812,826\s+≈\$104\.72$/m);
  assert.match(table, /^2026-04-01\s+3\s+2,110\s/m);
  assert.match(table, /≈ estimated from Claude Code's stats cache .*: 4 day\(s\), [\d,]+ tokens, \$[\d,.]+ of\s+the Total\./s);
});

test('--estimates by a grouping without dates or models (session, block): left out with one line on stderr, JSON unchanged', async () => {
  const dirs = tree();
  const [plain, asked] = await Promise.all([jsonOf([...dirs, '--by', 'session']), jsonOf([...dirs, '--by', 'session', '--estimates'])]);
  assert.deepEqual(asked.out, plain.out);
  assert.match(asked.stderr, /estimated days are shown --by day, week, month, model or source only \(4 day\(s\) left out --by session\)/);
  const block = await run([...dirs, '--by', 'block', '--estimates']);
  assert.match(block.stderr, /\(4 day\(s\) left out --by block\)/);
  assert.ok(!block.stdout.includes('≈'));
  // a report of other sources only says nothing about Claude's stats cache
  const codex = await run([...dirs, '--source', 'codex']);
  assert.equal(codex.stderr, '');
});

test('the stats cache is kept in the index file: a later run without the file still estimates its days', async () => {
  const dirs = tree().filter((a) => a !== '--no-cache');
  const db = join(mkdtempSync(join(tmpdir(), 'agentmeter-estimates-db-')), 'index.sqlite');
  const first = await jsonOf([...dirs, '--db', db, '--estimates']);
  const claudeDir = dirs[dirs.indexOf('--claude-dir') + 1];
  writeFileSync(join(claudeDir, 'stats-cache.json'), '{"version": 2, "dailyAc'); // caught mid-write: skipped
  const second = await jsonOf([...dirs, '--db', db, '--estimates']);
  assert.deepEqual(second.out, first.out);
  assert.match(second.stderr, /stats-cache\.json skipped: not valid JSON/);
  rmSync(join(claudeDir, 'stats-cache.json')); // deleted: its days stay
  const third = await jsonOf([...dirs, '--db', db, '--estimates']);
  assert.deepEqual(third.out, first.out);
});
