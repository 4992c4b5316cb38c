/**
 * The dashboard panel asks the index worker for its first snapshot when it is created, so the worker builds it while
 * the webview loads; the webview's `ready` gets that snapshot when its filters are the same and nothing changed.
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

/** `holdPrepare`: the worker's all-time prepare is answered (with snapshot n = 100) only at `release()`. */
function fakeSource(o: { holdPrepare?: boolean } = {}) {
  const asked: { filters: DashboardFilters; reload: boolean; atReady: boolean }[] = [];
  let release: () => void = () => {};
  const changed = new EventEmitter<void>();
  let ready = false;
  const source = {
    onDidChange: changed.event,
    hasData: () => true,
    getSettings: () => settings,
    getStatus: () => ({ indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true }),
    index: {
      dashboardSnapshot: async (q: { filters: DashboardFilters; reload: boolean }) => {
        asked.push({ filters: q.filters, reload: q.reload, atReady: ready });
        return { filters: q.filters, n: asked.length } as unknown;
      },
    },
  } as unknown as UsageSource;
  if (o.holdPrepare) {
    (source.index as unknown as Record<string, unknown>).dashboardPrepare = (q: { filters: DashboardFilters }) =>
      new Promise((r) => { release = () => r({ filters: q.filters, n: 100 }); });
  }
  return { source, asked, changed, markReady: () => (ready = true), release: () => release() };
}

/** The webview ready and its first frame painted, then 400 ms: the panel has started to prepare all time. */
async function drawnThenPreparing(view: (typeof webviewPanels)[number], markReady: () => void): Promise<void> {
  markReady();
  view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
  await settle();
  view.receive({ kind: 'event', event: 'painted', body: { renderMs: 5, frameMs: 9 } });
  await new Promise((r) => setTimeout(r, 400));
}

const context = { extensionUri: { path: '/ext' } } as unknown as import('vscode').ExtensionContext;
const snapshotsPosted = (posted: unknown[]) => posted.filter((m) => (m as { event?: string }).event === 'snapshot').map((m) => (m as { body: { n: number } }).body.n);
const settle = () => new Promise((r) => setTimeout(r, 20));

test('the first snapshot is asked for when the panel opens (before the webview is ready) and posted on ready, once', async () => {
  const { source, asked, markReady } = fakeSource();
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  try {
    assert.equal(asked.length, 1, 'asked at creation');
    assert.deepEqual(asked[0], { filters: DEFAULT_FILTERS, reload: false, atReady: false }, "what the worker holds is current (it drops it at every data change)");
    markReady();
    view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
    await settle();
    assert.equal(asked.length, 1, 'the prefetched snapshot answered ready');
    assert.deepEqual(snapshotsPosted(view.posted), [1]);
  } finally {
    panel.dispose();
  }
});

test('ready with other filters, or a data change before ready, asks again', async () => {
  {
    const { source, asked, markReady } = fakeSource();
    const panel = DashboardPanel.createOrShow(context, source);
    const view = webviewPanels.at(-1)!;
    try {
      markReady();
      view.receive({ kind: 'event', event: 'ready', body: { filters: { ...DEFAULT_FILTERS, range: 'all' } } });
      await settle();
      assert.equal(asked.length, 2);
      assert.equal(asked[1].filters.range, 'all');
      assert.deepEqual(snapshotsPosted(view.posted), [2]);
    } finally {
      panel.dispose();
    }
  }
  {
    const { source, asked, changed, markReady } = fakeSource();
    const panel = DashboardPanel.createOrShow(context, source);
    const view = webviewPanels.at(-1)!;
    try {
      changed.fire();
      markReady();
      view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
      await settle();
      await new Promise((r) => setTimeout(r, 400)); // the change's debounced push
      assert.ok(asked.length >= 2, `asked ${asked.length} times`);
      assert.ok(asked.slice(1).every((a) => a.atReady), 'after the change, asked again for the new data');
      assert.ok(asked.slice(1).some((a) => a.reload), 'with the facts reloaded');
      assert.ok(!snapshotsPosted(view.posted).includes(1), 'the snapshot from before the change is not shown');
    } finally {
      panel.dispose();
    }
  }
});

