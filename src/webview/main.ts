/**
 * Dashboard webview entry: builds the page once, asks the host for a snapshot (`ready`), then patches every view
 * in place on each `snapshot` push. No domain math here: the snapshot carries every number.
 */
import { renderActivity, renderEstimatesNote } from './estimatesView';
import './styles.css';
import { DEFAULT_FILTERS, sameFilters, sanitizeFilters, type DashboardFilters, type DashboardSnapshot, type SourceId } from '../shared/protocol';
import { connectHost } from './api';
import { renderCards } from './cards';
import { ChartSlot } from './charts';
import { renderBlocks, renderCharts, type ChartSlots } from './chartsView';
import { renderCurrentBlock, renderWeekTotals } from './blocksView';
import { afterPaint, button, h, setText } from './dom';
import { renderEmptyState } from './emptyState';
import { setSources, sourceLabel } from './sources';
import { FilterBar } from './filters';
import { createFormatter, type Formatter } from './format';
import { renderHeatmap } from './heatmap';
import { renderAnomalies, renderBudgets, renderCacheEconomics, renderComparisons, renderQuotaNow } from './insightsView';
import { createTables, sessionRowKey, showSessionsPage, updateTables } from './tablesView';
import { createCostByActivity } from './costByActivity';
import { unpricedModelsText } from './unpricedModels';
import { onThemeChange, readTheme } from './theme';
import { loadStringsFromPage, t } from './i18n';

loadStringsFromPage();
import { renderTeam, ScopeSwitch } from './teamView';
import { AlertHistoryPanel } from './alertsView';

const host = connectHost();
const state = host.getState();
const initialFilters = sanitizeFilters(state.filters ?? DEFAULT_FILTERS);
let snapshot: DashboardSnapshot | null = null;
/** the snapshot the host sent ahead (HostEvents' `prepared`): shown when its filters are chosen; the next snapshot ends it */
let prepared: { id: number; snapshot: DashboardSnapshot } | null = null;
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
  const t0 = performance.now();
  tables.pager.reset();
  host.patchState({ filters });
  const ahead = prepared && sameFilters(prepared.snapshot.filters, filters) ? prepared : null;
  prepared = null;
  host.channel.emit('setFilters', ahead ? { filters, prepared: ahead.id } : { filters });
  if (ahead) show(ahead.snapshot, t0);
}, (format, grain) => host.channel.emit('export', { format, grain }));

