/**
 * Human number formats for the table output (JSON and CSV keep plain numbers): the digits `Intl.NumberFormat('en-US')`
 * gives, made without it — creating the first NumberFormat loads ICU's number data, ~15 ms of a CLI run that is
 * otherwise a few stats and one query. Values Intl writes differently from this (not finite, -0, 1e21 and over)
 * still go through Intl.
 */
import { englishTranslator, type Translator } from '../app/i18n/translator';

let intlInt: Intl.NumberFormat | undefined;
let intlUsd: Intl.NumberFormat | undefined;

/** "1234567" → "1,234,567" (digits only). */
function grouped(digits: string): string {
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** `plain` (String() of a non-negative number under 1e21) rounded to 2 decimals, half away from zero, as Intl does. */
function twoDecimals(plain: string): [string, string] {
  const dot = plain.indexOf('.');
  const whole = dot < 0 ? plain : plain.slice(0, dot);
  const frac = dot < 0 ? '' : plain.slice(dot + 1);
  if (frac.length <= 2 || frac.charCodeAt(2) < 0x35) return [whole, frac.slice(0, 2).padEnd(2, '0')];
  // round up: add one to the last kept digit, carrying
  const digits = (whole + frac.slice(0, 2)).split('');
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === '9') digits[i--] = '0';
  if (i < 0) digits.unshift('1');
  else digits[i] = String(Number(digits[i]) + 1);
  return [digits.slice(0, -2).join(''), digits.slice(-2).join('')];
}

/** 1234567 → "1,234,567" */
export function formatInt(n: number): string {
  const r = Math.round(n);
  if (!(Math.abs(r) < 1e21) || Object.is(r, -0)) {
    intlInt ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    return intlInt.format(r);
  }
  return r < 0 ? `-${grouped(String(-r))}` : grouped(String(r));
}

/** `Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })`: 1234.5 → "1,234.50" */
function usd2(n: number): string {
  if (!(Math.abs(n) < 1e21) || Object.is(n, -0)) {
    intlUsd ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return intlUsd.format(n);
  }
  // Intl rounds the shortest decimal that reads back as n (what String() writes), not n's exact binary value
  // (1.005 → "1.01", where toFixed(2) gives "1.00")
  const [whole, frac] = twoDecimals(String(Math.abs(n)));
  return `${n < 0 ? '-' : ''}${grouped(whole)}.${frac}`;
}

/**
 * 1234.5 → "$1,234.50"; amounts under a cent keep 4 decimals ("$0.0045") and amounts that would round to $0.0000
 * read "<$0.0001", so priced usage never reads as zero: "$0.00" is exactly zero. null (unpriced) → "n/a".
 */
export function formatUsd(n: number | null, t: Translator = englishTranslator): string {
  if (n === null) return t('cli.na');
  if (n > 0 && n < 0.00005) return '<$0.0001';
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${usd2(n)}`;
}
