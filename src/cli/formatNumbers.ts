/** Human number formats for the table output (JSON and CSV keep plain numbers). */
import { englishTranslator, type Translator } from '../app/i18n/translator';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1234567 → "1,234,567" */
export function formatInt(n: number): string {
  return int.format(Math.round(n));
}

/**
 * 1234.5 → "$1,234.50"; amounts under a cent keep 4 decimals ("$0.0045") and amounts that would round to $0.0000
 * read "<$0.0001", so priced usage never reads as zero: "$0.00" is exactly zero. null (unpriced) → "n/a".
 */
export function formatUsd(n: number | null, t: Translator = englishTranslator): string {
  if (n === null) return t('cli.na');
  if (n > 0 && n < 0.00005) return '<$0.0001';
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${usd.format(n)}`;
}
