/**
 * Dashboard webview entry: builds the page once, asks the host for a snapshot (`ready`), then patches every view
 * in place on each `snapshot` push. No domain math here: the snapshot carries every number.
 */
import { renderActivity, renderEstimatesNote } from './estimatesView';
import './styles.css';
import { DEFAULT_FILTERS, sanitizeFilters, type DashboardFilters, type DashboardSnapshot, type SourceId } from '../shared/protocol';
import { connectHost } from './api';
import { renderCards } from './cards';
import { ChartSlot } from './charts';
import { renderBlocks, renderCharts, type ChartSlots } from './chartsView';
import { renderCurrentBlock, renderWeekTotals } from './blocksView';
import { button, h, setText } from './dom';
import { renderEmptyState } from './emptyState';
import { setSources, sourceLabel } from './sources';
import { FilterBar } from './filters';
import { createFormatter, type Formatter } from './format';
import { renderHeatmap } from './heatmap';
import { renderAnomalies, renderBudgets, renderCacheEconomics, renderComparisons, renderQuotaNow } from './insightsView';
import { createTables, sessionRowKey, updateTables } from './tablesView';
import { onThemeChange, readTheme } from './theme';
import { renderTeam, ScopeSwitch } from './teamView';
import { AlertHistoryPanel } from './alertsView';

const host = connectHost();
const state = host.getState();
const initialFilters = sanitizeFilters(state.filters ?? DEFAULT_FILTERS);
let snapshot: DashboardSnapshot | null = null;
let fmt: Formatter = createFormatter({ locale: navigator.language || 'en', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });

const openSetting = (setting: string) => host.channel.emit('openSettings', { setting });
const openSession = (source: SourceId, session: string) => host.channel.emit('openSession', { source, session });

const panel = (title: string, cls: string, ...body: (Node | null)[]) => h('section', { class: `panel ${cls}`, 'aria-label': title }, h('h2', null, title), ...body);
const canvasBox = (label: string) => {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  return { canvas, box: h('div', { class: 'chart-box' }, canvas) };
};

const statusText = h('span', { class: 'status muted', 'aria-live': 'polite' });
const filterBar = new FilterBar(initialFilters, (filters) => {
  host.patchState({ filters });
  host.channel.emit('setFilters', { filters });
}, (format, grain) => host.channel.emit('export', { format, grain }));

const scopeSwitch = new ScopeSwitch((scope) => {
  const { scope: _was, ...rest } = snapshot?.filters ?? initialFilters;
  const filters: DashboardFilters = scope === 'local' ? rest : { ...rest, scope };
  host.patchState({ filters });
  host.channel.emit('setFilters', { filters });
});
const teamEl = h('div', { class: 'grid team', hidden: '' });
const cardsEl = h('div', { class: 'cards' });
const cmpEl = h('div', { class: 'comparisons' });
const heatEl = h('div', { class: 'heatmap-wrap' });
const budgetsEl = h('div', { class: 'budgets' });
const quotaNowEl = h('div', { class: 'quota' });
const cacheEl = h('div', { class: 'cache' });
const anomaliesEl = h('div');
const alertHistory = new AlertHistoryPanel((rule) => host.channel.emit('alertRule', { rule }));
const emptyEl = h('section', { class: 'empty', hidden: '' });
const footer = h('footer', { class: 'muted' });

const daily = canvasBox('Daily cost stacked by model');
const tokens = canvasBox('Tokens by type');
const projects = canvasBox('Cost by project');
const sources = canvasBox('Cost by agent');
const cacheChart = canvasBox('Cache hit ratio by day');
const quota = canvasBox('Codex quota used over the last days');
const blocksChart = canvasBox('Claude 5-hour blocks with the plan limit');
const blocksNote = h('p', { class: 'muted small' });
const estimatesNote = h('p', { class: 'muted small', hidden: '' });
const activityEl = h('div');
const activityPanel = panel('Claude Code activity (its stats cache)', 'wide', activityEl);
const currentBlockEl = h('div', { class: 'current-block' });
const weeksEl = h('div');
const slots: ChartSlots = {
  daily: new ChartSlot(daily.canvas), tokens: new ChartSlot(tokens.canvas), projects: new ChartSlot(projects.canvas),
  sources: new ChartSlot(sources.canvas), cache: new ChartSlot(cacheChart.canvas), quota: new ChartSlot(quota.canvas),
  blocks: new ChartSlot(blocksChart.canvas),
};

const sortState = { ...(state.sort ?? {}) };
const tables = createTables({
  fmt: () => fmt, sort: sortState, openSession,
  onSort: (id, s) => { sortState[id] = s; host.patchState({ sort: sortState }); },
});

