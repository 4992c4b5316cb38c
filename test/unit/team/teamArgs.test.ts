import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/cli/args';
import { isTeamCommand, parseTeamCli } from '../../../src/cli/teamArgs';

test('team commands are told from report', () => {
  assert.ok(isTeamCommand(['sync']));
  assert.ok(isTeamCommand(['team', 'init']));
  assert.ok(isTeamCommand(['report', '--by', 'member', '--team']));
  assert.ok(!isTeamCommand(['report', '--by', 'day']));
});

test('sync takes the report index options and the team options', () => {
  const c = parseTeamCli(['sync', '--postgres', 'postgres://u@h/d', '--member', 'a@b', '--machine', 'm1', '--projects', 'hash',
    '--project-salt', 's', '--claude-dir', '/x', '--codex-dir', 'none', '--db', '/tmp/i.sqlite', '--source', 'claude,codex'], {});
  assert.equal(c.kind, 'sync');
  if (c.kind !== 'sync') return;
  assert.deepEqual([c.args.postgres, c.args.member, c.args.machine, c.args.projects, c.args.salt], ['postgres://u@h/d', 'a@b', 'm1', 'hash', 's']);
  assert.deepEqual(c.args.index.dirs, { claude: ['/x'], codex: ['none'] });
  assert.equal(c.args.index.db, '/tmp/i.sqlite');
  assert.deepEqual(c.args.index.sources, ['claude', 'codex']);
  const salted = parseTeamCli(['sync', '--projects', 'hash'], { AGENTMETER_PROJECT_SALT: 'env-salt' });
  assert.equal(salted.kind === 'sync' && salted.args.salt, 'env-salt');
});

test('bad arguments are one-line usage errors', () => {
  for (const argv of [
    ['sync', '--projects', 'hash'], ['sync', '--member', ''], ['sync', '--postgres', 'http://x'], ['sync', 'extra'],
    ['sync', '--unknown'], ['team'], ['team', 'add-member', '--member', 'x'], ['team', 'budget', '--period', 'daily', '--usd', '-1'],
    ['report', '--team', '--by', 'block'], ['report', '--team', '--since', '2026-13-01'],
  ]) {
    assert.throws(() => parseTeamCli(argv, {}), (e: unknown) => e instanceof UsageError && !e.message.includes('\n'), argv.join(' '));
  }
});

test('report --team: member by default, the report options', () => {
  const c = parseTeamCli(['report', '--team', '--since', '2026-10-01', '--timezone', 'Europe/Berlin', '--format', 'json'], {});
  assert.equal(c.kind, 'team-report');
  if (c.kind !== 'team-report') return;
  assert.deepEqual([c.args.by, c.args.since, c.args.timeZone, c.args.format], ['member', '2026-10-01', 'Europe/Berlin', 'json']);
  const b = parseTeamCli(['team', 'budget', '--period', 'weekly', '--usd', 'none', '--member', 'bob'], {});
  assert.deepEqual(b.kind === 'team-budget' && [b.args.period, b.args.usd, b.args.member], ['weekly', null, 'bob']);
});

test('report --team: report documents (md|html|xlsx|pdf) with --out, --template and --period', () => {
  const c = parseTeamCli(['report', '--team', '--format', 'xlsx', '--out', 'team.xlsx', '--template', 'sessions', '--period', 'all', '--timezone', 'UTC'], {});
  assert.ok(c.kind === 'team-report');
  if (c.kind !== 'team-report') return;
  assert.deepEqual([c.args.format, c.args.out, c.args.template, c.args.period], ['xlsx', 'team.xlsx', 'sessions', 'all']);
  const md = parseTeamCli(['report', '--team', '--format', 'md'], {});
  assert.deepEqual(md.kind === 'team-report' && [md.args.format, md.args.out, md.args.template], ['md', undefined, undefined]);
  const month = parseTeamCli(['report', '--team', '--format', 'md', '--period', 'last-month', '--timezone', 'UTC'], {});
  assert.ok(month.kind === 'team-report' && /^\d{4}-\d\d-01$/.test(month.args.since ?? ''));
  for (const [argv, message] of [
    [['--format', 'pdf'], /--format pdf needs --out FILE/],
    [['--format', 'json', '--out', 'x'], /--out is only for --format md\|html\|xlsx\|pdf/],
    [['--format', 'md', '--template', 'nope'], /--template must be one of/],
    [['--format', 'md', '--period', 'today', '--since', '2026-01-01'], /--period cannot be used with --since/],
  ] as const) {
    assert.throws(() => parseTeamCli(['report', '--team', ...argv], {}), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  }
});
