/**
 * Selective JSON reader for the ingest hot path: reads one JSON object from a byte range and returns only the
 * keys named in a field spec, as `JSON.parse` would have given them. Everything else is skipped without
 * building JS values: strings are stepped over (a short JS loop, then a native search for long ones), numbers
 * and literals are checked against the JSON grammar, nesting is checked.
 *
 * Why: a Claude usage line is ~1-2 KB of JSON of which the parser needs a dozen scalars; building the whole object
 * with `JSON.parse` (after decoding the bytes to a string) cost more. Measured on the bench corpus's Claude part,
 * one thread: a parse pass took ~0.85 s instead of ~1.08 s. For Codex `token_count` lines (dense with numbers, most
 * of them used) `JSON.parse` stayed faster, so the Codex parser does not use this reader.
 *
 * Result, for a line that is valid JSON: equal to `JSON.parse(line)` projected on the spec:
 * - a key whose spec is `true` (a leaf) gets its value when it is a string, number, boolean or null, and an
 *   empty placeholder `{}` / `[]` when it is an object / array (truthy and of the same `typeof`);
 * - a key whose spec is an object gets a projected object when its value is an object, `[]` when an array,
 *   and the value itself when a scalar, so the callers' `typeof … === 'object'` checks behave as on JSON.parse;
 * - a repeated key: the last one wins, as in JSON.parse; keys written with escapes (`"us\u0061ge"`) match.
 * Returns `undefined` when the bytes are not a JSON object (structure, numbers, literals, escapes of read
 * strings) or nest deeper than MAX_DEPTH: the caller then falls back to `JSON.parse`, which decides.
 * Not checked in skipped strings: control characters and escape sequences (JSON.parse would reject a raw tab
 * inside a string; here such a line is read). Tools write these logs with a JSON serializer, so this does not
 * occur in practice; the difference is documented rather than paid for on every byte.
 */
export interface FieldSpec {
  [key: string]: true | FieldSpec;
}

export interface CompiledFieldSpec {
  readonly names: string[];
  readonly keys: Buffer[];
  readonly children: (CompiledFieldSpec | null)[];
}

export function compileFieldSpec(spec: FieldSpec): CompiledFieldSpec {
  const names = Object.keys(spec);
  return {
    names,
    keys: names.map((n) => Buffer.from(n, 'utf8')),
    children: names.map((n) => {
      const v = spec[n];
      return v === true ? null : compileFieldSpec(v);
    }),
  };
}

const QUOTE = 0x22;
const BSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** Strings up to this length are stepped over in JS; longer ones by a native search for the closing quote. */
const SHORT_STRING = 48;
export const MAX_DEPTH = 256;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

// Stacks of the containers the cursor is in (reused; depth is bounded by MAX_DEPTH).
const isObjectAt = new Uint8Array(MAX_DEPTH + 2);
const specAt: (CompiledFieldSpec | null)[] = new Array(MAX_DEPTH + 2).fill(null);
const outAt: (Record<string, unknown> | null)[] = new Array(MAX_DEPTH + 2).fill(null);

const KEY_OR_END = 0; // after `{`
const KEY = 1; // after `,` in an object
const VALUE_OR_END = 2; // after `[`
const VALUE = 3; // after `:` or `,` in an array
const AFTER_VALUE = 4;

/**
 * One loop over the bytes with an explicit stack (locals stay in registers; no call per token). The key matched
 * in a projected object is `want` (its index in that object's spec, -1 if not wanted) until its value is read.
 */
