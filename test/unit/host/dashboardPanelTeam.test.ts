/**
 * The dashboard panel's team scopes (src/host/dashboard/panel.ts): a team scope asks the worker's team snapshot with
 * the connected database and this machine's member; the local data's reload stays pending for the next local
 * snapshot; a failed team read shows this machine's usage with the reason; without a database the scope is ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, EventEmitter, webviewPanels } from './fakeVscode';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../../src/shared/protocol';
import { parseSettings } from '../../../src/app/settingsParse';
import type { UsageSource } from '../../../src/host/usageSource';

installFakeVscode();
const { DashboardPanel } = require('../../../src/host/dashboard/panel') as typeof import('../../../src/host/dashboard/panel');

const settings = parseSettings(() => undefined).settings;
const context = { extensionUri: { path: '/ext' } } as unknown as import('vscode').ExtensionContext;
const settle = () => new Promise((r) => setTimeout(r, 20));

function fakes(o: { teamFails?: boolean; connected?: boolean } = {}) {
  const asked: { kind: 'local' | 'team'; filters: DashboardFilters; reload: boolean; q: Record<string, unknown> }[] = [];
  const changed = new EventEmitter<void>();
  const source = {
    onDidChange: changed.event,
    hasData: () => true,
    getSettings: () => settings,
    getStatus: () => ({ indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true }),
    index: {
      dashboardSnapshot: async (q: { filters: DashboardFilters; reload: boolean }) => {
        asked.push({ kind: 'local', filters: q.filters, reload: q.reload, q });
        return { filters: q.filters, n: asked.length } as unknown;
      },
      teamSnapshot: async (q: { filters: DashboardFilters; reload: boolean }) => {
        asked.push({ kind: 'team', filters: q.filters, reload: q.reload, q });
        if (o.teamFails) throw new Error('team database x unreachable (ECONNREFUSED)');
        return { filters: q.filters, n: asked.length, team: { scope: 'team' } } as unknown;
      },
    },
  } as unknown as UsageSource;
  const teamChanged = new EventEmitter<void>();
  const team = {
    target: () => (o.connected === false ? undefined : { url: 'postgres://ana:pw@db/team', caFile: null }),
    member: async () => 'ana@example.com',
    onDidChange: teamChanged.event,
  };
  return { source, team, asked, changed };
}

const posted = (view: { posted: unknown[] }) =>
  view.posted.filter((m) => (m as { event?: string }).event === 'snapshot').map((m) => (m as { body: Record<string, unknown> }).body);

test('a team scope asks the team snapshot; the local reload waits for the next local snapshot', async () => {
  const { source, team, asked, changed } = fakes();
  const panel = DashboardPanel.createOrShow(context, source, team);
  const view = webviewPanels.at(-1)!;
  try {
    view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
    await settle();
    const first = posted(view).at(-1)!;
    assert.deepEqual((first.team as { scope: string }).scope, 'local', 'the scope switch is offered');
    changed.fire(); // new local usage
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, scope: 'team' } } });
    await settle();
    const t = asked.find((a) => a.kind === 'team')!;
    assert.equal(t.q.member, 'ana@example.com');
    assert.deepEqual(t.q.target, { url: 'postgres://ana:pw@db/team', caFile: null });
    assert.equal(t.q.scope, 'team');
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: DEFAULT_FILTERS } });
    await new Promise((r) => setTimeout(r, 400));
    const local = asked.filter((a) => a.kind === 'local').at(-1)!;
    assert.equal(local.reload, true, 'the local facts are read again after the change seen in the team scope');
    assert.equal(local.filters.scope, undefined);
  } finally {
    panel.dispose();
  }
});

test('a failed team read shows this machine\'s usage with the reason; without a database the scope is ignored', async () => {
  {
    const { source, team, asked } = fakes({ teamFails: true });
    const panel = DashboardPanel.createOrShow(context, source, team);
    const view = webviewPanels.at(-1)!;
    try {
      view.receive({ kind: 'event', event: 'ready', body: { filters: { ...DEFAULT_FILTERS, scope: 'me-all' } } });
      await settle();
      assert.deepEqual(asked.map((a) => a.kind).slice(-2), ['team', 'local']);
      const shown = posted(view).at(-1)!;
      assert.deepEqual(shown.team, { scope: 'local', role: null, member: 'ana@example.com', error: 'team database x unreachable (ECONNREFUSED)', members: [], machines: [], freshness: [], budgets: [] });
    } finally {
      panel.dispose();
    }
  }
  {
    const { source, team, asked } = fakes({ connected: false });
    const panel = DashboardPanel.createOrShow(context, source, team);
    const view = webviewPanels.at(-1)!;
    try {
      view.receive({ kind: 'event', event: 'ready', body: { filters: { ...DEFAULT_FILTERS, scope: 'team' } } });
      await settle();
      assert.ok(asked.every((a) => a.kind === 'local'));
      assert.equal(posted(view).at(-1)!.team, undefined, 'no scope switch without a team database');
    } finally {
      panel.dispose();
    }
  }
});
