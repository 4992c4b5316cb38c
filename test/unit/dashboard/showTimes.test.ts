/**
 * The dashboard's account of how long it took to show what was asked for (host/dashboard/showTimes.ts, logged by
 * the panel), and the check of the webview's `painted` event (untrusted input).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShowTimes } from '../../../src/host/dashboard/showTimes';
import { FROM_WEBVIEW } from '../../../src/shared/protocol';

function clock(): { now: () => number; at: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, at: (ms) => { t = 1_000 + ms; } };
}

test('opening: the page load, the snapshot, the webview\'s drawing and the messages, from the ask to the painted frame', () => {
  const c = clock();
  const times = new ShowTimes(c.now);
  times.asked('open');
  c.at(420);
  times.pageReady();
  c.at(450);
  times.posted(380.4);
  c.at(710);
  // posted at 450, painted reported at 710: 200 ms of it in the webview, 60 ms in messages
  assert.equal(times.painted(120.6, 200), 'Dashboard opened: drawn, reported 710 ms after it was asked for (snapshot 380 ms; page loaded after 420 ms; webview 200 ms from arrival to frame, 121 ms of it drawing; messages both ways 60 ms)');
  assert.equal(times.painted(5, 5), undefined, 'one line per ask');
});

test('new filters: no page load; a push for a data change (nothing asked) is not timed', () => {
  const c = clock();
  const times = new ShowTimes(c.now);
  times.posted(50);
  assert.equal(times.painted(10, 20), undefined, 'a data push');
  times.asked('filters');
  assert.equal(times.painted(10, 20), undefined, 'painted before its snapshot was posted: an older snapshot');
  c.at(90);
  times.posted(70);
  times.pageReady(); // (a page VS Code loads again when the tab is shown: only an open counts its page load)
  c.at(200);
  assert.equal(times.painted(30, 80), 'Dashboard filters changed: drawn, reported 200 ms after it was asked for (snapshot 70 ms; webview 80 ms from arrival to frame, 30 ms of it drawing; messages both ways 30 ms)');
});

test('a newer ask replaces one still pending: the line times the newest', () => {
  const c = clock();
  const times = new ShowTimes(c.now);
  times.asked('filters');
  c.at(100);
  times.asked('filters');
  c.at(150);
  times.posted(40);
  c.at(180);
  assert.equal(times.painted(12, 20), 'Dashboard filters changed: drawn, reported 80 ms after it was asked for (snapshot 40 ms; webview 20 ms from arrival to frame, 12 ms of it drawing; messages both ways 10 ms)');
});

test('the webview\'s painted event: finite non-negative numbers only', () => {
  assert.deepEqual(FROM_WEBVIEW.painted({ renderMs: 12.5, frameMs: 30 }), { renderMs: 12.5, frameMs: 30 });
  assert.equal(FROM_WEBVIEW.painted({ renderMs: -1, frameMs: 30 }), null);
  assert.equal(FROM_WEBVIEW.painted({ renderMs: '5', frameMs: 30 }), null);
  assert.equal(FROM_WEBVIEW.painted({ renderMs: 1, frameMs: Number.NaN }), null);
  assert.equal(FROM_WEBVIEW.painted(null), null);
});

test('new filters shown from the snapshot sent ahead: the webview\'s time from the choice to the frame; the check of setFilters\' `prepared`', () => {
  const c = clock();
  const times = new ShowTimes(c.now);
  times.asked('filters');
  times.shownAhead();
  c.at(95);
  assert.equal(times.painted(60.2, 88.6), 'Dashboard filters changed: drawn from the snapshot sent ahead, 89 ms from the choice to the frame in the webview (60 ms of it drawing), reported 95 ms after the host heard of it');
  // an open is never shown from a snapshot sent ahead
  times.asked('open');
  times.shownAhead();
  assert.equal(times.painted(1, 1), undefined);

  const filters = { range: 'all', source: 'all', project: null, model: null };
  assert.deepEqual(FROM_WEBVIEW.setFilters({ filters, prepared: 3 }), { filters, prepared: 3 });
  for (const bad of [0, -1, 1.5, '3', null]) assert.deepEqual(FROM_WEBVIEW.setFilters({ filters, prepared: bad }), { filters }, `prepared ${String(bad)} is dropped`);
});