export function readFields(b: Buffer, s: number, e: number, spec: CompiledFieldSpec): Record<string, unknown> | undefined {
  let p = s;
  while (p < e && isWs(b[p])) p++;
  if (p >= e || b[p] !== LBRACE) return undefined;
  const root: Record<string, unknown> = {};
  let d = 0;
  isObjectAt[0] = 1;
  specAt[0] = spec;
  outAt[0] = root;
  p++;
  let state = KEY_OR_END;
  let want = -1;
  let result: Record<string, unknown> | undefined;
  for (;;) {
    while (p < e && isWs(b[p])) p++;
    if (p >= e) break;
    const c = b[p];
    if (state === AFTER_VALUE) {
      const inObject = isObjectAt[d] === 1;
      if (c === COMMA) {
        p++;
        state = inObject ? KEY : VALUE;
        continue;
      }
      if (c !== (inObject ? RBRACE : RBRACKET)) break;
      p++;
      specAt[d] = null;
      outAt[d] = null;
      if (d === 0) {
        while (p < e && isWs(b[p])) p++;
        if (p === e) result = root;
        break;
      }
      d--;
      continue;
    }
    if (state === KEY_OR_END || state === KEY) {
      if (c === RBRACE && state === KEY_OR_END) {
        state = AFTER_VALUE;
        continue; // AFTER_VALUE closes the object
      }
      if (c !== QUOTE) break;
      const r = stringEnd(b, p, e);
      if (r < 0) break;
      const ke = r >> 1;
      const sp = specAt[d];
      want = sp === null ? -1 : keyIndex(sp, b, p + 1, ke, (r & 1) === 1);
      if (want === -2) break;
      p = ke + 1;
      while (p < e && isWs(b[p])) p++;
      if (p >= e || b[p] !== COLON) break;
      p++;
      state = VALUE;
      continue;
    }
    // a value (state VALUE or VALUE_OR_END)
    if (c === RBRACKET && state === VALUE_OR_END) {
      state = AFTER_VALUE;
      continue; // AFTER_VALUE closes the array
    }
    const sp = want >= 0 ? specAt[d] : null;
    const out = outAt[d];
    if (c === LBRACE || c === LBRACKET) {
      if (d >= MAX_DEPTH) break;
      let child: CompiledFieldSpec | null = null;
      let childOut: Record<string, unknown> | null = null;
      if (sp !== null && out !== null) {
        child = c === LBRACE ? sp.children[want] : null;
        if (child !== null) childOut = {};
        out[sp.names[want]] = childOut ?? (c === LBRACE ? {} : []);
        if (childOut === null) child = null;
      }
      d++;
      isObjectAt[d] = c === LBRACE ? 1 : 0;
      specAt[d] = child;
      outAt[d] = childOut;
      p++;
      want = -1;
      state = c === LBRACE ? KEY_OR_END : VALUE_OR_END;
      continue;
    }
    state = AFTER_VALUE;
    if (c === QUOTE) {
      const r = stringEnd(b, p, e);
      if (r < 0) break;
      const se = r >> 1;
      if (sp !== null && out !== null) {
        const v = decodeString(b, p + 1, se, (r & 1) === 1);
        if (v === undefined) break;
        out[sp.names[want]] = v;
      }
      p = se + 1;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
      if (p + word.length > e) break;
      let k = 1;
      while (k < word.length && b[p + k] === word[k]) k++;
      if (k < word.length) break;
      p += word.length;
      if (sp !== null && out !== null) out[sp.names[want]] = c === 0x74 ? true : c === 0x66 ? false : null;
    } else {
      // a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
      const ns = p;
      let neg = false;
      if (c === MINUS) {
        neg = true;
        p++;
      }
      let v = 0;
      let x = p < e ? b[p] : 0;
      if (x === ZERO) p++;
      else if (x > ZERO && x <= NINE) {
        do {
          v = v * 10 + (x - ZERO);
          x = ++p < e ? b[p] : 0;
        } while (x >= ZERO && x <= NINE);
      } else break;
      const intDigits = p - ns - (neg ? 1 : 0);
      let plain = true;
      if (p < e && b[p] === DOT) {
        plain = false;
        const f = ++p;
        while (p < e && b[p] >= ZERO && b[p] <= NINE) p++;
        if (p === f) break;
      }
      if (p < e && (b[p] === 0x65 || b[p] === 0x45)) {
        plain = false;
        p++;
        if (p < e && (b[p] === PLUS || b[p] === MINUS)) p++;
        const f = p;
        while (p < e && b[p] >= ZERO && b[p] <= NINE) p++;
        if (p === f) break;
      }
      if (sp !== null && out !== null) out[sp.names[want]] = plain && intDigits <= 15 ? (neg ? -v : v) : Number(b.toString('latin1', ns, p));
    }
    want = -1;
  }
  for (let i = 0; i <= d; i++) {
    specAt[i] = null;
    outAt[i] = null;
  }
  return result;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** At the opening quote `b[i]`: the index of the closing quote before `e` (escapes honoured), -1 if unterminated. */
export function closingQuote(b: Buffer, i: number, e: number): number {
  const r = stringEnd(b, i, e);
  return r < 0 ? -1 : r >> 1;
}

/**
 * At the opening quote `b[i]`: the index of the closing quote, times 2, plus 1 when the string may hold a
 * backslash; -1 when unterminated. Short strings are stepped over in JS, long ones searched natively (a quote
 * after an odd run of backslashes is escaped).
 */
function stringEnd(b: Buffer, i: number, e: number): number {
  let j = i + 1;
  const lim = Math.min(j + SHORT_STRING, e);
  let esc = 0;
  while (j < lim) {
    const c = b[j];
    if (c === QUOTE) return j * 2 + esc;
    if (c === BSLASH) {
      esc = 1;
      j += 2;
    } else j++;
  }
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q < 0 || q >= e) return -1;
    let k = q - 1;
    while (b[k] === BSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q * 2 + 1;
    j = q + 1;
  }
}

/** Index of the key [ks, ke) in the spec: -1 when not wanted, -2 when its escapes are invalid. */
function keyIndex(spec: CompiledFieldSpec, b: Buffer, ks: number, ke: number, esc: boolean): number {
  if (esc) {
    const name = decodeString(b, ks, ke, true);
    return name === undefined ? -2 : spec.names.indexOf(name);
  }
  const keys = spec.keys;
  const len = ke - ks;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k.length !== len) continue;
    let j = 0;
    while (j < len && k[j] === b[ks + j]) j++;
    if (j === len) return i;
  }
  return -1;
}

/** The string whose content is [s, e) (between its quotes); undefined when its escapes are invalid. */
function decodeString(b: Buffer, s: number, e: number, esc: boolean): string | undefined {
  if (esc) {
    const bs = b.indexOf(BSLASH, s);
    if (bs >= 0 && bs < e) {
      try {
        return JSON.parse(b.toString('utf8', s - 1, e + 1)) as string;
      } catch {
        return undefined;
      }
    }
  }
  return b.toString('utf8', s, e);
}
