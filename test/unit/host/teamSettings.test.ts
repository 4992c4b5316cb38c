import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings, DEFAULT_TEAM_PUSH_MINUTES, TEAM_NAME_MAX } from '../../../src/app/settingsParse';

const from = (o: Record<string, unknown>) => (k: string) => o[k];

test('team defaults: member and machine left to the host (git user.email, host name), folder names, push on every 15 min', () => {
  const { settings, warnings } = parseSettings(from({}));
  assert.deepEqual(warnings, []);
  assert.deepEqual(settings.team, {
    member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null,
    push: { enabled: true, intervalMs: DEFAULT_TEAM_PUSH_MINUTES * 60_000 },
  });
});

test('team values as VS Code returns them: trimmed names, path mode, salt kept as is, CA file, interval', () => {
  const { settings, warnings } = parseSettings(from({
    'team.member': '  ana@example.com ',
    'team.machine': 'build-box-3',
    'team.projects': 'hash',
    'team.projectSalt': ' s3cret ',
    'team.caFile': ' /etc/ssl/team-ca.pem ',
    'team.push.enabled': false,
    'team.push.intervalMinutes': 2.5,
  }));
  assert.deepEqual(warnings, []);
  assert.deepEqual(settings.team, {
    member: 'ana@example.com', machine: 'build-box-3', projects: 'hash', projectSalt: ' s3cret ', caFile: '/etc/ssl/team-ca.pem',
    push: { enabled: false, intervalMs: 150_000 },
  });
});

test('a member name with quotes or SQL in it is just text (the push binds it as a parameter)', () => {
  const name = `O'Brien"); DROP TABLE team_usage; --`;
  const { settings, warnings } = parseSettings(from({ 'team.member': name }));
  assert.deepEqual(warnings, []);
  assert.equal(settings.team.member, name);
});

test('bad team values: one warning each, the default used, nothing thrown', () => {
  const { settings, warnings } = parseSettings(from({
    'team.member': 'ana\nbob',
    'team.machine': 'x'.repeat(TEAM_NAME_MAX + 1),
    'team.projects': 'everything',
    'team.push.intervalMinutes': 0,
  }));
  assert.equal(settings.team.member, null);
  assert.equal(settings.team.machine, null);
  assert.equal(settings.team.projects, 'folder');
  assert.equal(settings.team.push.intervalMs, DEFAULT_TEAM_PUSH_MINUTES * 60_000);
  assert.equal(warnings.length, 4, warnings.join('\n'));
  assert.match(warnings[0]!, /agentMeter\.team\.member/);
  assert.match(warnings[1]!, /agentMeter\.team\.machine/);
  assert.match(warnings[2]!, /agentMeter\.team\.projects/);
  assert.match(warnings[3]!, /intervalMinutes/);
  const wrongType = parseSettings(from({ 'team.member': 42, 'team.push.intervalMinutes': 5000 }));
  assert.equal(wrongType.settings.team.member, null);
  assert.equal(wrongType.warnings.length, 2);
});

test('the manifest contributes every team setting, the three team commands, and never a URL setting', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { scope?: string; default?: unknown }> }; commands: { command: string; category: string }[] };
    activationEvents: string[];
  };
  const props = pkg.contributes.configuration.properties;
  for (const key of ['member', 'machine', 'projects', 'projectSalt', 'caFile', 'push.enabled', 'push.intervalMinutes']) {
    assert.ok(props[`agentMeter.team.${key}`], `agentMeter.team.${key}`);
  }
  // the member follows the user to remote hosts (application), the machine label and CA file are per host (machine)
  assert.equal(props['agentMeter.team.member']!.scope, 'application');
  assert.equal(props['agentMeter.team.machine']!.scope, 'machine');
  assert.equal(props['agentMeter.team.caFile']!.scope, 'machine');
  assert.deepEqual(Object.keys(props).filter((k) => /url|postgres|password/i.test(k)), []);
  // titles and categories are %keys% of package.nls.json (the localized manifest)
  const nls = JSON.parse(readFileSync(join(__dirname, '../../../package.nls.json'), 'utf8')) as Record<string, string>;
  const text = (v: string | undefined) => (v && /^%.+%$/.test(v) ? nls[v.slice(1, -1)] : v);
  for (const id of ['agentMeter.team.connect', 'agentMeter.team.disconnect', 'agentMeter.team.pushNow']) {
    assert.equal(text(pkg.contributes.commands.find((c) => c.command === id)?.category), 'AgentMeter', id);
    assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), id);
  }
});