const scopeSwitch = new ScopeSwitch((scope) => {
  const { scope: _was, ...rest } = snapshot?.filters ?? initialFilters;
  const filters: DashboardFilters = scope === 'local' ? rest : { ...rest, scope };
  tables.pager.reset();
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

const daily = canvasBox(t('dashboard.chart.daily'));
const tokens = canvasBox(t('dashboard.chart.tokens'));
const projects = canvasBox(t('dashboard.chart.projects'));
const sources = canvasBox(t('dashboard.chart.sources'));
const cacheChart = canvasBox(t('dashboard.chart.cache'));
const quota = canvasBox(t('dashboard.chart.quota'));
const blocksChart = canvasBox(t('dashboard.chart.blocks'));
const blocksNote = h('p', { class: 'muted small' });
const estimatesNote = h('p', { class: 'muted small', hidden: '' });
const activityEl = h('div');
const activityPanel = panel(t('dashboard.panel.activity'), 'wide', activityEl);
const currentBlockEl = h('div', { class: 'current-block' });
const weeksEl = h('div');
const slots: ChartSlots = {
  daily: new ChartSlot(daily.canvas), tokens: new ChartSlot(tokens.canvas), projects: new ChartSlot(projects.canvas),
  sources: new ChartSlot(sources.canvas), cache: new ChartSlot(cacheChart.canvas), quota: new ChartSlot(quota.canvas),
  blocks: new ChartSlot(blocksChart.canvas),
};

const sortState = { ...(state.sort ?? {}) };
const tables = createTables({
  fmt: () => fmt, sort: sortState, openSession, askSessions: (q) => host.channel.emit('sessionsPage', q),
  onSort: (id, s) => { sortState[id] = s; host.patchState({ sort: sortState }); },
});

const costByActivity = createCostByActivity({
  fmt: () => fmt, sort: sortState.activities,
  onSort: (s) => { sortState.activities = s; host.patchState({ sort: sortState }); },
});

const content = h('div', { class: 'content' },
  cardsEl, cmpEl, teamEl,
  h('div', { class: 'grid' },
    panel(t('dashboard.panel.daily'), 'wide', daily.box, estimatesNote),
    panel(t('dashboard.panel.tokens'), '', tokens.box),
    panel(t('dashboard.panel.sources'), '', sources.box),
    panel(t('dashboard.panel.projects'), 'wide', projects.box),
    costByActivity.element,
    panel(t('dashboard.panel.heatmap'), 'wide', heatEl),
    panel(t('dashboard.panel.budgets'), '', budgetsEl),
    panel(t('dashboard.panel.cache'), 'wide', cacheChart.box, cacheEl),
    panel(t('dashboard.panel.codexQuota'), '', quotaNowEl, quota.box),
    panel(t('dashboard.panel.blocks'), 'wide', currentBlockEl, blocksChart.box, blocksNote, weeksEl),
    panel(t('dashboard.panel.anomalies'), '', anomaliesEl),
    activityPanel,
  ),
  panel(t('dashboard.panel.alertHistory'), 'full', alertHistory.element),
  panel(t('dashboard.panel.sessions'), 'full', tables.sessions.element, tables.pager.element),
  h('div', { class: 'grid' }, panel(t('dashboard.panel.projectsTable'), 'wide', tables.projects.element), panel(t('dashboard.panel.models'), 'wide', tables.models.element)),
  footer,
);

document.body.append(
  h('header', { class: 'top' }, h('h1', null, t('dashboard.title')), statusText, h('span', { class: 'spacer' }), button(t('dashboard.refresh'), () => host.channel.emit('refresh', {}), { class: 'secondary' })),
  scopeSwitch.element, filterBar.element, emptyEl, content,
);

/** Whether any of an element is in the viewport (a hidden one is not). */
function inView(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.bottom > 0 && r.top < window.innerHeight;
}

/** one more per render: the parts a render left for after the paint are drawn for the newest render only */
let renders = 0;

/**
 * Renders a snapshot: after the first, the parts in the viewport (as the page was laid out before it) in this frame,
 * the others right after it is painted, one per task — a year's heatmap and lower charts no longer delay the charts the
 * user looks at when the range changes.
 */
function render(s: DashboardSnapshot): void {
  snapshot = s;
  const render = ++renders;
  const theme = readTheme();
  // (measured before anything changes: the layout of the page as drawn, no layout forced). The first render draws
  // every part now: the empty page's layout says little of where the parts will be, and it creates every chart — left
  // for after the paint, that work delayed the page's messages and the charts' first look in the year UI test (F1).
  const first = render === 1;
  const now = (el: Element) => first || inView(el);
  const charts: [keyof ChartSlots, Element][] = [['daily', daily.box], ['tokens', tokens.box], ['projects', projects.box], ['sources', sources.box], ['cache', cacheChart.box], ['quota', quota.box]];
  const chartsNow = new Set(charts.filter(([, el]) => now(el)).map(([name]) => name));
  const parts: [Element, () => void][] = [
    [costByActivity.element, () => costByActivity.render(s, fmt, theme)],
    [blocksChart.box.parentElement ?? blocksChart.box, () => renderBlockPanel(s, theme)],
    [activityPanel, () => {
      renderActivity(activityEl, s, fmt);
      activityPanel.hidden = !s.estimates || s.estimates.activity.length === 0;
    }],
    [heatEl, () => renderHeatmap(heatEl, s.heatmap, fmt)],
    [budgetsEl, () => renderBudgets(budgetsEl, s, fmt, openSetting)],
    [quotaNowEl, () => {
      renderQuotaNow(quotaNowEl, s, fmt);
      quota.box.hidden = !s.codexQuota || s.codexQuota.points.length === 0;
    }],
    [cacheEl, () => renderCacheEconomics(cacheEl, s, fmt)],
    [anomaliesEl, () => {
      // an anomaly's session: its row when on the page shown, else the page holding it (its log when it is not there)
      const reveal = (src: SourceId, id: string) => tables.sessions.reveal(sessionRowKey(src, id));
      renderAnomalies(anomaliesEl, s, fmt, openSession, (src, id) => reveal(src, id) || tables.pager.find(src, id, () => { if (!reveal(src, id)) openSession(src, id); }));
    }],
  ];
  const partsNow = parts.filter(([el]) => now(el));
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
  renderCharts(slots, s, fmt, theme, (name) => chartsNow.has(name));
  renderEstimatesNote(estimatesNote, s, fmt);
  for (const [el, draw] of parts) if (partsNow.some(([x]) => x === el)) draw();
  // the tables: their first rows now (the rest after the paint: table.ts), whatever their place
  updateTables(tables, s, fmt);
  setText(footer, [
    s.detailFrom ? t(s.detailFrom.reason === 'team' ? 'dashboard.footer.teamDetailEnds' : 'dashboard.footer.detailEnds', { day: fmt.day(s.detailFrom.day, true) }) : '',
    t('dashboard.footer.times', { zone: s.timeZone }),
    s.currency.perUsd !== 1 ? t('dashboard.footer.costsAtRate', { currency: s.currency.code, rate: s.currency.perUsd }) : t('dashboard.footer.costs', { currency: s.currency.code }),
    s.priceTableDate ? t('dashboard.footer.prices', { date: s.priceTableDate }) : '',
    s.unpricedModels.length ? t('dashboard.footer.unpriced', { models: unpricedModelsText(s, fmt) }) : '',
  ].filter(Boolean).join(' '));
  const later = parts.filter((p) => !partsNow.includes(p));
  if (later.length === 0 && chartsNow.size === charts.length) return;
  // one part per task: the page (in code-server, the workbench's own thread) handles its messages and input between
  const steps = [() => renderCharts(slots, s, fmt, theme, (name) => !chartsNow.has(name)), ...later.map(([, draw]) => draw)];
  const next = () => {
    if (render !== renders) return; // a newer render drew (or left for later) every part itself
    steps.shift()?.();
    if (steps.length > 0) setTimeout(next, 0);
  };
  afterPaint(next);
}

/** The Claude blocks panel: the chart, its note, the current block and the week totals. */
function renderBlockPanel(s: DashboardSnapshot, theme: ReturnType<typeof readTheme>): void {
  renderBlocks(slots.blocks, s, fmt, theme);
  blocksChart.box.hidden = !s.claudeBlocks || s.claudeBlocks.blocks.length === 0;
  setText(blocksNote, !s.claudeBlocks || s.claudeBlocks.blocks.length === 0 ? t('dashboard.blocks.none')
    : s.claudeBlocks.limitTokens
      ? t('dashboard.blocks.noteWithLimit', { limit: fmt.tokens(s.claudeBlocks.limitTokens), label: s.claudeBlocks.limitLabel ?? t('dashboard.blocks.planFallback') })
      : t('dashboard.blocks.noteNoLimit'));
  renderCurrentBlock(currentBlockEl, s, fmt);
  renderWeekTotals(weeksEl, s, fmt);
}

function renderStatus(st: DashboardSnapshot['status']): void {
  const parts = [st.indexing ? t('dashboard.status.indexing') : '', st.lastUpdatedMs ? t('dashboard.status.updated', { time: fmt.time(st.lastUpdatedMs) }) : '', st.error ? t('dashboard.status.error', { message: st.error }) : ''];
  setText(statusText, parts.filter(Boolean).join(' · '));
}

/**
 * Renders a snapshot and reports the frame drawn (`t0`: when it arrived, or when its filters were chosen): after the
 * browser has drawn the frame, the host logs how long the dashboard took to show (its log channel). Asked for before
 * rendering, so that it runs before the work a render leaves for after the paint.
 */
function show(s: DashboardSnapshot, t0 = performance.now()): void {
  let renderMs = 0;
  requestAnimationFrame(() => setTimeout(() => host.channel.emit('painted', { renderMs, frameMs: performance.now() - t0 }), 0));
  render(s);
  renderMs = performance.now() - t0;
}

host.channel.on('snapshot', (s) => {
  prepared = null;
  show(s);
});
host.channel.on('prepared', (p) => {
  prepared = p;
});
host.channel.on('sessionsPage', (p) => showSessionsPage(tables, p));
host.channel.on('alertHistory', (v) => alertHistory.render(v, fmt));
host.channel.on('status', (st) => {
  if (snapshot) renderStatus(st);
});
host.channel.on('error', (e) => setText(statusText, t('dashboard.status.error', { message: e.message })));

onThemeChange(() => {
  if (!snapshot || snapshot.empty) return;
  const theme = readTheme();
  renderCharts(slots, snapshot, fmt, theme, () => true);
  costByActivity.render(snapshot, fmt, theme);
  renderBlocks(slots.blocks, snapshot, fmt, theme);
});

host.channel.emit('ready', { filters: initialFilters });
