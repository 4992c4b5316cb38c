import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTeamIdentity } from '../../../src/host/team/identity';

test('member: the setting, else git user.email, else the OS user; machine: the setting, else the host name', async () => {
  const deps = { gitEmail: async () => 'ana@example.com', hostName: () => 'ana-laptop', osUser: () => 'ana' };
  assert.deepEqual(await resolveTeamIdentity({ member: null, machine: null }, deps), { member: 'ana@example.com', machine: 'ana-laptop' });
  assert.deepEqual(await resolveTeamIdentity({ member: 'Ana R.', machine: 'build-3' }, deps), { member: 'Ana R.', machine: 'build-3' });
  assert.deepEqual(await resolveTeamIdentity({ member: null, machine: null }, { ...deps, gitEmail: async () => null }), { member: 'ana', machine: 'ana-laptop' });
});

test('the real git is asked when no member is set (a string, or the OS user when git has none)', async () => {
  const id = await resolveTeamIdentity({ member: null, machine: 'm' });
  assert.equal(typeof id.member, 'string');
  assert.ok(id.member.length > 0);
  assert.equal(id.machine, 'm');
});
