/**
 * The dashboard panel's part in the paged sessions table: the webview's `sessionsPage` is answered from the index
 * worker's kept table, or (that table replaced) with a new snapshot carrying the page; every later snapshot carries the
 * order and page last asked for, new filters start at page one, and a restored panel keeps its saved order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, EventEmitter, webviewPanels } from './fakeVscode';
import { DEFAULT_FILTERS, type DashboardFilters, type SessionsPageOf } from '../../../src/shared/protocol';
import { parseSettings } from '../../../src/app/settingsParse';
import type { UsageSource } from '../../../src/host/usageSource';

installFakeVscode();
const { DashboardPanel } = require('../../../src/host/dashboard/panel') as typeof import('../../../src/host/dashboard/panel');

const settings = parseSettings(() => undefined).settings;
const context = { extensionUri: { path: '/ext' } } as unknown as import('vscode').ExtensionContext;
const settle = () => new Promise((r) => setTimeout(r, 20));
type Sessions = { sort: { key: string; dir: string }; offset: number };

function fakeSource(keptTable: () => number | null) {
  const snapshots: { filters: DashboardFilters; sessions: Sessions }[] = [];
  const pages: SessionsPageOf[] = [];
  const source = {
    onDidChange: new EventEmitter<void>().event,
    hasData: () => true,
    getSettings: () => settings,
    getStatus: () => ({ indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true }),
    index: {
      dashboardSnapshot: async (q: { filters: DashboardFilters; sessions: Sessions }) => {
        snapshots.push({ filters: q.filters, sessions: q.sessions });
        return { filters: q.filters, n: snapshots.length } as unknown;
      },
      dashboardSessions: async (q: SessionsPageOf) => {
        pages.push(q);
        return keptTable() === q.table ? { ...q, total: 1234, rows: [] } : null;
      },
    },
  } as unknown as UsageSource;
  return { source, snapshots, pages };
}

const posted = (view: { posted: unknown[] }, event: string) => view.posted.filter((m) => (m as { event?: string }).event === event).map((m) => (m as { body: unknown }).body);

test('a page is answered from the kept table; a replaced table gets a new snapshot with that page; new filters start at page one', async () => {
  let kept: number | null = 7;
  const { source, snapshots, pages } = fakeSource(() => kept);
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  try {
    assert.deepEqual(snapshots[0].sessions, { sort: { key: 'start', dir: 'desc' }, offset: 0 }, 'the first page, newest first');
    view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
    await settle();
    const byCost = { table: 7, sort: { key: 'cost', dir: 'desc' }, offset: 300 };
    view.receive({ kind: 'event', event: 'sessionsPage', body: byCost });
    await settle();
    assert.deepEqual(pages, [byCost]);
    assert.deepEqual(posted(view, 'sessionsPage'), [{ ...byCost, total: 1234, rows: [] }]);
    assert.equal(snapshots.length, 1, 'no snapshot for a page');
    // a malformed ask is dropped before the worker sees it
    view.receive({ kind: 'event', event: 'sessionsPage', body: { table: 7, sort: { key: '__proto__', dir: 'desc' }, offset: 0 } });
    await settle();
    assert.equal(pages.length, 1);
    // the worker made a later snapshot meanwhile: a new snapshot carries the page asked for
    kept = 8;
    const next = { table: 7, sort: { key: 'cost', dir: 'desc' }, offset: 400 };
    view.receive({ kind: 'event', event: 'sessionsPage', body: next });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(snapshots.length, 2);
    assert.deepEqual(snapshots[1].sessions, { sort: next.sort, offset: 400 });
    assert.equal(posted(view, 'snapshot').length, 2);
    // new filters: the order stays, page one
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, range: 'all' } } });
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(snapshots.at(-1), { filters: { ...DEFAULT_FILTERS, range: 'all' }, sessions: { sort: next.sort, offset: 0 } });
    // the page loaded again (a hidden tab shown): the order stays, page one
    view.receive({ kind: 'event', event: 'sessionsPage', body: { ...next, table: 8 } });
    await settle();
    view.receive({ kind: 'event', event: 'ready', body: { filters: { ...DEFAULT_FILTERS, range: 'all' } } });
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(snapshots.at(-1)!.sessions, { sort: next.sort, offset: 0 });
  } finally {
    panel.dispose();
  }
});

test('a restored panel asks its first snapshot in the order saved in the webview state (a malformed one: newest first)', async () => {
  const { source, snapshots } = fakeSource(() => null);
  const view = webviewPanelsStub();
  for (const [state, want] of [
    [{ filters: DEFAULT_FILTERS, sort: { sessions: { key: 'tokens', dir: 'asc' } } }, { key: 'tokens', dir: 'asc' }],
    [{ filters: DEFAULT_FILTERS, sort: { sessions: { key: 'tokens', dir: 'sideways' } } }, { key: 'start', dir: 'desc' }],
  ] as const) {
    const panel = DashboardPanel.revive(view.create(), context, source, state);
    try {
      assert.deepEqual(snapshots.at(-1)!.sessions, { sort: want, offset: 0 });
    } finally {
      panel.dispose();
    }
  }
});

/** A webview panel from the fake vscode, as VS Code hands one to the serializer. */
function webviewPanelsStub() {
  const vscode = require('vscode') as typeof import('vscode');
  return { create: () => vscode.window.createWebviewPanel('agentMeter.dashboard', 'AgentMeter', vscode.ViewColumn.One, {}) };
}

test('a session looked for: its page is posted and later snapshots carry it; not found in a replaced table: nothing', async () => {
  let kept: number | null = 3;
  const { source, snapshots, pages } = fakeSource(() => kept);
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  try {
    view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
    await settle();
    const find = { table: 3, sort: { key: 'cost', dir: 'desc' }, offset: 0, find: { source: 'claude', session: 's250' } };
    view.receive({ kind: 'event', event: 'sessionsPage', body: find });
    await settle();
    assert.deepEqual(pages.at(-1), find);
    assert.equal(posted(view, 'sessionsPage').length, 1);
    kept = 4;
    view.receive({ kind: 'event', event: 'sessionsPage', body: find });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(snapshots.length, 1, 'no snapshot pushed for a session looked for in a table no longer kept');
  } finally {
    panel.dispose();
  }
});
