/** A horizontal bar chart as a standalone SVG (no script, no external reference): the HTML report's charts. */
import type { ReportChart } from '../model';
import { escapeHtml, formatUsd } from './format';

const ROW = 22;
const LABEL_W = 190;
const BAR_W = 380;
const VALUE_W = 90;

export function chartSvg(c: ReportChart): string {
  const width = LABEL_W + BAR_W + VALUE_W;
  const height = c.labels.length * ROW + 8;
  const max = Math.max(0, ...c.values);
  const bars = c.labels.map((l, i) => {
    const v = c.values[i];
    const w = max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round((v / max) * BAR_W)) : 0;
    const y = 4 + i * ROW;
    const text = l.length > 30 ? `${l.slice(0, 29)}…` : l;
    const value = c.unit === 'usd' ? formatUsd(v) : Math.round(v).toLocaleString('en-US');
    return (
      `<text x="${LABEL_W - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(text)}</text>` +
      `<rect x="${LABEL_W}" y="${y + 3}" width="${w}" height="${ROW - 6}" fill="#3b82f6"/>` +
      `<text x="${LABEL_W + w + 4}" y="${y + 15}">${escapeHtml(value)}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(c.title)}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" fill="#1f2937">${bars.join('')}</svg>`
  );
}