test('a hidden dashboard builds nothing while the data changes; shown again, it asks once for the new data', async () => {
  const { source, asked, changed, markReady } = fakeSource();
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  try {
    markReady();
    view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
    await settle();
    assert.equal(asked.length, 1);
    view.setVisible(false);
    for (let i = 0; i < 5; i++) changed.fire(); // an agent writing while another editor tab is in front
    await new Promise((r) => setTimeout(r, 450)); // past the debounce of a change
    assert.equal(asked.length, 1, 'nothing built while hidden');
    view.setVisible(true);
    await settle();
    assert.equal(asked.length, 2, 'one snapshot when shown');
    assert.equal(asked[1].reload, true, 'with the facts reloaded');
    assert.deepEqual(snapshotsPosted(view.posted), [1, 2]);
    view.setVisible(false);
    view.setVisible(true);
    await settle();
    assert.equal(asked.length, 2, 'shown again with nothing new: nothing asked');
    changed.fire();
    await new Promise((r) => setTimeout(r, 450));
    assert.equal(asked.length, 3, 'visible: a change is pushed as before');
  } finally {
    panel.dispose();
  }
});

test('a window of someone who opened the dashboard in the last 14 days, or never, prepares its data: one snapshot of the default filters, none while a panel is open', async () => {
  const { dashboardWarmUpDue, DASHBOARD_OPENED_KEY } = require('../../../src/host/dashboard/panel') as typeof import('../../../src/host/dashboard/panel');
  const now = Date.parse('2026-12-06T12:00:00Z');
  assert.equal(dashboardWarmUpDue(undefined, now), true, 'never opened: someone new, whose first F1 is likely');
  assert.equal(dashboardWarmUpDue(now - 13 * 86_400_000, now), true);
  assert.equal(dashboardWarmUpDue(now - 15 * 86_400_000, now), false, 'not for weeks');
  assert.equal(dashboardWarmUpDue('yesterday', now), false, 'a value of another kind');
  assert.equal(dashboardWarmUpDue(now + 86_400_000, now), false, 'a clock set back');

  const { source, asked } = fakeSource();
  const ms = await DashboardPanel.warmUp(source);
  assert.equal(typeof ms, 'number');
  assert.deepEqual(asked, [{ filters: DEFAULT_FILTERS, reload: false, atReady: false }], "the default filters (the worker reads its facts when it holds none)");

  // opening records when (in the profile's global state); a warm-up while the panel is open asks nothing
  const state = new Map<string, unknown>();
  const withState = { ...context, globalState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => { state.set(k, v); } } } as unknown as import('vscode').ExtensionContext;
  const panel = DashboardPanel.createOrShow(withState, source);
  try {
    assert.ok(dashboardWarmUpDue(state.get(DASHBOARD_OPENED_KEY), Date.now()), 'the open was recorded');
    const n = asked.length;
    assert.equal(await DashboardPanel.warmUp(source), undefined);
    assert.equal(asked.length, n, 'nothing asked while the panel is open');
  } finally {
    panel.dispose();
  }
});

test('after its first drawn snapshot of a shorter range, the panel has the worker prepare all time once, under the same other filters; a panel on all time prepares nothing', async () => {
  const run = async (filters: DashboardFilters) => {
    const { source, markReady } = fakeSource();
    const prepared: { filters: DashboardFilters; reload: boolean }[] = [];
    (source.index as unknown as Record<string, unknown>).dashboardPrepare = async (q: { filters: DashboardFilters; reload: boolean }) => {
      prepared.push({ filters: q.filters, reload: q.reload });
      return { filters: q.filters, n: -prepared.length };
    };
    const panel = DashboardPanel.createOrShow(context, source);
    const view = webviewPanels.at(-1)!;
    try {
      markReady();
      view.receive({ kind: 'event', event: 'ready', body: { filters } });
      await settle();
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(prepared.length, 0, 'nothing before the webview reports its frame');
      view.receive({ kind: 'event', event: 'painted', body: { renderMs: 5, frameMs: 9 } });
      await new Promise((r) => setTimeout(r, 400));
      // drawn again after a filter change: prepared once only
      view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...filters, model: 'claude-sonnet-4-5' } } });
      await settle();
      view.receive({ kind: 'event', event: 'painted', body: { renderMs: 5, frameMs: 9 } });
      await new Promise((r) => setTimeout(r, 400));
      return prepared;
    } finally {
      panel.dispose();
    }
  };
  const custom: DashboardFilters = { ...DEFAULT_FILTERS, range: 'custom', sinceDay: '2026-11-01', untilDay: '2026-11-30', source: 'claude' };
  assert.deepEqual(await run(custom), [{ filters: { range: 'all', source: 'claude', project: null, model: null }, reload: false }]);
  assert.deepEqual(await run({ ...DEFAULT_FILTERS, range: 'all' }), [], 'already all time');
});

