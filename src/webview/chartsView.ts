/** Builds the chart configurations from a snapshot (daily cost by model, tokens by type, projects, sources, cache). */
import { estimatedLabel, hatch } from './estimatesView';
import type { ChartDataset } from 'chart.js';
import { sourceColor, sourceLabel } from './sources';
import type { DashboardSnapshot } from '../shared/protocol';
import { type ChartSlot, baseOptions, withAlpha } from './charts';
import type { Formatter } from './format';
import type { ThemeColors } from './theme';
import { t } from './i18n';

export interface ChartSlots {
  daily: ChartSlot<'bar'>;
  tokens: ChartSlot<'doughnut'>;
  projects: ChartSlot<'bar'>;
  sources: ChartSlot<'doughnut'>;
  cache: ChartSlot<'line'>;
  quota: ChartSlot<'line'>;
  blocks: ChartSlot<'bar'>;
}


/**
 * Day labels a day axis measures to lay out its ticks (chart.js `sampleSize`): every label of a range has the same
 * format, so a sample gives the same widths; all of a year's 366 were measured at every render (~10 ms a render).
 */
const TICK_SAMPLE = 32;

/** Renders the charts `only` picks (by their slot's name). */
export function renderCharts(c: ChartSlots, s: DashboardSnapshot, f: Formatter, th: ThemeColors, only: (name: Exclude<keyof ChartSlots, 'blocks'>) => boolean): void {
  const base = baseOptions(th);
  const money = (v: number | string) => f.moneyAxis(Number(v));
  const ticks = { color: th.muted };
  const grid = { color: th.grid };
  const withYear = s.daily.labels.length > 0 && s.daily.labels[0].slice(0, 4) !== s.daily.labels[s.daily.labels.length - 1].slice(0, 4);
  const dayLabels = s.daily.labels.map((d) => f.day(d, withYear));

  const ESTIMATED_LABEL = estimatedLabel();
  const estimated = new Map((s.estimates?.days ?? []).map((d) => [d.day, d.costUSD ?? 0]));
  // Every series is in the one stack: not grouped, each bar is placed at its day's pixel — the same place and width
  // as grouped in one stack, without chart.js looking through every dataset's stacks and axes for each bar (a year's
  // ~8 × 366 bars: ~12 ms of each render).
  const bars = { borderWidth: 0, stack: 'cost', grouped: false } as const;
  if (only('daily')) c.daily.render({
    type: 'bar',
    data: {
      labels: dayLabels,
      datasets: [
        ...s.daily.series.map((ser, i) => ({
          label: ser.label, data: ser.values, backgroundColor: th.palette[i % th.palette.length] as string | CanvasPattern, ...bars,
        })),
        // days no log covers, estimated from Claude Code's stats cache: hatched, on their own
        ...(s.estimates?.days.length ? [{
          label: ESTIMATED_LABEL, data: s.daily.labels.map((d) => estimated.get(d) ?? 0), backgroundColor: hatch(th.muted), ...bars,
        }] : []),
      ],
    },
    options: {
      ...base,
      scales: {
        x: { stacked: true, ticks: { ...ticks, maxRotation: 0, autoSkip: true, sampleSize: TICK_SAMPLE }, grid: { display: false } },
        y: { stacked: true, ticks: { ...ticks, callback: money }, grid },
      },
      plugins: {
        ...base.plugins,
        tooltip: {
          mode: 'index', intersect: false,
          filter: (item) => Number(item.raw) > 0,
          callbacks: {
            label: (item) => t(item.dataset.label === ESTIMATED_LABEL ? 'dashboard.estimated.item' : 'dashboard.daily.item', { label: item.dataset.label ?? '', money: f.money(Number(item.raw)) }),
            footer: (items) => {
              const day = s.daily.labels[items[0]?.dataIndex ?? -1];
              const total = items.filter((it) => it.dataset.label !== ESTIMATED_LABEL).reduce((a, it) => a + Number(it.raw), 0);
              return t(day && s.daily.unpricedDays.includes(day) ? 'dashboard.daily.totalUnpriced' : 'dashboard.daily.total', { money: f.money(total) });
            },
          },
        },
      },
    },
  });

  const tk = s.tokensByType;
  if (only('tokens')) c.tokens.render({
    type: 'doughnut',
    data: {
      labels: [t('dashboard.tokens.input'), t('dashboard.tokens.output'), t('dashboard.tokens.cacheWrite5m'), t('dashboard.tokens.cacheWrite1h'), t('dashboard.tokens.cacheRead')],
      datasets: [{ label: t('dashboard.tokens.dataset'), data: [tk.input, tk.output, tk.cacheWrite5m, tk.cacheWrite1h, tk.cacheRead], backgroundColor: th.palette.slice(0, 5), borderColor: th.background, borderWidth: 2 }],
    },
    options: {
      ...base,
      cutout: '55%',
      plugins: { ...base.plugins, legend: { position: 'right', labels: base.plugins.legend.labels }, tooltip: { callbacks: { label: (it) => t('dashboard.tokens.item', { label: it.label, tokens: f.tokens(Number(it.raw)) }) } } },
    },
  });

  if (only('projects')) c.projects.render({
    type: 'bar',
    data: {
      labels: s.costByProject.map((p) => shorten(p.label)),
      datasets: [{ label: t('dashboard.cost.dataset'), data: s.costByProject.map((p) => p.value), backgroundColor: withAlpha(th.palette[0], 0.85), borderWidth: 0 }],
    },
    options: {
      ...base,
      indexAxis: 'y',
      scales: { x: { ticks: { ...ticks, callback: money }, grid }, y: { ticks, grid: { display: false } } },
      plugins: {
        ...base.plugins, legend: { display: false },
        tooltip: { callbacks: { title: (it) => s.costByProject[it[0]?.dataIndex ?? 0]?.label ?? '', label: (it) => f.money(Number(it.raw)) } },
      },
    },
  });

  if (only('sources')) c.sources.render({
    type: 'doughnut',
    data: {
      labels: s.bySource.map((x) => sourceLabel(x.source)),
      datasets: [{ label: t('dashboard.cost.dataset'), data: s.bySource.map((x) => x.costUSD), backgroundColor: s.bySource.map((x) => sourceColor(x.source)), borderColor: th.background, borderWidth: 2 }],
    },
    options: {
      ...base,
      cutout: '55%',
      plugins: {
        ...base.plugins, legend: { position: 'right', labels: base.plugins.legend.labels },
        tooltip: { callbacks: { label: (it) => { const x = s.bySource[it.dataIndex]; const args = { label: it.label, cost: f.moneyPartial(x.costUSD, x.unpricedTokens), tokens: f.tokens(x.tokens), requests: f.integer(x.requests) }; return x.agentCostUSD !== undefined ? t('dashboard.sources.itemWithOwn', { ...args, own: f.money(x.agentCostUSD) }) : t('dashboard.sources.item', args); } } },
      },
    },
  });

  if (only('cache')) c.cache.render({
    type: 'line',
    data: {
      labels: dayLabels,
      datasets: [{ label: t('dashboard.cache.ratio'), data: (s.cache?.dailyHitRatio ?? []).map((v) => (v === null ? null : v * 100)), borderColor: th.palette[2], backgroundColor: withAlpha(th.palette[2], 0.15), fill: true, spanGaps: true, pointRadius: 0, tension: 0.25 }],
    },
    options: {
      ...base,
      scales: { x: { ticks: { ...ticks, maxRotation: 0, autoSkip: true, sampleSize: TICK_SAMPLE }, grid: { display: false } }, y: { min: 0, max: 100, ticks: { ...ticks, callback: (v) => `${v}%` }, grid } },
      plugins: { ...base.plugins, legend: { display: false }, tooltip: { callbacks: { label: (it) => t('dashboard.cache.item', { pct: f.percent(Number(it.raw) / 100) }) } } },
    },
  });

  const q = s.codexQuota;
  if (only('quota')) c.quota.render({
    type: 'line',
    data: {
      labels: (q?.points ?? []).map((p) => f.shortDateTime(p.observedMs)),
      datasets: [
        { label: windowLabel(q?.primaryWindowMinutes ?? null, t('dashboard.window.primary')), data: (q?.points ?? []).map((p) => p.primaryPercent), borderColor: th.palette[0], backgroundColor: th.palette[0], pointRadius: 0, spanGaps: true, stepped: true },
        { label: windowLabel(q?.secondaryWindowMinutes ?? null, t('dashboard.window.weekly')), data: (q?.points ?? []).map((p) => p.secondaryPercent), borderColor: th.palette[1], backgroundColor: th.palette[1], pointRadius: 0, spanGaps: true, stepped: true },
      ],
    },
    options: {
      ...base,
      scales: { x: { ticks: { ...ticks, maxRotation: 0, autoSkip: true, maxTicksLimit: 6 }, grid: { display: false } }, y: { min: 0, max: 100, ticks: { ...ticks, callback: (v) => `${v}%` }, grid } },
      plugins: { ...base.plugins, tooltip: { mode: 'index', intersect: false, callbacks: { label: (it) => t('dashboard.window.item', { label: it.dataset.label ?? '', pct: f.percent(Number(it.raw) / 100) }) } } },
    },
  });
}

