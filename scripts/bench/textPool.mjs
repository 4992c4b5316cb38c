// A pool of already JSON-escaped, code-and-log-like text, sliced at random offsets to fill tool results,
// prompts and instructions. Built once per generator run from the PRNG, so it is deterministic.
// The pool only contains two-character escapes (\n, \t, \") and no literal backslash otherwise,
// so a slice is valid JSON string content if it neither starts inside an escape nor ends on a backslash.

const WORDS = (
  'const let function return if else for while await async import export from default class extends new this ' +
  'interface type string number boolean undefined null true false throw try catch finally switch case break ' +
  'src lib test dist node_modules package json yaml config index main util helper parser reader writer buffer ' +
  'error warning info debug trace request response token usage cache model session project file path line offset ' +
  'git commit branch merge rebase diff status push pull origin HEAD npm run build lint check install vitest ' +
  'PASS FAIL ok expected received toEqual toBe assert describe it beforeEach afterEach mock spy resolve reject'
).split(' ');
const PUNCT = ['(', ')', '{', '}', '[', ']', ';', ',', '.', ':', ' = ', ' => ', ' + ', ' && ', ' || ', '<', '>', '/', '#', "'", '\\"'];
const UNICODE = ['—', '✓', '✗', '→', 'é', 'ü', '日本語', '…', '•'];

/** @param {ReturnType<import('./prng.mjs').createRng>} rng @param {number} size approximate pool size in chars */
export function createTextPool(rng, size = 2_500_000) {
  const parts = [];
  let len = 0;
  while (len < size) {
    let line = '  '.repeat(rng.int(0, 4));
    if (rng.chance(0.05)) line = `\\t${line}`;
    const words = rng.int(2, 14);
    for (let i = 0; i < words; i++) {
      line += rng.pick(WORDS);
      line += rng.chance(0.35) ? rng.pick(PUNCT) : ' ';
      if (rng.chance(0.01)) line += rng.pick(UNICODE);
      if (rng.chance(0.04)) line += rng.int(0, 99999);
    }
    line += '\\n';
    parts.push(line);
    len += line.length;
  }
  const pool = parts.join('');

  /** A JSON-safe text of about `n` chars taken from a random place in the pool. */
  function text(n) {
    n = Math.max(1, Math.min(n, pool.length - 1));
    let start = ((rng.next() * (pool.length - n - 1)) | 0) + 1;
    // never start inside an escape (a bare `"` after a cut `\"` would end the JSON string)
    if (pool.charCodeAt(start - 1) === 92) start++;
    let s = pool.slice(start, start + n);
    let trailing = 0;
    for (let i = s.length - 1; i >= 0 && s.charCodeAt(i) === 92; i--) trailing++;
    if (trailing % 2 === 1) s = s.slice(0, -1);
    return s;
  }
  /** A short single-line phrase (no escapes) for descriptions and prompts. */
  function phrase(words) {
    let s = '';
    for (let i = 0; i < words; i++) s += (i ? ' ' : '') + rng.pick(WORDS);
    return s;
  }
  return { text, phrase };
}