const content = h('div', { class: 'content' },
  cardsEl, cmpEl, teamEl,
  h('div', { class: 'grid' },
    panel('Daily cost by model', 'wide', daily.box, estimatesNote),
    panel('Tokens by type', '', tokens.box),
    panel('Cost by agent', '', sources.box),
    panel('Cost by project', 'wide', projects.box),
    panel('Activity by hour and weekday', 'wide', heatEl),
    panel('Budgets', '', budgetsEl),
    panel('Cache economics', 'wide', cacheChart.box, cacheEl),
    panel('Codex quota', '', quotaNowEl, quota.box),
    panel('Claude 5-hour blocks', 'wide', currentBlockEl, blocksChart.box, blocksNote, weeksEl),
    panel('Anomalies', '', anomaliesEl),
    activityPanel,
  ),
  panel('Alert history', 'full', alertHistory.element),
  panel('Sessions', 'full', tables.sessions.element),
  h('div', { class: 'grid' }, panel('Projects', 'wide', tables.projects.element), panel('Models', 'wide', tables.models.element)),
  footer,
);

document.body.append(
  h('header', { class: 'top' }, h('h1', null, 'AgentMeter'), statusText, h('span', { class: 'spacer' }), button('Refresh', () => host.channel.emit('refresh', {}), { class: 'secondary' })),
  scopeSwitch.element, filterBar.element, emptyEl, content,
);

function render(s: DashboardSnapshot): void {
  snapshot = s;
  fmt = createFormatter({ locale: s.locale, timeZone: s.timeZone, currency: s.currency });
  renderStatus(s.status);
  setSources(s.sourceInfo);
  filterBar.update(s, sourceLabel);
  scopeSwitch.update(s);
  emptyEl.hidden = s.empty === null;
  filterBar.element.hidden = s.empty !== null;
  content.hidden = s.empty !== null;
  if (s.empty) {
    renderEmptyState(emptyEl, s.empty, openSetting);
    return;
  }
  renderCards(cardsEl, s, fmt);
  renderTeam(teamEl, s, fmt);
  renderComparisons(cmpEl, s, fmt);
  renderCharts(slots, s, fmt, readTheme());
  renderBlocks(slots.blocks, s, fmt, readTheme());
  blocksChart.box.hidden = !s.claudeBlocks || s.claudeBlocks.blocks.length === 0;
  setText(blocksNote, !s.claudeBlocks || s.claudeBlocks.blocks.length === 0 ? 'No Claude usage in the last 7 days.'
    : `Tokens (input + output) per 5-hour block over the last 7 days${s.claudeBlocks.limitTokens ? `; limit ${fmt.tokens(s.claudeBlocks.limitTokens)} = ${s.claudeBlocks.limitLabel ?? 'plan'}` : '; no plan limit known yet'}.`);
  renderEstimatesNote(estimatesNote, s, fmt);
  renderActivity(activityEl, s, fmt);
  activityPanel.hidden = !s.estimates || s.estimates.activity.length === 0;
  renderCurrentBlock(currentBlockEl, s, fmt);
  renderWeekTotals(weeksEl, s, fmt);
  renderHeatmap(heatEl, s.heatmap, fmt);
  renderBudgets(budgetsEl, s, fmt, openSetting);
  renderQuotaNow(quotaNowEl, s, fmt);
  quota.box.hidden = !s.codexQuota || s.codexQuota.points.length === 0;
  renderCacheEconomics(cacheEl, s, fmt);
  renderAnomalies(anomaliesEl, s, fmt, openSession, (src, id) => tables.sessions.reveal(sessionRowKey(src, id)));
  updateTables(tables, s, fmt);
  setText(footer, `${s.detailFrom ? `Detail ends ${fmt.day(s.detailFrom.utcDay, true)}: before it only daily totals are kept (retention), each day's usage at 00:00 UTC — hours, the heatmap and the blocks are not exact there. ` : ''}Times in ${s.timeZone}. Costs in ${s.currency.code}${s.currency.perUsd !== 1 ? ` at ${s.currency.perUsd} per USD` : ''}${s.priceTableDate ? `, prices as of ${s.priceTableDate}` : ''}${s.unpricedModels.length ? `. Unpriced models (cost unknown): ${s.unpricedModels.join(', ')}` : ''}.`);
}

function renderStatus(st: DashboardSnapshot['status']): void {
  const parts = [st.indexing ? 'Indexing…' : '', st.lastUpdatedMs ? `Updated ${fmt.time(st.lastUpdatedMs)}` : '', st.error ? `Error: ${st.error}` : ''];
  setText(statusText, parts.filter(Boolean).join(' · '));
}

host.channel.on('snapshot', (s) => render(s));
host.channel.on('alertHistory', (v) => alertHistory.render(v, fmt));
host.channel.on('status', (st) => {
  if (snapshot) renderStatus(st);
});
host.channel.on('error', (e) => setText(statusText, `Error: ${e.message}`));

onThemeChange(() => {
  if (!snapshot || snapshot.empty) return;
  const theme = readTheme();
  renderCharts(slots, snapshot, fmt, theme);
  renderBlocks(slots.blocks, snapshot, fmt, theme);
});

host.channel.emit('ready', { filters: initialFilters });
