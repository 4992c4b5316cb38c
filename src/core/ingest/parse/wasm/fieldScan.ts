// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs (not type-checked by tsc: see tsconfig.json).
//
// The byte scanner of readFields() (../selectiveJson.ts) for the ingest hot path: one pass over a JSON object
// that checks its structure, numbers and literals, steps over strings with 16-byte SIMD compares, and writes a
// "tape" of the values whose keys are in the field spec. ../wasmFieldReader.ts builds the result object from the
// tape. Its contract: when scan() returns a tape, that tape rebuilds exactly what readFields() returns for the same
// bytes; in every other case (anything not accepted, an escaped key in a projected object, a full tape) it returns
// a negative number and readFields() decides. So this file only has to be right on the lines it accepts.
//
// Memory: the spec tables below (static data, filled by the caller); the tape and the input are placed by the
// caller after __heap_base. The input must be followed by 16 readable bytes (the SIMD loads may look past its end;
// what they find there is never used).

export const MAX_DEPTH: i32 = 256; // = MAX_DEPTH of selectiveJson.ts (checked by ../wasmFieldReader.ts)
const isObjectAt = memory.data(MAX_DEPTH + 2);
const specAt = memory.data((MAX_DEPTH + 2) * 4);
// the tape entry of the placeholder of the container at each depth (a leaf key's object or array), else -1: its end
// is written there when the container closes
const placeholderAt = memory.data((MAX_DEPTH + 2) * 4);

// The field spec as tables: node n = [keyCount, firstKey] (i32 each); key k = [byteOffset, byteLength, childNode
// or -1] (i32 each); key bytes. Node 0 is the root.
export const MAX_NODES: i32 = 64;
export const MAX_KEYS: i32 = 256;
export const MAX_KEY_BYTES: i32 = 4096;
const SPEC_NODES = memory.data(MAX_NODES * 8);
const SPEC_KEYS = memory.data(MAX_KEYS * 12);
const SPEC_BYTES = memory.data(MAX_KEY_BYTES);

export function specNodes(): usize { return SPEC_NODES; }
export function specKeys(): usize { return SPEC_KEYS; }
export function specBytes(): usize { return SPEC_BYTES; }
export function heapBase(): usize { return __heap_base; }

// Tape entries are 4 × i32: [op, key index in the current projected object, value start, value end].
export const OP_STRING: i32 = 1; // [start, end) = the string with its quotes, no backslash in it
export const OP_STRING_ESCAPED: i32 = 2; // the same, with at least one backslash
export const OP_INT: i32 = 3; // an integer of at most 15 digits, optional minus
export const OP_NUMBER: i32 = 4; // any other JSON number
export const OP_TRUE: i32 = 5;
export const OP_FALSE: i32 = 6;
export const OP_NULL: i32 = 7;
export const OP_EMPTY_OBJECT: i32 = 8; // an object under a leaf key: {} placeholder; [start, end) = the object
export const OP_EMPTY_ARRAY: i32 = 9; // an array under any key: [] placeholder; [start, end) = the array
export const OP_PUSH: i32 = 10; // an object under a key with a child spec: a projected object starts
export const OP_POP: i32 = 11; // the projected object ends

const KEY_OR_END: i32 = 0; // after `{`
const KEY: i32 = 1; // after `,` in an object
const VALUE_OR_END: i32 = 2; // after `[`
const VALUE: i32 = 3; // after `:` or `,` in an array
const AFTER_VALUE: i32 = 4;

const QUOTE: i32 = 0x22;
const BSLASH: i32 = 0x5c;

/** At the opening quote `i`: the closing quote's index × 2, plus 1 if a backslash was seen; -1 if none before e. */
// @ts-ignore: decorator
@inline function stringEnd(i: i32, e: i32): i32 {
  let j = i + 1;
  let esc = 0;
  const quotes = i8x16.splat(<i8>QUOTE);
  const slashes = i8x16.splat(<i8>BSLASH);
  while (j < e) {
    const v = v128.load(j);
    const m = i8x16.bitmask(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, slashes)));
    if (m == 0) {
      j += 16;
      continue;
    }
    const k = j + ctz(m);
    if (k >= e) return -1;
    if (<i32>load<u8>(k) == QUOTE) return (k << 1) | esc;
    esc = 1; // a backslash: the byte after it is escaped
    j = k + 2;
  }
  return -1;
}

// @ts-ignore: decorator
@inline function isWs(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a;
}

// @ts-ignore: decorator
@inline function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

/** The index of key [ks, ke) in spec node `node`, -1 when it is not wanted. */
function keyIndex(node: i32, ks: i32, ke: i32): i32 {
  const n = load<i32>(SPEC_NODES + (node << 3));
  const first = load<i32>(SPEC_NODES + (node << 3) + 4);
  const len = ke - ks;
  for (let i = 0; i < n; i++) {
    const kp = SPEC_KEYS + (first + i) * 12;
    if (load<i32>(kp + 4) != len) continue;
    const bytes = SPEC_BYTES + load<i32>(kp);
    let j = 0;
    while (j < len && load<u8>(bytes + j) == load<u8>(ks + j)) j++;
    if (j == len) return i;
  }
  return -1;
}

function childOf(node: i32, index: i32): i32 {
  const first = load<i32>(SPEC_NODES + (node << 3) + 4);
  return load<i32>(SPEC_KEYS + (first + index) * 12 + 8);
}

/**
 * Scans the object in [s, e). Writes at most `cap` tape entries at `tape`. Returns the number of entries written,
 * -1 when readFields() must decide (not accepted here), -2 when the tape is full.
 */