/** Claude 5-hour blocks of the last days: tokens (input + output) per block, the plan limit as a line. */
export function renderBlocks(slot: ChartSlot<'bar'>, s: DashboardSnapshot, f: Formatter, th: ThemeColors): void {
  const b = s.claudeBlocks;
  const blocks = b?.blocks ?? [];
  const base = baseOptions(th);
  const datasets: ChartDataset<'bar'>[] = [{
    label: t('dashboard.blocks.dataset'), data: blocks.map((x) => x.tokens), borderWidth: 0,
    backgroundColor: blocks.map((x) => (x.isActive ? th.palette[1] : withAlpha(th.palette[0], 0.85))),
  }];
  if (b?.limitTokens) {
    const limitLine = {
      type: 'line', label: t('dashboard.blocks.limit', { label: b.limitLabel ?? t('dashboard.blocks.planFallback') }), data: blocks.map(() => b.limitTokens), borderColor: th.danger,
      borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, fill: false,
    };
    datasets.push(limitLine as unknown as ChartDataset<'bar'>);
  }
  slot.render({
    type: 'bar',
    data: { labels: blocks.map((x) => f.shortDateTime(x.startMs)), datasets },
    options: {
      ...base,
      scales: { x: { ticks: { color: th.muted, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, grid: { display: false } }, y: { ticks: { color: th.muted, callback: (v) => f.tokens(Number(v)) }, grid: { color: th.grid } } },
      plugins: {
        ...base.plugins,
        tooltip: { mode: 'index', intersect: false, callbacks: {
          title: (it) => { const x = blocks[it[0]?.dataIndex ?? 0]; return x ? t(x.isActive ? 'dashboard.blocks.spanActive' : 'dashboard.blocks.span', { start: f.dateTime(x.startMs), end: f.time(x.endMs) }) : ''; },
          label: (it) => { const x = blocks[it.dataIndex]; return it.datasetIndex === 0 && x ? t('dashboard.blocks.item', { tokens: f.tokens(x.tokens), money: f.money(x.costUSD) }) : t('dashboard.blocks.limitItem', { label: it.dataset.label ?? '', tokens: f.tokens(Number(it.raw)) }); },
        } },
      },
    },
  });
}

function windowLabel(minutes: number | null, fallback: string): string {
  if (minutes === null) return fallback;
  if (minutes % 1440 === 0) return minutes === 10080 ? t('dashboard.window.weekly') : t('dashboard.window.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('dashboard.window.hours', { n: minutes / 60 });
  return t('dashboard.window.minutes', { n: minutes });
}

/** Long project paths keep their last segments on the axis (the tooltip shows the full path). */
function shorten(label: string): string {
  if (label.length <= 32) return label;
  const parts = label.split(/[\\/]/).filter(Boolean);
  const tail = parts.slice(-2).join('/');
  return `…/${tail.length > 30 ? tail.slice(-30) : tail}`;
}
