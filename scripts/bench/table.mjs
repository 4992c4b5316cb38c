// Plain-text table for the benchmark report (also valid Markdown, so it can be pasted into the README).

/** @param {string[]} header @param {(string|number)[][]} rows */
export function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export const fmtMs = (ms) => (ms == null || !Number.isFinite(ms) ? 'n/a' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1_000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);
export const fmtMb = (bytes) => (bytes == null || !Number.isFinite(bytes) ? 'n/a' : bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`);
export const fmtInt = (n) => (n == null ? 'n/a' : Math.round(n).toLocaleString('en-US'));
