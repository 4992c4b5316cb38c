/**
 * DOM-level test (happy-dom) of the dashboard's cost by activity: the words of each activity key, and the view hidden
 * with its reason under a project filter (activity is not kept per project).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom } from './happyDomGlobals';
import type { DashboardSnapshot } from '../../../src/shared/protocol';

const { doc, load } = useHappyDom();

test('activity keys in words: classes, MCP servers, subagent types, subagents, unknown', async () => {
  const { activityText } = await load('costByActivity.ts');
  assert.deepEqual(
    ['coding', 'mcp:github', 'delegating:Explore', 'delegating', 'subagent/exploring', '', 'subagent/', 'conversation', 'other'].map(activityText),
    ['coding', 'MCP github', 'delegating to Explore', 'delegating', 'exploring (subagent)', 'unknown', 'unknown (subagent)', 'conversation', 'other tools'],
  );
});

test('with a project filter: no chart, no rows, the note says activity is kept per hour, agent and model; no view, no panel', async () => {
  const { createFormatter } = await load('format.ts');
  const { createCostByActivity } = await load('costByActivity.ts');
  const f = createFormatter({ locale: 'en-GB', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
  const view = createCostByActivity({ fmt: () => f, sort: undefined, onSort: () => {} });
  doc.body.appendChild(view.element);
  const theme = { palette: ['#111111'], background: '#ffffff', muted: '#777777', grid: '#eeeeee', foreground: '#000000' };
  view.render({ activity: { rows: [], hiddenByProject: true, hasUnknown: false } } as unknown as DashboardSnapshot, f, theme);
  assert.equal(view.element.hidden, false);
  assert.equal(view.element.querySelector('.chart-box').hidden, true);
  assert.equal(view.element.querySelector('.table-wrap').hidden, true);
  assert.match(view.element.querySelector('p').textContent, /Not shown with a project filter: activity is kept per UTC hour, agent and model, not per project/);
  view.render({} as DashboardSnapshot, f, theme);
  assert.equal(view.element.hidden, true, 'a snapshot without the view (the team scope) hides the panel');
});