/** A panel whose first snapshot (30 days) is drawn and whose all-time snapshot was prepared and sent ahead. */
async function drawnWithAhead() {
  const { source, asked, changed, markReady } = fakeSource();
  const preparedAsks: DashboardFilters[] = [];
  (source.index as unknown as Record<string, unknown>).dashboardPrepare = async (q: { filters: DashboardFilters }) => {
    preparedAsks.push(q.filters);
    return { filters: q.filters, n: 100 + preparedAsks.length };
  };
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  await drawnThenPreparing(view, markReady);
  const ahead = view.posted.filter((m) => (m as { event?: string }).event === 'prepared').map((m) => (m as { body: { id: number; snapshot: { filters: DashboardFilters; n: number } } }).body);
  return { source, asked, changed, panel, view, ahead, preparedAsks };
}

test('the all-time snapshot the worker prepared is sent ahead; chosen as it is (nothing changed), the host asks the worker for nothing and sends nothing', async () => {
  const { asked, panel, view, ahead } = await drawnWithAhead();
  try {
    assert.equal(ahead.length, 1, 'one snapshot sent ahead');
    assert.deepEqual(ahead[0].snapshot, { filters: { ...DEFAULT_FILTERS, range: 'all' }, n: 101 });
    const before = asked.length;
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, range: 'all' }, prepared: ahead[0].id } });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(asked.length, before, 'no snapshot asked');
    assert.deepEqual(snapshotsPosted(view.posted), [1], 'none posted');
    // back to 30 days and to all time again: the snapshot sent ahead was used once; now the worker is asked
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: DEFAULT_FILTERS } });
    await settle();
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, range: 'all' }, prepared: ahead[0].id } });
    await settle();
    assert.deepEqual(asked.slice(before).map((a) => a.filters.range), ['30d', 'all']);
  } finally {
    panel.dispose();
  }
});

test('the snapshot sent ahead is out of date after a data change, or when chosen with other filters: the host asks the worker and posts a new one', async () => {
  {
    const { asked, changed, panel, view, ahead } = await drawnWithAhead();
    try {
      changed.fire();
      const before = asked.length;
      view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, range: 'all' }, prepared: ahead[0].id } });
      await settle();
      assert.equal(asked.length, before + 1, 'asked again');
      assert.deepEqual(asked.at(-1), { filters: { ...DEFAULT_FILTERS, range: 'all' }, reload: true, atReady: true }, 'with the facts reloaded');
      assert.deepEqual(snapshotsPosted(view.posted), [1, before + 1], 'the new one posted');
    } finally {
      panel.dispose();
    }
  }
  {
    const { asked, panel, view, ahead } = await drawnWithAhead();
    try {
      const before = asked.length;
      // (an id the host did not send, or another model than the snapshot sent ahead was made for)
      view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, range: 'all', model: 'm' }, prepared: ahead[0].id } });
      await settle();
      assert.equal(asked.length, before + 1);
      assert.equal(asked.at(-1)!.filters.model, 'm');
    } finally {
      panel.dispose();
    }
  }
  {
    // a data change while the worker prepares: nothing is sent ahead
    const { source, changed, markReady, release } = fakeSource({ holdPrepare: true });
    const panel = DashboardPanel.createOrShow(context, source);
    const view = webviewPanels.at(-1)!;
    try {
      await drawnThenPreparing(view, markReady);
      changed.fire();
      release();
      await settle();
      assert.equal(view.posted.filter((m) => (m as { event?: string }).event === 'prepared').length, 0);
    } finally {
      panel.dispose();
    }
  }
});

test('all time chosen while the worker prepares it: the host posts that snapshot when it is made, and asks the worker for no other', async () => {
  const { source, asked, markReady, release } = fakeSource({ holdPrepare: true });
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  try {
    await drawnThenPreparing(view, markReady);
    const before = asked.length;
    view.receive({ kind: 'event', event: 'setFilters', body: { filters: { ...DEFAULT_FILTERS, range: 'all' } } });
    await settle();
    assert.deepEqual(snapshotsPosted(view.posted), [1], 'nothing posted before the prepare is done');
    release();
    await settle();
    assert.equal(asked.length, before, 'no other snapshot asked');
    assert.deepEqual(snapshotsPosted(view.posted), [1, 100], 'the prepared snapshot posted');
    assert.equal(view.posted.filter((m) => (m as { event?: string }).event === 'prepared').length, 0, 'nothing sent ahead: it is shown');
  } finally {
    panel.dispose();
  }
});
