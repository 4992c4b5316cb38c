/**
 * Aligned plain-text table: text left, numbers right, a rule under the header and above the totals row.
 * When wider than `maxWidth`, shrinkable text columns are cut (with "…") until it fits.
 * Cells hold text from the logs (cwd, branch, model, session): control characters, and the bidirectional controls
 * that reorder what follows them, are shown as `\xNN` / `\u{NNNN}` so an escape sequence or a reordering in a log
 * never reaches the terminal. Widths are terminal columns (string-width: a CJK character or an emoji takes two, a
 * combining mark none), and cuts fall between graphemes, so paths in any script keep the columns aligned.
 * string-width and the grapheme segmenter are loaded on the first cell that is not plain ASCII: setting them up (their
 * Unicode property patterns, ICU's break data) costs more than rendering a whole table of numbers.
 */
import type stringWidthOf from 'string-width';

/** C0 controls, DEL and C1 controls. */
const CONTROL = /\p{Cc}/gu;
/** Bidirectional formatting characters (LRM, RLM, ALM, embeddings, overrides, isolates). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `s` with every C0/C1 control character and DEL replaced by a visible `\xNN` (e.g. ESC → `\x1b`) and every
 * bidirectional control by `\u{NNNN}` (e.g. RIGHT-TO-LEFT OVERRIDE → `\u{202e}`).
 */
export function printable(s: string): string {
  return s
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(BIDI, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

const ASCII = /^[\x20-\x7e]*$/;

let segmenterMade: Intl.Segmenter | undefined;
let stringWidthLoaded: typeof stringWidthOf | undefined;
const graphemeWidths = new Map<string, number>();

function graphemes(s: string): Intl.Segments {
  segmenterMade ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenterMade.segment(s);
}

function stringWidth(s: string): number {
  // a synchronous load, on first need (esbuild bundles the module and runs its set-up here)
  stringWidthLoaded ??= (require('string-width') as { default: typeof stringWidthOf }).default;
  return stringWidthLoaded(s);
}

/** Width of one grapheme, remembered (a table repeats the same few hundred characters; measuring one costs ~20 µs). */
function graphemeWidth(g: string): number {
  let w = graphemeWidths.get(g);
  if (w === undefined) {
    if (graphemeWidths.size >= 10_000) graphemeWidths.clear();
    w = stringWidth(g);
    graphemeWidths.set(g, w);
  }
  return w;
}

/**
 * Terminal columns `s` takes (East Asian wide characters and emoji 2, combining marks 0): string-width's measure,
 * summed per grapheme (as string-width does) with each grapheme's width remembered, which is 2-3x faster on text.
 */
export function displayWidth(s: string): number {
  if (ASCII.test(s)) return s.length; // most cells: numbers, ids, most paths
  let w = 0;
  for (const { segment } of graphemes(s)) w += graphemeWidth(segment);
  return w;
}

export interface TextColumn {
  header: string;
  align: 'left' | 'right';
  /** may be cut to fit; `start` keeps the end of the text (paths), `end` keeps the beginning */
  shrink?: 'start' | 'end';
  minWidth?: number;
}

const GAP = '  ';

/** `s` cut to at most `width` columns with "…" on the cut side, never inside a grapheme (a surrogate pair, a ZWJ emoji). */
export function cut(s: string, width: number, side: 'start' | 'end'): string {
  return fitTo(s, displayWidth(s), width, side)[0];
}

/** `cut` of a cell whose display width `w` is known: the text and its width (so it is measured once). */
function fitTo(s: string, w: number, width: number, side: 'start' | 'end'): [string, number] {
  if (w <= width) return [s, w];
  if (width <= 1) return ['…', 1];
  if (ASCII.test(s)) return [side === 'start' ? `…${s.slice(s.length - width + 1)}` : `${s.slice(0, width - 1)}…`, width];
  const parts = Array.from(graphemes(s), (g) => g.segment);
  if (side === 'start') parts.reverse();
  const kept: string[] = [];
  let used = 1; // the "…"
  for (const g of parts) {
    const gw = graphemeWidth(g);
    if (used + gw > width) break;
    kept.push(g);
    used += gw;
  }
  return [side === 'start' ? `…${kept.reverse().join('')}` : `${kept.join('')}…`, used];
}

export function renderTable(columns: readonly TextColumn[], rawBody: readonly string[][], rawTotal?: readonly string[], maxWidth = 120): string[] {
  const body = rawBody.map((r) => r.map(printable));
  const total = rawTotal?.map(printable);
  const all = total ? [...body, total] : body;
  const measured = new Map<string, number>(); // non-ASCII cells are slow to measure: each distinct one once
  const widthOf = (s: string) => {
    if (ASCII.test(s)) return s.length;
    let w = measured.get(s);
    if (w === undefined) {
      w = displayWidth(s);
      measured.set(s, w);
    }
    return w;
  };
  const widths = columns.map((c, i) => Math.max(widthOf(c.header), ...all.map((r) => widthOf(r[i] ?? ''))));
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
        const cell = cells[i] ?? '';
        const [text, w] = fitTo(cell, widthOf(cell), widths[i], c.shrink ?? 'end');
        const fill = ' '.repeat(Math.max(0, widths[i] - w));
        return c.align === 'right' ? fill + text : text + fill;
      })
      .join(GAP)
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(GAP);
  const out = [line(columns.map((c) => c.header)), rule, ...body.map(line)];
  if (total) out.push(rule, line(total));
  return out;
}
