/** Builds the chart configurations from a snapshot (daily cost by model, tokens by type, projects, sources, cache). */
import { ESTIMATED_LABEL, hatch } from './estimatesView';
import type { ChartDataset } from 'chart.js';
import { sourceColor, sourceLabel } from './sources';
import type { DashboardSnapshot } from '../shared/protocol';
import { type ChartSlot, baseOptions, withAlpha } from './charts';
import type { Formatter } from './format';
import type { ThemeColors } from './theme';

export interface ChartSlots {
  daily: ChartSlot<'bar'>;
  tokens: ChartSlot<'doughnut'>;
  projects: ChartSlot<'bar'>;
  sources: ChartSlot<'doughnut'>;
  cache: ChartSlot<'line'>;
  quota: ChartSlot<'line'>;
  blocks: ChartSlot<'bar'>;
}


export function renderCharts(c: ChartSlots, s: DashboardSnapshot, f: Formatter, t: ThemeColors): void {
  const base = baseOptions(t);
  const money = (v: number | string) => f.moneyAxis(Number(v));
  const ticks = { color: t.muted };
  const grid = { color: t.grid };
  const withYear = s.daily.labels.length > 0 && s.daily.labels[0].slice(0, 4) !== s.daily.labels[s.daily.labels.length - 1].slice(0, 4);
  const dayLabels = s.daily.labels.map((d) => f.day(d, withYear));

  const estimated = new Map((s.estimates?.days ?? []).map((d) => [d.day, d.costUSD ?? 0]));
  c.daily.render({
    type: 'bar',
    data: {
      labels: dayLabels,
      datasets: [
        ...s.daily.series.map((ser, i) => ({
          label: ser.label, data: ser.values, backgroundColor: t.palette[i % t.palette.length] as string | CanvasPattern, borderWidth: 0, stack: 'cost',
        })),
        // days no log covers, estimated from Claude Code's stats cache: hatched, on their own
        ...(s.estimates?.days.length ? [{
          label: ESTIMATED_LABEL, data: s.daily.labels.map((d) => estimated.get(d) ?? 0), backgroundColor: hatch(t.muted), borderWidth: 0, stack: 'cost',
        }] : []),
      ],
    },
    options: {
      ...base,
      scales: {
        x: { stacked: true, ticks: { ...ticks, maxRotation: 0, autoSkip: true }, grid: { display: false } },
        y: { stacked: true, ticks: { ...ticks, callback: money }, grid },
      },
      plugins: {
        ...base.plugins,
        tooltip: {
          mode: 'index', intersect: false,
          filter: (item) => Number(item.raw) > 0,
          callbacks: {
            label: (item) => `${item.dataset.label}: ${item.dataset.label === ESTIMATED_LABEL ? '≈ ' : ''}${f.money(Number(item.raw))}`,
            footer: (items) => {
              const day = s.daily.labels[items[0]?.dataIndex ?? -1];
              const total = items.filter((it) => it.dataset.label !== ESTIMATED_LABEL).reduce((a, it) => a + Number(it.raw), 0);
              return `Total ${f.money(total)}${day && s.daily.unpricedDays.includes(day) ? ' + unpriced usage' : ''}`;
            },
          },
        },
      },
    },
  });

  const tk = s.tokensByType;
  c.tokens.render({
    type: 'doughnut',
    data: {
      labels: ['Input', 'Output', 'Cache write 5m', 'Cache write 1h', 'Cache read'],
      datasets: [{ label: 'tokens', data: [tk.input, tk.output, tk.cacheWrite5m, tk.cacheWrite1h, tk.cacheRead], backgroundColor: t.palette.slice(0, 5), borderColor: t.background, borderWidth: 2 }],
    },
    options: {
      ...base,
      cutout: '55%',
      plugins: { ...base.plugins, legend: { position: 'right', labels: base.plugins.legend.labels }, tooltip: { callbacks: { label: (it) => `${it.label}: ${f.tokens(Number(it.raw))}` } } },
    },
  });

  c.projects.render({
    type: 'bar',
    data: {
      labels: s.costByProject.map((p) => shorten(p.label)),
      datasets: [{ label: 'cost', data: s.costByProject.map((p) => p.value), backgroundColor: withAlpha(t.palette[0], 0.85), borderWidth: 0 }],
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

  c.sources.render({
    type: 'doughnut',
    data: {
      labels: s.bySource.map((x) => sourceLabel(x.source)),
      datasets: [{ label: 'cost', data: s.bySource.map((x) => x.costUSD), backgroundColor: s.bySource.map((x) => sourceColor(x.source)), borderColor: t.background, borderWidth: 2 }],
    },
    options: {
      ...base,
      cutout: '55%',
      plugins: {
        ...base.plugins, legend: { position: 'right', labels: base.plugins.legend.labels },
        tooltip: { callbacks: { label: (it) => { const x = s.bySource[it.dataIndex]; return `${it.label}: ${f.moneyPartial(x.costUSD, x.unpricedTokens)} · ${f.tokens(x.tokens)} tokens · ${f.integer(x.requests)} requests${x.agentCostUSD !== undefined ? ` · its own estimate ${f.money(x.agentCostUSD)}` : ''}`; } } },
      },
    },
  });

  c.cache.render({
    type: 'line',
    data: {
      labels: dayLabels,
      datasets: [{ label: 'Cache hit ratio', data: (s.cache?.dailyHitRatio ?? []).map((v) => (v === null ? null : v * 100)), borderColor: t.palette[2], backgroundColor: withAlpha(t.palette[2], 0.15), fill: true, spanGaps: true, pointRadius: 0, tension: 0.25 }],
    },
    options: {
      ...base,
      scales: { x: { ticks: { ...ticks, maxRotation: 0, autoSkip: true }, grid: { display: false } }, y: { min: 0, max: 100, ticks: { ...ticks, callback: (v) => `${v}%` }, grid } },
      plugins: { ...base.plugins, legend: { display: false }, tooltip: { callbacks: { label: (it) => `Cache hits: ${f.percent(Number(it.raw) / 100)}` } } },
    },
  });

  const q = s.codexQuota;
  c.quota.render({
    type: 'line',
    data: {
      labels: (q?.points ?? []).map((p) => f.shortDateTime(p.observedMs)),
      datasets: [
        { label: windowLabel(q?.primaryWindowMinutes ?? null, '5-hour'), data: (q?.points ?? []).map((p) => p.primaryPercent), borderColor: t.palette[0], backgroundColor: t.palette[0], pointRadius: 0, spanGaps: true, stepped: true },
        { label: windowLabel(q?.secondaryWindowMinutes ?? null, 'weekly'), data: (q?.points ?? []).map((p) => p.secondaryPercent), borderColor: t.palette[1], backgroundColor: t.palette[1], pointRadius: 0, spanGaps: true, stepped: true },
      ],
    },
    options: {
      ...base,
      scales: { x: { ticks: { ...ticks, maxRotation: 0, autoSkip: true, maxTicksLimit: 6 }, grid: { display: false } }, y: { min: 0, max: 100, ticks: { ...ticks, callback: (v) => `${v}%` }, grid } },
      plugins: { ...base.plugins, tooltip: { mode: 'index', intersect: false, callbacks: { label: (it) => `${it.dataset.label}: ${f.percent(Number(it.raw) / 100)}` } } },
    },
  });
}

/** Claude 5-hour blocks of the last days: tokens (input + output) per block, the plan limit as a line. */
export function renderBlocks(slot: ChartSlot<'bar'>, s: DashboardSnapshot, f: Formatter, t: ThemeColors): void {
  const b = s.claudeBlocks;
  const blocks = b?.blocks ?? [];
  const base = baseOptions(t);
  const datasets: ChartDataset<'bar'>[] = [{
    label: 'Tokens per block', data: blocks.map((x) => x.tokens), borderWidth: 0,
    backgroundColor: blocks.map((x) => (x.isActive ? t.palette[1] : withAlpha(t.palette[0], 0.85))),
  }];
  if (b?.limitTokens) {
    const limitLine = {
      type: 'line', label: `Limit: ${b.limitLabel ?? 'plan'}`, data: blocks.map(() => b.limitTokens), borderColor: t.danger,
      borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, fill: false,
    };
    datasets.push(limitLine as unknown as ChartDataset<'bar'>);
  }
  slot.render({
    type: 'bar',
    data: { labels: blocks.map((x) => f.shortDateTime(x.startMs)), datasets },
    options: {
      ...base,
      scales: { x: { ticks: { color: t.muted, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, grid: { display: false } }, y: { ticks: { color: t.muted, callback: (v) => f.tokens(Number(v)) }, grid: { color: t.grid } } },
      plugins: {
        ...base.plugins,
        tooltip: { mode: 'index', intersect: false, callbacks: {
          title: (it) => { const x = blocks[it[0]?.dataIndex ?? 0]; return x ? `${f.dateTime(x.startMs)} – ${f.time(x.endMs)}${x.isActive ? ' (active)' : ''}` : ''; },
          label: (it) => { const x = blocks[it.dataIndex]; return it.datasetIndex === 0 && x ? `${f.tokens(x.tokens)} tokens · ${f.money(x.costUSD)}` : `${it.dataset.label}: ${f.tokens(Number(it.raw))}`; },
        } },
      },
    },
  });
}

function windowLabel(minutes: number | null, fallback: string): string {
  if (minutes === null) return `${fallback} window`;
  if (minutes % 1440 === 0) return minutes === 10080 ? 'weekly window' : `${minutes / 1440}-day window`;
  if (minutes % 60 === 0) return `${minutes / 60}-hour window`;
  return `${minutes}-minute window`;
}

/** Long project paths keep their last segments on the axis (the tooltip shows the full path). */
function shorten(label: string): string {
  if (label.length <= 32) return label;
  const parts = label.split(/[\\/]/).filter(Boolean);
  const tail = parts.slice(-2).join('/');
  return `…/${tail.length > 30 ? tail.slice(-30) : tail}`;
}
