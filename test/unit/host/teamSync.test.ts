/** TeamSync (src/host/team/teamSync.ts): pushes only from the writer with a database connected; what a push request carries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TeamSync, type TeamBackend } from '../../../src/host/team/teamSync';
import { parseSettings } from '../../../src/app/settingsParse';
import type { TeamSettings } from '../../../src/app/settings';
import type { TeamPushRequest } from '../../../src/app/indexWorker/teamRequests';
import type { SetTimer } from '../../../src/host/indexSaver';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

function harness() {
  let url: string | undefined;
  let writer = false;
  let settings: TeamSettings = parseSettings((k) => ({ 'team.projects': 'hash', 'team.projectSalt': 'pepper', 'team.caFile': '/etc/ca.pem' } as Record<string, unknown>)[k]).settings.team;
  const requests: TeamPushRequest[] = [];
  const timers: { ms: number; cancelled: boolean }[] = [];
  const setTimer: SetTimer = (_fn, ms) => {
    const t = { ms, cancelled: false };
    timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  };
  const backend: TeamBackend = {
    async teamPush(req, onProgress) {
      requests.push(req);
      onProgress?.({ batch: 1, batches: 2, buckets: 5000 });
      onProgress?.({ batch: 2, batches: 2, buckets: 12000 });
      return { buckets: 12000, full: requests.length === 1 };
    },
    async teamCheck() {
      return { role: 'member', members: ['ana@example.com'] };
    },
  };
  const sync = new TeamSync({
    backend, url: () => url, settings: () => settings, isWriter: () => writer, version: '9.9.9', logger: quiet, setTimer,
    identity: async () => ({ member: `O'Brien "ana"`, machine: 'ana-laptop' }),
  });
  return {
    sync, requests, timers,
    set: (o: { url?: string; writer?: boolean; settings?: TeamSettings }) => {
      if ('url' in o) url = o.url;
      if (o.writer !== undefined) writer = o.writer;
      if (o.settings) settings = o.settings;
    },
  };
}

test('no database connected or a reader window: nothing is pushed, even on request', async () => {
  const h = harness();
  h.set({ writer: true });
  h.sync.update();
  await h.sync.pushNow();
  h.set({ url: 'postgres://ana@db/team', writer: false });
  h.sync.update();
  h.sync.dataChanged();
  await h.sync.pushNow();
  assert.deepEqual(h.requests, []);
  assert.deepEqual(h.timers, []);
});

test('the writer with a database: pushes at once with the identity and settings, forwards progress; stops when the role goes', async () => {
  const h = harness();
  const progress: number[] = [];
  h.sync.onProgress((p) => progress.push(p.buckets));
  h.set({ url: 'postgres://ana:pw@db:5432/team?sslmode=verify-full', writer: true });
  h.sync.update();
  await h.sync.scheduler.idle();
  assert.equal(h.requests.length, 1);
  assert.deepEqual(h.requests[0], {
    url: 'postgres://ana:pw@db:5432/team?sslmode=verify-full', caFile: '/etc/ca.pem', member: `O'Brien "ana"`, machine: 'ana-laptop',
    projects: 'hash', projectSalt: 'pepper', version: '9.9.9',
  });
  assert.deepEqual(progress, [5000, 12000]);
  assert.equal(h.sync.lastOutcome?.full, true);
  assert.equal(h.sync.state.lastBuckets, 12000);
  assert.equal(h.timers.filter((t) => !t.cancelled).length, 1, 'the period is planned');
  h.set({ writer: false });
  h.sync.update();
  assert.equal(h.timers.filter((t) => !t.cancelled).length, 0);
});

test('automatic pushes off: nothing planned, a push on request still runs', async () => {
  const h = harness();
  const off = parseSettings((k) => (k === 'team.push.enabled' ? false : undefined)).settings.team;
  h.set({ url: 'postgres://ana@db/team', writer: true, settings: off });
  h.sync.update();
  h.sync.dataChanged();
  assert.equal(h.requests.length, 0);
  assert.equal(h.timers.length, 0);
  await h.sync.pushNow();
  assert.equal(h.requests.length, 1);
  assert.equal(h.timers.filter((t) => !t.cancelled).length, 0, 'no period while automatic pushes are off');
});

test('hash mode without a salt: nothing is pushed, the reason is the error', async () => {
  const h = harness();
  const noSalt = parseSettings((k) => (k === 'team.projects' ? 'hash' : undefined)).settings.team;
  h.set({ url: 'postgres://ana@db/team', writer: true, settings: noSalt });
  await assert.rejects(h.sync.pushNow(), /projectSalt is empty/);
  assert.equal(h.requests.length, 0);
  assert.match(h.sync.state.lastError ?? '', /projectSalt is empty/);
});
