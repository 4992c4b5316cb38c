import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFieldSpec, readFields, MAX_DEPTH, type FieldSpec } from '../../../src/core/ingest/parse/selectiveJson';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { rng } from '../rng';
import * as h from './helpers';

/** What readFields must return for a valid line: JSON.parse's result projected on the spec. */
function project(v: unknown, spec: FieldSpec | true): unknown {
  if (spec === true) {
    if (Array.isArray(v)) return [];
    return v !== null && typeof v === 'object' ? {} : v;
  }
  if (Array.isArray(v)) return [];
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) if (Object.prototype.hasOwnProperty.call(v, k)) out[k] = project((v as Record<string, unknown>)[k], spec[k]);
  return out;
}

const read = (text: string, spec: FieldSpec) => {
  const b = Buffer.from(text);
  return readFields(b, 0, b.length, compileFieldSpec(spec));
};

const SPEC: FieldSpec = { a: true, msg: { id: true, usage: { n: true, deep: { x: true } } }, s: true, weird: true };

/** Random JSON values whose keys often hit the spec's names, with strings that stress the string skipping. */
function randomValue(r: () => number, depth: number): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const kind = depth > 4 ? Math.floor(r() * 4) : Math.floor(r() * 6);
  switch (kind) {
    case 0:
      return pick([0, -0, 1, -17, 123456789012345, 9007199254740993, 1.5, -2.25e-7, 1e21, 3e400 > 0 ? 1e300 : 0, 0.1]);
    case 1:
      return pick([true, false, null]);
    case 2: {
      const parts = ['a', '"', '\\', '\\"', 'é', '💡', '\u0001', '}', ']', '{"usage":1}', 'x'.repeat(Math.floor(r() * 200)), '\n', '\t'];
      let s = '';
      for (let i = Math.floor(r() * 6); i > 0; i--) s += pick(parts);
      return s;
    }
    case 3:
      return pick(['', 'msg', 'usage']);
    case 4: {
      const arr: unknown[] = [];
      for (let i = Math.floor(r() * 4); i > 0; i--) arr.push(randomValue(r, depth + 1));
      return arr;
    }
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 6); i > 0; i--) o[pick(['a', 'msg', 'id', 'usage', 'n', 'deep', 'x', 's', 'weird', 'other', 'ü', '"q"', 'us\\age'])] = randomValue(r, depth + 1);
      return o;
    }
  }
}

test('returns what JSON.parse gives, projected on the spec, for random valid JSON', () => {
  const r = rng(7);
  for (let i = 0; i < 3000; i++) {
    const v = randomValue(r, 0);
    const obj = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { a: v, msg: { usage: { n: v } } };
    // compact, and with whitespace between tokens
    for (const text of [JSON.stringify(obj), JSON.stringify(obj, null, r() < 0.5 ? 1 : '\t')]) {
      assert.deepEqual(read(text, SPEC), project(JSON.parse(text), SPEC), text);
    }
  }
});

test('keys written with escapes match, the last of repeated keys wins, -0 and big numbers are exact', () => {
  assert.deepEqual(read('{"us\\u0061ge":{"n":1},"usage":{"n":2,"n":3}}', { usage: { n: true } }), { usage: { n: 3 } });
  assert.deepEqual(read('{"a":-0,"b":12345678901234567890,"c":0.1,"d":-1e-7,"e":1E+2}', { a: true, b: true, c: true, d: true, e: true }), JSON.parse('{"a":-0,"b":12345678901234567890,"c":0.1,"d":-1e-7,"e":1E+2}'));
  assert.ok(Object.is(read('{"a":-0}', { a: true })!.a, -0));
  assert.deepEqual(read('{"s":"caf\\u00e9 \\"q\\" 💡","t":"plain é"}', { s: true, t: true }), { s: 'café "q" 💡', t: 'plain é' });
  // an object spec meeting an array or a scalar gets what JSON.parse has there (typeof checks stay right)
  assert.deepEqual(read('{"m":[1,2],"n":"str","o":null}', { m: { x: true }, n: { x: true }, o: { x: true } }), { m: [], n: 'str', o: null });
});

test('rejects what JSON.parse rejects: broken structure, numbers, literals, escapes of read strings', () => {
  const good = JSON.stringify({ a: 1, msg: { id: 'x', usage: { n: 5, deep: { x: [1, { y: 'z' }] } } }, s: 'long '.repeat(30) });
  const bad = [
    '',
    '[]',
    '{',
    '{"a":1,}',
    '{"a":1 "b":2}',
    '{"a" 1}',
    '{a:1}',
    '{"a":01}',
    '{"a":1.}',
    '{"a":.5}',
    '{"a":+1}',
    '{"a":1e}',
    '{"a":-}',
    '{"a":tru}',
    '{"a":nul}',
    '{"a":[1,]}',
    '{"a":[1 2]}',
    '{"a":{"b":1}',
    '{"a":1}}',
    '{"a":1} x',
    '{"a":"x\\q"}',
    '{"a":"unterminated}',
  ];
  // a half-written line followed by the next line (a crash mid-write), cut at every position of a valid line
  for (let cut = 1; cut < good.length; cut += 3) bad.push(good.slice(0, cut) + good);
  for (const text of bad) {
    let parsed = true;
    try {
      JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (parsed) continue; // a cut that happens to stay valid JSON: nothing to check
    assert.equal(read(text, SPEC), undefined, text);
  }
});

test('nesting deeper than MAX_DEPTH is left to JSON.parse (undefined), shallower is read', () => {
  const nest = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  assert.equal(read(nest(MAX_DEPTH + 5), { a: true }), undefined);
  assert.deepEqual(read(nest(MAX_DEPTH - 5), { a: true }), { a: {} });
});

test('long assistant lines (content with quotes, brackets, escapes) give the same calls as a full parse', () => {
  let text = '';
  for (let i = 0; i < 40; i++) {
    const content = i % 3 === 0 ? [{ type: 'text', text: `"${'x'.repeat(1500)}" ] } \\` }] : [{ type: 'tool_use', id: `toolu_${i}`, name: 'Write', input: { content: 'y'.repeat(2000), message: { usage: 1 } } }];
    text += h.claudeAssistant({ id: `m${i}`, req: i % 5 === 0 ? null : `r${i}`, ts: `2026-04-01T10:${String(i).padStart(2, '0')}:00Z`, sidechain: i % 7 === 0, usage: { input: i, output: 10 * i, cw5m: i, cw1h: 2 * i, cacheRead: 100 * i, webSearch: i % 2, speed: i % 11 === 0 ? 'fast' : undefined }, content });
  }
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  const expected = text.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.calls.length, 40);
  out.calls.forEach((c, i) => {
    const u = expected[i].message.usage;
    assert.deepEqual([c.input, c.output, c.cw5m, c.cw1h, c.cacheRead, c.webSearch, c.sidechain, c.rid === 0, c.tier === 'fast'], [u.input_tokens, u.output_tokens, u.cache_creation.ephemeral_5m_input_tokens, u.cache_creation.ephemeral_1h_input_tokens, u.cache_read_input_tokens, u.server_tool_use.web_search_requests, expected[i].isSidechain, !expected[i].requestId, u.speed === 'fast']);
  });
  assert.equal(out.state.cwd, '/home/u/proj');
});
