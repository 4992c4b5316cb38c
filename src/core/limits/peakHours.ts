/**
 * Peak hours in words. From spend (or, when nothing is priced, tokens: `what` = 'usage') per (local weekday,
 * local hour), e.g. the dashboard's heatmap: the smallest contiguous run of hours (it may
 * wrap past midnight) that holds at least half of all spend — among runs of that length, the one holding the
 * most. Then whether that spend falls on weekdays (Mon–Fri ≥ 80 % of it) or weekends (Sat–Sun ≥ 60 %, against
 * a 2-in-7 base) or neither. A run of 12 hours or more (what uniform spend gives) reads as "spread across the
 * day". Example: "Most of your spend is 14:00–17:00 on weekdays (58%)."
 */
/** Spend per [weekday 0 = Sunday … 6][local hour 0–23]. */
export type WeekHourMatrix = number[][];

export interface PeakHours {
  startHour: number;
  /** exclusive; may be ≤ startHour when the run wraps past midnight */
  endHour: number;
  hours: number;
  /** share of all spend inside the run */
  share: number;
  /** share of the run's spend on Monday–Friday */
  weekdayShare: number;
  days: 'weekdays' | 'weekends' | 'all week';
  sentence: string;
}

const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;

export function describePeakHours(matrix: WeekHourMatrix, what: 'spend' | 'usage' = 'spend'): PeakHours | null {
  const byHour = new Array<number>(24).fill(0);
  const weekdayByHour = new Array<number>(24).fill(0);
  for (let d = 0; d < 7; d++) {
    for (let h = 0; h < 24; h++) {
      const v = matrix[d]?.[h];
      const x = typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
      byHour[h] += x;
      if (d >= 1 && d <= 5) weekdayByHour[h] += x;
    }
  }
  const total = byHour.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  let best: { start: number; len: number; sum: number } | null = null;
  for (let len = 1; len <= 24 && !best; len++) {
    for (let start = 0; start < 24; start++) {
      let sum = 0;
      for (let i = 0; i < len; i++) sum += byHour[(start + i) % 24];
      if (sum >= total * 0.5 - 1e-12 && (!best || sum > best.sum)) best = { start, len, sum };
    }
  }
  const { start, len, sum } = best!;
  let wd = 0;
  for (let i = 0; i < len; i++) wd += weekdayByHour[(start + i) % 24];
  const weekdayShare = sum > 0 ? wd / sum : 0;
  const days: PeakHours['days'] = weekdayShare >= 0.8 ? 'weekdays' : 1 - weekdayShare >= 0.6 ? 'weekends' : 'all week';
  const share = sum / total;
  const endHour = (start + len) % 24;
  const when = days === 'all week' ? '' : ` on ${days}`;
  const sentence = len >= 12
    ? `Your ${what} is spread across the day.`
    : `Most of your ${what} is ${hh(start)}–${hh(start + len)}${when} (${Math.round(share * 100)}%).`;
  return { startHour: start, endHour, hours: len, share, weekdayShare, days, sentence };
}
