/**
 * The dashboard's charts (chart.js, bundled; only the controllers used are registered). Each chart is created once
 * and then updated in place with `update('none')`, so pushes from the host never flicker or replay animations.
 */
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Filler, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip, type ChartConfiguration, type ChartType,
} from 'chart.js';
import type { ThemeColors } from './theme';

Chart.register(BarController, DoughnutController, LineController, BarElement, ArcElement, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.animation = false;

/** Keeps one Chart per canvas; `render` creates it the first time and patches data/options afterwards. */
export class ChartSlot<T extends ChartType> {
  private chart: Chart<T> | null = null;
  constructor(readonly canvas: HTMLCanvasElement) {}

  render(config: ChartConfiguration<T>): void {
    if (!this.chart) {
      this.chart = new Chart(this.canvas, config);
      return;
    }
    const c = this.chart;
    c.data.labels = config.data.labels;
    // keep dataset objects where labels match so chart.js patches instead of rebuilding
    const next = config.data.datasets;
    c.data.datasets = next.map((d, i) => {
      const prev = c.data.datasets[i];
      if (prev && prev.label === d.label) return Object.assign(prev, d);
      return d;
    });
    if (config.options) c.options = config.options as typeof c.options;
    c.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}

/** Axis and legend styling from the theme, shared by every chart. */
export function baseOptions(t: ThemeColors) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: t.foreground,
    borderColor: t.grid,
    plugins: {
      legend: { labels: { color: t.foreground, boxWidth: 12, boxHeight: 12 } },
      tooltip: { mode: 'index' as const, intersect: false },
    },
  };
}

/** Colour with alpha, for fills derived from a theme colour (any CSS colour syntax). */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c);
  if (hex) {
    let s = hex[1];
    if (s.length === 3 || s.length === 4) s = [...s.slice(0, 3)].map((x) => x + x).join('');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(s.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(c);
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[ ,/]+/).filter(Boolean);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return c;
}
