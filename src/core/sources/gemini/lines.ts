/**
 * The complete lines of a block handed to a LinesParser (plugin.ts: every line ends with '\n'), each parsed as JSON.
 * Blank lines are skipped; a line that is not JSON is returned as `undefined` (the caller counts it as malformed).
 */
export function* jsonLines(buf: Buffer, start: number): Generator<unknown> {
  let pos = start;
  while (pos < buf.length) {
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0) nl = buf.length;
    const text = buf.toString('utf8', pos, nl).replace(/^\uFEFF/, '').trim();
    pos = nl + 1;
    if (text.length === 0) continue;
    try {
      yield JSON.parse(text) as unknown;
    } catch {
      yield undefined;
    }
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** epoch ms of an ISO time, undefined when it is not one */
export function timeOf(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
