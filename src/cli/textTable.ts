/**
 * Aligned plain-text table: text left, numbers right, a rule under the header and above the totals row.
 * When wider than `maxWidth`, shrinkable text columns are cut (with "…") until it fits.
 * Cells hold text from the logs (cwd, branch, model, session): control characters are shown as `\xNN` so an escape
 * sequence in a log never reaches the terminal and every cell is as wide as it looks.
 */

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `s` with every C0/C1 control character and DEL replaced by a visible `\xNN` (e.g. ESC → `\x1b`). */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

export interface TextColumn {
  header: string;
  align: 'left' | 'right';
  /** may be cut to fit; `start` keeps the end of the text (paths), `end` keeps the beginning */
  shrink?: 'start' | 'end';
  minWidth?: number;
}

const GAP = '  ';

function cut(s: string, width: number, side: 'start' | 'end'): string {
  if (s.length <= width) return s;
  if (width <= 1) return '…';
  return side === 'start' ? '…' + s.slice(s.length - width + 1) : s.slice(0, width - 1) + '…';
}

export function renderTable(columns: readonly TextColumn[], rawBody: readonly string[][], rawTotal?: readonly string[], maxWidth = 120): string[] {
  const body = rawBody.map((r) => r.map(printable));
  const total = rawTotal?.map(printable);
  const all = total ? [...body, total] : body;
  const widths = columns.map((c, i) => Math.max(c.header.length, ...all.map((r) => (r[i] ?? '').length)));
  const totalWidth = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  while (totalWidth() > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.shrink && widths[i] > (c.minWidth ?? 8) && (widest < 0 || widths[i] > widths[widest])) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = Math.max(columns[widest].minWidth ?? 8, widths[widest] - (totalWidth() - maxWidth));
  }
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const s = cut(cells[i] ?? '', widths[i], c.shrink ?? 'end');
        return c.align === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i]);
      })
      .join(GAP)
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(GAP);
  const out = [line(columns.map((c) => c.header)), rule, ...body.map(line)];
  if (total) out.push(rule, line(total));
  return out;
}
