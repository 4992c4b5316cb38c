/**
 * TeamController (src/host/team/teamController.ts) with the fake `vscode`: the URL is stored in the secret storage
 * only after a successful test, never for a login without a role; a URL stored in another window starts this
 * writer's pushes; the tooltip line; a lead is told of an exceeded team budget once per period.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, EventEmitter, shownMessages } from './fakeVscode';
import { parseSettings } from '../../../src/app/settingsParse';
import type { TeamCheckResult, TeamPushRequest } from '../../../src/app/indexWorker/teamRequests';

installFakeVscode();
const { TeamController, TEAM_URL_SECRET } = require('../../../src/host/team/teamController') as typeof import('../../../src/host/team/teamController');

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

function harness(o: { check?: () => Promise<TeamCheckResult>; writer?: boolean; role?: 'lead' | 'member' } = {}) {
  const store = new Map<string, string>();
  const secretEvents = new EventEmitter<{ key: string }>();
  const secrets = {
    get: async (k: string) => store.get(k),
    store: async (k: string, v: string) => { store.set(k, v); secretEvents.fire({ key: k }); },
    delete: async (k: string) => { store.delete(k); secretEvents.fire({ key: k }); },
    onDidChange: secretEvents.event,
  };
  const statusEvents = new EventEmitter<void>();
  const dataEvents = new EventEmitter<void>();
  const settings = parseSettings((k) => ({ 'team.member': 'ana@example.com', 'team.machine': 'laptop', timeZone: 'UTC' } as Record<string, unknown>)[k]).settings;
  const service = {
    getSettings: () => settings,
    getStatus: () => ({ indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: o.writer ?? true }),
    onDidChangeStatus: statusEvents.event,
    model: { onDidChangeData: dataEvents.event },
    saveSoon: () => saves.push(Date.now()),
  };
  const saves: number[] = [];
  const pushes: TeamPushRequest[] = [];
  const checked: string[] = [];
  const backend = {
    teamCheck: async (t: { url: string }) => {
      checked.push(t.url);
      return (o.check ?? (async () => ({ role: 'member' as const, members: ['ana@example.com'] })))();
    },
    teamPush: async (req: TeamPushRequest) => {
      pushes.push(req);
      return { buckets: 7, full: pushes.length === 1 };
    },
    teamSnapshot: async () => ({ team: { role: o.role ?? 'member', budgets: [{ member: null, period: 'monthly', limitUSD: 10, spentUSD: 12, ratio: 1.2 }] } }),
  };
  const state = new Map<string, unknown>();
  const globalState = { get: <T>(k: string, d: T) => (state.has(k) ? state.get(k) : d) as T, update: async (k: string, v: unknown) => void state.set(k, v) };
  const fired: { kind: string; value: number | null; threshold: number | null; message: string }[] = [];
  const c = new TeamController(secrets as never, service as never, backend as never, quiet, '1.2.3', globalState as never, (alerts) => fired.push(...alerts));
  return { c, store, pushes, checked, secrets, state, saves, fired };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

test('connect: a bad URL is refused before any test; a failed test or a login without a role stores nothing', async () => {
  const h = harness({ check: async () => { throw new Error('team database x: login refused (password authentication failed)'); } });
  await assert.rejects(h.c.connect('https://example.com'), /not a PostgreSQL URL/);
  assert.deepEqual(h.checked, []);
  await assert.rejects(h.c.connect('postgres://ana:wrong@db/team'), /login refused/);
  assert.equal(h.store.size, 0);
  assert.equal(h.c.connected, false);
  const none = harness({ check: async () => ({ role: 'none', members: [] }) });
  await assert.rejects(none.c.connect('postgres://x:y@db/team'), /neither a member nor a lead/);
  assert.equal(none.store.size, 0);
  h.c.dispose();
  none.c.dispose();
});

test('connect stores the URL in the secret storage and the writer pushes as the configured member and machine; disconnect forgets it', async () => {
  const h = harness();
  const check = await h.c.connect('  postgres://ana:pw@db:5432/team?sslmode=require ');
  assert.equal(check.role, 'member');
  assert.equal(h.store.get(TEAM_URL_SECRET), 'postgres://ana:pw@db:5432/team?sslmode=require');
  await h.c.sync.scheduler.idle();
  await settle();
  assert.ok(h.pushes.length >= 1);
  assert.deepEqual({ member: h.pushes[0]!.member, machine: h.pushes[0]!.machine, version: h.pushes[0]!.version }, { member: 'ana@example.com', machine: 'laptop', version: '1.2.3' });
  assert.match(h.c.tooltipLine('en')!, /^Team database: last push .*\(7 buckets\)$/);
  assert.ok(h.saves.length >= 1, 'the push\'s watermark (in the index\'s meta) is saved');
  await h.c.disconnect();
  assert.equal(h.store.size, 0);
  assert.equal(h.c.tooltipLine('en'), undefined);
  h.c.dispose();
});

test('a URL stored by another window reaches this one; a reader window does not push', async () => {
  const reader = harness({ writer: false });
  await reader.secrets.store(TEAM_URL_SECRET, 'postgres://ana:pw@db/team');
  await settle();
  assert.equal(reader.c.connected, true);
  assert.equal(reader.pushes.length, 0);
  assert.match(reader.c.tooltipLine('en')!, /window that maintains the index pushes/);
  reader.c.dispose();
});

test('a lead is told of an exceeded team budget once per period; a member is not', async () => {
  shownMessages.length = 0;
  const lead = harness({ role: 'lead' });
  await lead.c.connect('postgres://lead:pw@db/team');
  await lead.c.sync.scheduler.idle();
  await settle();
  await lead.c.sync.pushNow();
  await settle();
  const told = shownMessages.filter((m) => /team budget/.test(m));
  assert.equal(told.length, 1, shownMessages.join(' | '));
  assert.match(told[0]!, /The team spent \$12\.00 of the monthly team budget of \$10\.00 \(120 %\)/);
  // recorded like every notification (the alert history, the budget rule's webhook): value % of the budget, threshold 100
  assert.deepEqual(lead.fired.map((a) => [a.kind, a.value, a.threshold]), [['budget', 120, 100]]);
  assert.ok(told[0]!.endsWith(lead.fired[0]!.message));
  await lead.c.sync.pushNow();
  await settle();
  assert.equal(lead.fired.length, 1, 'told once per period');
  lead.c.dispose();
  shownMessages.length = 0;
  const member = harness({ role: 'member' });
  await member.c.connect('postgres://ana:pw@db/team');
  await member.c.sync.scheduler.idle();
  await settle();
  assert.deepEqual(shownMessages.filter((m) => /team budget/.test(m)), []);
  assert.deepEqual(member.fired, []);
  member.c.dispose();
});