export function scan(s: i32, e: i32, tape: i32, cap: i32): i32 {
  let p = s;
  while (p < e && isWs(load<u8>(p))) p++;
  if (p >= e || load<u8>(p) != 0x7b) return -1;
  let d = 0;
  store<u8>(isObjectAt, 1);
  store<i32>(specAt, 0);
  p++;
  let state = KEY_OR_END;
  let want = -1;
  let t = 0;
  for (;;) {
    while (p < e && isWs(load<u8>(p))) p++;
    if (p >= e) return -1;
    const c = <i32>load<u8>(p);
    if (state == AFTER_VALUE) {
      const inObject = load<u8>(isObjectAt + d) == 1;
      if (c == 0x2c) {
        p++;
        state = inObject ? KEY : VALUE;
        continue;
      }
      if (c != (inObject ? 0x7d : 0x5d)) return -1;
      p++;
      if (d == 0) {
        while (p < e && isWs(load<u8>(p))) p++;
        return p == e ? t : -1;
      }
      if (load<i32>(specAt + (d << 2)) >= 0) {
        if (t >= cap) return -2;
        store<i32>(tape + (t << 4), OP_POP);
        t++;
      }
      const placeholder = load<i32>(placeholderAt + (d << 2));
      if (placeholder >= 0) store<i32>(tape + (placeholder << 4) + 12, p);
      d--;
      continue;
    }
    if (state == KEY_OR_END || state == KEY) {
      if (c == 0x7d && state == KEY_OR_END) {
        state = AFTER_VALUE; // closes the empty object
        continue;
      }
      if (c != QUOTE) return -1;
      const r = stringEnd(p, e);
      if (r < 0) return -1;
      const ke = r >> 1;
      const node = load<i32>(specAt + (d << 2));
      if (node < 0) want = -1;
      else {
        if (r & 1) return -1; // an escaped key in a projected object: readFields() decodes it
        want = keyIndex(node, p + 1, ke);
      }
      p = ke + 1;
      while (p < e && isWs(load<u8>(p))) p++;
      if (p >= e || load<u8>(p) != 0x3a) return -1;
      p++;
      state = VALUE;
      continue;
    }
    // a value (state VALUE or VALUE_OR_END)
    if (c == 0x5d && state == VALUE_OR_END) {
      state = AFTER_VALUE; // closes the empty array
      continue;
    }
    const node = want >= 0 ? load<i32>(specAt + (d << 2)) : -1;
    if (c == 0x7b || c == 0x5b) {
      if (d >= MAX_DEPTH) return -1;
      let child = -1;
      let placeholder = -1;
      if (node >= 0) {
        if (t >= cap) return -2;
        const at = tape + (t << 4);
        child = c == 0x7b ? childOf(node, want) : -1;
        store<i32>(at, child >= 0 ? OP_PUSH : c == 0x7b ? OP_EMPTY_OBJECT : OP_EMPTY_ARRAY);
        store<i32>(at + 4, want);
        if (child < 0) {
          store<i32>(at + 8, p);
          placeholder = t;
        }
        t++;
      }
      d++;
      store<u8>(isObjectAt + d, c == 0x7b ? 1 : 0);
      store<i32>(specAt + (d << 2), child);
      store<i32>(placeholderAt + (d << 2), placeholder);
      p++;
      want = -1;
      state = c == 0x7b ? KEY_OR_END : VALUE_OR_END;
      continue;
    }
    state = AFTER_VALUE;
    let op = 0;
    const vs = p;
    if (c == QUOTE) {
      const r = stringEnd(p, e);
      if (r < 0) return -1;
      p = (r >> 1) + 1;
      op = r & 1 ? OP_STRING_ESCAPED : OP_STRING;
    } else if (c == 0x74) {
      if (p + 4 > e || load<u32>(p) != 0x65757274) return -1; // true
      p += 4;
      op = OP_TRUE;
    } else if (c == 0x66) {
      if (p + 5 > e || load<u32>(p + 1) != 0x65736c61) return -1; // (f)alse
      p += 5;
      op = OP_FALSE;
    } else if (c == 0x6e) {
      if (p + 4 > e || load<u32>(p) != 0x6c6c756e) return -1; // null
      p += 4;
      op = OP_NULL;
    } else {
      // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
      let neg = 0;
      if (c == 0x2d) {
        neg = 1;
        p++;
      }
      let x = p < e ? <i32>load<u8>(p) : 0;
      if (x == 0x30) p++;
      else if (x > 0x30 && x <= 0x39) {
        do {
          x = ++p < e ? <i32>load<u8>(p) : 0;
        } while (isDigit(x));
      } else return -1;
      const intDigits = p - vs - neg;
      let plain = true;
      if (p < e && load<u8>(p) == 0x2e) {
        plain = false;
        const f = ++p;
        while (p < e && isDigit(load<u8>(p))) p++;
        if (p == f) return -1;
      }
      if (p < e && (load<u8>(p) == 0x65 || load<u8>(p) == 0x45)) {
        plain = false;
        p++;
        if (p < e && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) p++;
        const f = p;
        while (p < e && isDigit(load<u8>(p))) p++;
        if (p == f) return -1;
      }
      op = plain && intDigits <= 15 ? OP_INT : OP_NUMBER;
    }
    if (node >= 0) {
      if (t >= cap) return -2;
      const at = tape + (t << 4);
      store<i32>(at, op);
      store<i32>(at + 4, want);
      store<i32>(at + 8, vs);
      store<i32>(at + 12, p);
      t++;
    }
    want = -1;
  }
  return -1; // not reached
}
