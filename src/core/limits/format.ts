/** Compact token count: 950 → "950", 12,300 → "12.3k", 1,234,567 → "1.2M", 2.5e9 → "2.5B". */
export function formatTokens(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}B`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e3) return `${trim(n / 1e3)}k`;
  return String(Math.round(n));
}

function trim(v: number): string {
  return v.toFixed(1).replace(/\.0$/, '');
}

/** USD with cents: 4.1 → "$4.10"; under a cent → "<$0.01". */
export function formatUsd(v: number): string {
  if (v > 0 && v < 0.005) return '<$0.01';
  return `$${v.toFixed(2)}`;
}

/** Share as a whole percent: 0.384 → "38%". */
export function formatPct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
