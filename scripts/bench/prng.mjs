// Deterministic pseudo-random numbers for the benchmark corpus (sfc32 seeded through splitmix32).
// The same seed always yields the same corpus, byte for byte.

/** @param {number} seed */
export function createRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  /** uniform float in [0, 1) */
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const HEX = '0123456789abcdef';
  const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const chars = (alphabet, n) => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[(next() * alphabet.length) | 0];
    return out;
  };
  // long random runs (signatures, encrypted reasoning) are sliced from one pre-drawn string: much faster
  const b64Pool = chars(B64, 1 << 16);
  const longB64 = (n) => {
    let out = '';
    while (out.length < n) {
      const take = Math.min(n - out.length, b64Pool.length >> 1);
      const at = (next() * (b64Pool.length - take)) | 0;
      out += b64Pool.slice(at, at + take);
    }
    return out;
  };
  return {
    next,
    /** integer in [lo, hi] */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[(next() * arr.length) | 0],
    /** pick by weights: [[value, weight], ...] */
    weighted: (pairs) => {
      let total = 0;
      for (const [, w] of pairs) total += w;
      let r = next() * total;
      for (const [v, w] of pairs) {
        r -= w;
        if (r < 0) return v;
      }
      return pairs[pairs.length - 1][0];
    },
    /** log-uniform integer in [lo, hi]: many small values, a long tail of large ones */
    logUniform: (lo, hi) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)))),
    hex: (n) => chars(HEX, n),
    b58: (n) => chars(B58, n),
    b64: (n) => (n > 64 ? longB64(n) : chars(B64, n)),
    uuid: () => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-${'89ab'[(next() * 4) | 0]}${chars(HEX, 3)}-${chars(HEX, 12)}`,
  };
}
