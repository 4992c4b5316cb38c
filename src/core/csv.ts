/**
 * CSV writer (RFC 4180) shared by the CLI and the extension's export.
 * - a header row, CRLF line ends, fields quoted only when they contain `"`, `,`, CR or LF (quotes doubled);
 * - numbers written plainly (no thousands separators, never an exponent), dates as ISO 8601 UTC;
 * - formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so
 *   spreadsheets show it as text (project names and branches come from logs). Numbers stay numbers, also negative ones.
 */

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** A number in plain decimal notation (`1e-7` → `0.0000001`, `1e21` → `1000000000000000000000`); NaN/∞ → empty. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expStr] = m;
  const digits = lead + frac;
  const exp = Number(expStr);
  const point = 1 + exp; // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function textCell(s: string): string {
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One cell as it appears in the file. */
export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return plainNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  return textCell(v);
}

/** The whole file: header row plus one line per row, each ended by CRLF. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: Iterable<T>): string {
  const lines = [columns.map((c) => textCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
