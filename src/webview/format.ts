import { t } from './i18n';

/**
 * Number and date formatting for the dashboard with `Intl`, in VS Code's display language and the configured time
 * zone. Pure (no DOM). Amounts arrive in USD and are shown as usd × perUsd in the display currency; null costs
 * (unpriced models) are shown as "n/a", never as 0.
 */

export interface FormatOptions {
  locale: string;
  timeZone: string;
  currency: { code: string; perUsd: number };
}

export interface Formatter {
  money(usd: number | null): string;
  /** money with a "+" marker when part of it is unpriced */
  moneyPartial(usd: number, unpricedTokens: number): string;
  /** a currency amount for chart axes (compact) */
  moneyAxis(usd: number): string;
  tokens(n: number): string;
  integer(n: number): string;
  percent(ratio: number | null, digits?: number): string;
  /** signed change, e.g. "▲ 12%" */
  change(ratio: number | null): string;
  /** YYYY-MM-DD (already local) → short date, e.g. "Mar 18" */
  day(day: string, withYear?: boolean): string;
  /** epoch ms → date and time in the zone */
  dateTime(ms: number): string;
  /** epoch ms → short day and hour in the zone (chart axes) */
  shortDateTime(ms: number): string;
  /** epoch ms → time of day in the zone */
  time(ms: number): string;
  duration(ms: number): string;
  weekdayShort(weekday: number): string;
}

function safeLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length ? locale : 'en';
  } catch {
    return 'en';
  }
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

export function createFormatter(o: FormatOptions): Formatter {
  const locale = safeLocale(o.locale);
  const timeZone = safeZone(o.timeZone);
  const rate = o.currency.perUsd > 0 ? o.currency.perUsd : 1;
  let code = /^[A-Z]{3}$/.test(o.currency.code) ? o.currency.code : 'USD';
  let cur: Intl.NumberFormat;
  try {
    cur = new Intl.NumberFormat(locale, { style: 'currency', currency: code, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch {
    code = 'USD';
    cur = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  const curCompact = new Intl.NumberFormat(locale, { style: 'currency', currency: code, notation: 'compact', maximumFractionDigits: 1 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = (d: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: d, minimumFractionDigits: 0 });
  const dayFmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' });
  const dayYearFmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
  const dtFmt = new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const sdtFmt = new Intl.DateTimeFormat(locale, { timeZone, month: 'short', day: 'numeric', hour: '2-digit' });
  const tFmt = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
  const wdFmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' });
  const money = (usd: number) => {
    const v = usd * rate;
    // amounts below one cent are shown with more digits rather than as 0.00
    if (v !== 0 && Math.abs(v) < 0.01) return new Intl.NumberFormat(locale, { style: 'currency', currency: code, maximumSignificantDigits: 2 }).format(v);
    return cur.format(v);
  };
  return {
    money: (usd) => (usd === null || !Number.isFinite(usd) ? t('dashboard.na') : money(usd)),
    moneyPartial: (usd, unpriced) => (unpriced > 0 ? `${money(usd)}+` : money(usd)),
    moneyAxis: (usd) => curCompact.format(usd * rate),
    tokens: (n) => compact.format(n),
    integer: (n) => int.format(n),
    percent: (r, digits = 0) => (r === null || !Number.isFinite(r) ? t('dashboard.na') : pct(digits).format(r)),
    change: (r) => (r === null || !Number.isFinite(r) ? '—' : `${r > 0 ? '▲' : r < 0 ? '▼' : '■'} ${pct(0).format(Math.abs(r))}`),
    day: (day, withYear = false) => {
      const [y, m, d] = day.split('-').map(Number);
      const t = Date.UTC(y, (m || 1) - 1, d || 1);
      return Number.isFinite(t) ? (withYear ? dayYearFmt : dayFmt).format(t) : day;
    },
    dateTime: (ms) => dtFmt.format(ms),
    shortDateTime: (ms) => sdtFmt.format(ms),
    time: (ms) => tFmt.format(ms),
    duration: (ms) => {
      const min = Math.round(ms / 60_000);
      if (min < 1) return t('dashboard.duration.underMinute');
      if (min < 60) return t('dashboard.duration.minutes', { m: min });
      const hrs = Math.floor(min / 60);
      return hrs < 48 ? t('dashboard.duration.hours', { h: hrs, m: min % 60 }) : t('dashboard.duration.days', { d: Math.floor(hrs / 24), h: hrs % 24 });
    },
    // 2023-01-01 was a Sunday
    weekdayShort: (w) => wdFmt.format(Date.UTC(2023, 0, 1 + w)),
  };
}
