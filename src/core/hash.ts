/**
 * 53-bit string hash (cyrb53), exact as a JS number and as an SQLite INTEGER.
 * Used for de-dup keys (Claude message.id / requestId, Codex replayed events); never for security.
 * Collision odds for 1.5 M keys are about 1 in 8,000 per year of data: a collision merges two calls.
 */
export function hash53(str: string, seed = 0): number {
  const h1 = mixString(str, 0xdeadbeef ^ seed, 0x41c6ce57 ^ seed);
  return finish53(h1, mixedH2);
}

/** The second state of the last mixString (a second return value without an allocation). */
let mixedH2 = 0;

/**
 * cyrb53's two states after the string's code units: the first returned, the second in `mixedH2`. The loop is alone
 * in its function on purpose: a long first string (the CLI hashes its migrations at start) got hash53 compiled
 * on-stack in the loop before the code after it had ever run, and V8 (node 20) re-entered that code on each later
 * call only to leave it again at the untried call after the loop — 1,580 deopts over the bench's Codex part. Here
 * nothing after the loop needs type feedback.
 */
function mixString(str: string, h1: number, h2: number): number {
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  mixedH2 = h2;
  return h1;
}

/**
 * hash53(prefix + the string of bytes [s, e) of `b`) without building the string, for ASCII bytes (where a byte is
 * its UTF-16 code unit); -1 when a byte is not ASCII (the caller hashes the decoded string instead).
 */
export function hash53Ascii(b: Uint8Array, s: number, e: number, prefix = '', seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  for (let i = s; i < e; i++) {
    const ch = b[i];
    if (ch >= 0x80) return -1;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish53(h1, h2);
}

/** cyrb53's final mix of its two 32-bit states into 53 bits; 0 is reserved for "no id". */
function finish53(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const h = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return h === 0 ? 1 : h;
}
