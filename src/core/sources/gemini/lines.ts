/**
 * The complete lines of a block handed to a LinesParser (plugin.ts: every line ends with '\n'), each parsed as JSON.
 * Blank lines are skipped; a line that is not JSON is returned as `undefined` (the caller counts it as malformed).
 * A line is parsed as it is first (JSON.parse skips JSON's own blanks around a value, e.g. a CRLF's '\r': the same
 * value as after trimming them); only a line that does not parse so, or starts with a BOM, is trimmed of every
 * Unicode blank and BOM and parsed again — no trimmed copy and no regular expression per line.
 */
export function* jsonLines(buf: Buffer, start: number): Generator<unknown> {
  let pos = start;
  while (pos < buf.length) {
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0) nl = buf.length;
    const line = buf.toString('utf8', pos, nl);
    pos = nl + 1;
    const value = line.charCodeAt(0) === 0xfeff ? NOT_JSON : parsed(line);
    if (value !== NOT_JSON) {
      yield value;
      continue;
    }
    const text = line.replace(/^\uFEFF/, '').trim();
    if (text.length === 0) continue;
    const again = parsed(text);
    yield again === NOT_JSON ? undefined : again;
  }
}

const NOT_JSON = Symbol('not JSON');

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
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
