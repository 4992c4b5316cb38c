import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFieldSpec, readFields, MAX_DEPTH, type CompiledFieldSpec, type FieldSpec } from '../../../src/core/ingest/parse/selectiveJson';
import { FieldReader } from '../../../src/core/ingest/parse/wasmFieldReader';
import { CLAUDE_FIELDS, claudeLineReaders, parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { rng } from '../rng';
import * as h from './helpers';
import { hash53, hash53Ascii } from '../../../src/core/hash';

/** What readFields must return for a valid line: JSON.parse's result projected on the spec. */
function project(v: unknown, spec: FieldSpec | true): unknown {
  if (spec === true) {
    if (Array.isArray(v)) return [];
    return v !== null && typeof v === 'object' ? {} : v;
  }
  if (Array.isArray(v)) return [];
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) if (Object.hasOwn(v, k)) out[k] = project((v as Record<string, unknown>)[k], spec[k]);
  return out;
}

// Every behaviour test runs on both readers: readFields() in JS, and FieldReader (the wasm scanner + readFields()
// for what it does not accept), which must give the same result for every input.
const compiledSpecs = new Map<FieldSpec, CompiledFieldSpec>();
const wasmReaders = new Map<FieldSpec, FieldReader>();
const compiled = (spec: FieldSpec) => compiledSpecs.get(spec) ?? compiledSpecs.set(spec, compileFieldSpec(spec)).get(spec)!;
const wasmReader = (spec: FieldSpec) => wasmReaders.get(spec) ?? wasmReaders.set(spec, new FieldReader(compiled(spec))).get(spec)!;
const READERS: [string, (b: Buffer, spec: FieldSpec) => Record<string, unknown> | undefined][] = [
  ['readFields', (b, spec) => readFields(b, 0, b.length, compiled(spec))],
  ['wasm FieldReader', (b, spec) => wasmReader(spec).read(b, 0, b.length)],
];

const SPEC: FieldSpec = { a: true, msg: { id: true, usage: { n: true, deep: { x: true } } }, s: true, weird: true };

/** Random JSON values whose keys often hit the spec's names, with strings that stress the string skipping. */
function randomValue(r: () => number, depth: number): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const kind = depth > 4 ? Math.floor(r() * 4) : Math.floor(r() * 6);
  switch (kind) {
    case 0:
      return pick([0, -0, 1, -17, 123456789012345, 2 ** 53 /* an unsafe integer */, 1.5, -2.25e-7, 1e21, 1e300, 0.1]);
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

for (const [reader, readBytes] of READERS) {
  const read = (text: string, spec: FieldSpec) => readBytes(Buffer.from(text), spec);
  test(`returns what JSON.parse gives, projected on the spec, for random valid JSON (${reader})`, () => {
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
}

for (const [reader, readBytes] of READERS) {
  const read = (text: string, spec: FieldSpec) => readBytes(Buffer.from(text), spec);
  test(`keys written with escapes match, the last of repeated keys wins, -0 and big numbers are exact (${reader})`, () => {
    assert.deepEqual(read('{"us\\u0061ge":{"n":1},"usage":{"n":2,"n":3}}', { usage: { n: true } }), { usage: { n: 3 } });
    assert.deepEqual(read('{"a":-0,"b":12345678901234567890,"c":0.1,"d":-1e-7,"e":1E+2}', { a: true, b: true, c: true, d: true, e: true }), JSON.parse('{"a":-0,"b":12345678901234567890,"c":0.1,"d":-1e-7,"e":1E+2}'));
    assert.ok(Object.is(read('{"a":-0}', { a: true })!.a, -0));
    assert.deepEqual(read('{"s":"caf\\u00e9 \\"q\\" 💡","t":"plain é"}', { s: true, t: true }), { s: 'café "q" 💡', t: 'plain é' });
    // an object spec meeting an array or a scalar gets what JSON.parse has there (typeof checks stay right)
    assert.deepEqual(read('{"m":[1,2],"n":"str","o":null}', { m: { x: true }, n: { x: true }, o: { x: true } }), { m: [], n: 'str', o: null });
  });
}

for (const [reader, readBytes] of READERS) {
  const read = (text: string, spec: FieldSpec) => readBytes(Buffer.from(text), spec);
  test(`rejects what JSON.parse rejects: broken structure, numbers, literals, escapes of read strings (${reader})`, () => {
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
}

for (const [reader, readBytes] of READERS) {
  const read = (text: string, spec: FieldSpec) => readBytes(Buffer.from(text), spec);
  test(`nesting deeper than MAX_DEPTH is left to JSON.parse (undefined), shallower is read (${reader})`, () => {
    const nest = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    assert.equal(read(nest(MAX_DEPTH + 5), { a: true }), undefined);
    assert.deepEqual(read(nest(MAX_DEPTH - 5), { a: true }), { a: {} });
    for (let n = MAX_DEPTH - 2; n <= MAX_DEPTH + 2; n++) {
      const b = Buffer.from(nest(n));
      assert.deepEqual(read(nest(n), { a: true }), readFields(b, 0, b.length, compiled({ a: true })), `depth ${n}`);
    }
  });
}

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

/** Claude assistant lines as Claude Code writes them, with text that is hard on the string skipping. */
function realisticLines(r: () => number, n: number): string[] {
  const texts = ['plain words', 'a "quoted" word', 'C:\\Users\\dev\\x', 'line\nbreaks\n\tand tabs', '💡 é 日本語', '\\"', 'x'.repeat(40), '{"usage":{"output_tokens":9}}'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let text = '';
    for (let k = Math.floor(r() * 30); k > 0; k--) text += texts[Math.floor(r() * texts.length)];
    const content = r() < 0.5 ? [{ type: 'text', text }] : [{ type: 'tool_use', id: `toolu_${i}`, name: 'Edit', input: { old: text, new: text.toUpperCase(), n: i } }];
    lines.push(h.claudeAssistant({
      id: `msg_${i}`, req: r() < 0.2 ? null : `req_${i}`, ts: `2026-04-01T10:${String(i % 60).padStart(2, '0')}:00.123Z`,
      sidechain: r() < 0.2, cwd: r() < 0.1 ? 'C:\\work\\app' : '/home/u/proj', branch: r() < 0.5 ? 'main' : 'feat/é',
      usage: { input: Math.floor(r() * 5000), output: Math.floor(r() * 900), cw5m: Math.floor(r() * 1e5), cw1h: Math.floor(r() * 1e4), cacheRead: Math.floor(r() * 3e5), webSearch: Math.floor(r() * 3), speed: r() < 0.1 ? 'fast' : undefined },
      content,
    }).trim());
  }
  return lines;
}

test('the wasm scanner reads realistic Claude lines itself, with the same result as readFields', () => {
  const reader = new FieldReader(CLAUDE_FIELDS);
  const lines = realisticLines(rng(11), 400);
  for (const line of lines) {
    const b = Buffer.from(line);
    assert.deepStrictEqual(reader.read(b, 0, b.length), readFields(b, 0, b.length, CLAUDE_FIELDS), line);
  }
  // every line was decided by the scanner's tape, none handed back to readFields (so the test above compared two readers)
  assert.deepEqual([reader.wasmLines, reader.jsLines], [lines.length, 0]);
});

test('damaged lines (bytes cut, inserted, replaced; lines run together) give the same result on both readers', () => {
  const r = rng(12);
  const reader = new FieldReader(CLAUDE_FIELDS);
  const lines = realisticLines(r, 60);
  const noise = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '0', '-', '.', 'e', 'E', '+', 't', 'f', 'n', 'é', '\u0000'];
  let accepted = 0;
  let tried = 0;
  for (const line of lines) {
    for (let m = 0; m < 60; m++) {
      let text = line;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
        const at = Math.floor(r() * text.length);
        const what = Math.floor(r() * 5);
        if (what === 0) text = text.slice(0, at) + text.slice(at + 1);
        else if (what === 1) text = text.slice(0, at) + noise[Math.floor(r() * noise.length)] + text.slice(at);
        else if (what === 2) text = text.slice(0, at) + noise[Math.floor(r() * noise.length)] + text.slice(at + 1);
        else if (what === 3) text = text.slice(0, at) + line; // a half-written line, then the next one
        else text = text.slice(0, at);
      }
      const b = Buffer.from(text);
      const before = reader.wasmLines;
      const expected = readFields(b, 0, b.length, CLAUDE_FIELDS);
      assert.deepStrictEqual(reader.read(b, 0, b.length), expected, text);
      tried++;
      if (reader.wasmLines > before) accepted++;
    }
  }
  // both outcomes were exercised: many damaged lines still parse (damage inside strings), many do not
  assert.ok(accepted > tried / 10 && accepted < tried - tried / 10, `${accepted} of ${tried} accepted by the scanner`);
});

test('strings with quotes and backslashes at every offset around the 16-byte SIMD steps are stepped over exactly', () => {
  const spec: FieldSpec = { a: true, b: true };
  const reader = new FieldReader(compileFieldSpec(spec));
  for (let len = 0; len < 40; len++) {
    for (let at = 0; at < len; at++) {
      for (const special of ['\\"', '\\\\', '\\\\\\"', '\\n']) {
        const s = 'x'.repeat(at) + special + 'y'.repeat(len - at);
        for (const text of [`{"a":"${s}","b":1}`, `{"skip":"${s}","b":"${s}"}`, `{"a":"${s}`, `{"a":"${s}"`]) {
          const b = Buffer.from(text);
          assert.deepStrictEqual(reader.read(b, 0, b.length), readFields(b, 0, b.length, compileFieldSpec(spec)), text);
        }
      }
    }
  }
  assert.ok(reader.wasmLines > 1000);
});

test('a line longer than the scanner takes is read by readFields; a long line grows the scanner memory and later lines stay right', () => {
  const reader = new FieldReader(CLAUDE_FIELDS);
  const [small] = realisticLines(rng(13), 1);
  const big = small.replace('"content":[', `"content":[{"type":"text","text":"${'z'.repeat(700_000)}"},`);
  const huge = small.replace('"content":[', `"content":[{"type":"text","text":"${'z'.repeat(1_200_000)}"},`);
  for (const text of [small, big, small, huge, small]) {
    const b = Buffer.from(text);
    assert.deepStrictEqual(reader.read(b, 0, b.length), JSON.parse(text) && readFields(b, 0, b.length, CLAUDE_FIELDS));
  }
  assert.deepEqual([reader.wasmLines, reader.jsLines], [4, 1]);
  // an offset into a bigger buffer (as the parser passes lines in a block)
  const block = Buffer.from(`${small}\n${big}\n`);
  assert.deepStrictEqual(reader.read(block, Buffer.byteLength(small) + 1, block.length - 1), readFields(Buffer.from(big), 0, Buffer.byteLength(big), CLAUDE_FIELDS));
});

test('without WebAssembly the reader is readFields', () => {
  const reader = new FieldReader(CLAUDE_FIELDS, false);
  const [line] = realisticLines(rng(14), 1);
  const b = Buffer.from(line);
  assert.deepStrictEqual(reader.read(b, 0, b.length), readFields(b, 0, b.length, CLAUDE_FIELDS));
  assert.deepEqual([reader.wasmLines, reader.jsLines], [0, 1]);
});

test('the reader keeps the bytes of a leaf key’s array or object (spanAt), as JSON.parse reads that key', () => {
  const reader = new FieldReader(CLAUDE_FIELDS, true, ['message', 'content']);
  const spanText = (b: Buffer) => (reader.spanStart < 0 ? undefined : b.toString('utf8', reader.spanStart, reader.spanEnd));
  // realistic lines, each inside a bigger buffer (as the parser passes lines of a block): the span is the content array
  const lines = realisticLines(rng(15), 200);
  const block = Buffer.from(`${lines.join('\n')}\n`);
  let at = 0;
  for (const line of lines) {
    const end = at + Buffer.byteLength(line);
    reader.read(block, at, end);
    const content = (JSON.parse(line) as { message?: { content?: unknown } }).message?.content;
    if (content !== null && typeof content === 'object') assert.deepStrictEqual(JSON.parse(spanText(block)!), content, line);
    else assert.equal(reader.spanStart, -1, line);
    at = end + 1;
  }
  const read = (text: string) => {
    const b = Buffer.from(text);
    reader.read(b, 0, b.length);
    return spanText(b);
  };
  assert.equal(read('{"message":{"content":[{"a":[1,{"b":"]"}]}, 2],"model":"m"}}'), '[{"a":[1,{"b":"]"}]}, 2]');
  assert.equal(read('{"message":{"content":{"x":"}"}}}'), '{"x":"}"}');
  assert.equal(read('{"message":{"content":"text"}}'), undefined, 'a string: no span');
  assert.equal(read('{"content":[1],"message":{"model":"m"}}'), undefined, 'a content key elsewhere is not message.content');
  // repeated keys: the last one wins, as in JSON.parse
  assert.equal(read('{"message":{"content":[1]},"message":{"model":"m"}}'), undefined);
  assert.equal(read('{"message":{"content":[1],"content":[2,3]}}'), '[2,3]');
  // a line the scanner does not read (an escaped key in a projected object): no span, the caller reads the whole line
  assert.equal(read('{"message":{"content":[1],"m\\u006fdel":"x"}}'), undefined);
  assert.equal(reader.jsLines, 1);
  assert.throws(() => new FieldReader(CLAUDE_FIELDS, true, ['message', 'usage']), /not a leaf key/);
});

test('hashed keys (hashAt): each id is hash53 of the value JSON.parse reads, built as a string only when not plain ASCII', () => {
  const hashAt = [{ path: ['message', 'id'] }, { path: ['requestId'] }, { path: ['uuid'], prefix: 'noid:' }];
  const reader = new FieldReader(CLAUDE_FIELDS, true, undefined, hashAt);
  /** [message.id, requestId, uuid] as hash53 of what JSON.parse reads (prefixed like the reader), undefined when not a non-empty string */
  const expected = (line: string) => {
    const o = JSON.parse(line) as { message?: { id?: unknown }; requestId?: unknown; uuid?: unknown };
    const hashed = (v: unknown, prefix = '') => (typeof v === 'string' && v ? hash53(prefix + v) : undefined);
    return [hashed(o.message?.id), hashed(o.requestId), hashed(o.uuid, 'noid:')];
  };
  /** what the reader gives: the hash, else hash53 of the value it left in the object */
  const got = (line: string) => {
    const b = Buffer.from(line);
    const o = reader.read(b, 0, b.length) as { message?: { id?: unknown }; requestId?: unknown; uuid?: unknown };
    const fromObject = (v: unknown, prefix = '') => (typeof v === 'string' && v ? hash53(prefix + v) : undefined);
    return [
      reader.hashes[0] >= 0 ? reader.hashes[0] : fromObject(o.message?.id),
      reader.hashes[1] >= 0 ? reader.hashes[1] : fromObject(o.requestId),
      reader.hashes[2] >= 0 ? reader.hashes[2] : fromObject(o.uuid, 'noid:'),
    ];
  };
  const lines = [
    ...realisticLines(rng(21), 100),
    '{"uuid":"u-1","requestId":"req_1","message":{"id":"msg_1","model":"m"}}',
    '{"uuid":"ü-2","requestId":"req_é","message":{"id":"msg_日本","model":"m"}}', // not ASCII: hashed from the string
    '{"uuid":"u\\u0033","requestId":"r\\"q","message":{"id":"m\\\\1"}}', // escapes: from the string
    '{"uuid":"","requestId":"","message":{"id":""}}', // empty: no id
    '{"uuid":7,"requestId":null,"message":{"id":12}}', // not strings
    '{"requestId":"a","requestId":"b","message":{"id":"x","id":"y"}}', // repeated keys: the last one wins
    '{"requestId":"a","requestId":"b\\u00e9","message":{"id":"x","id":7}}',
    '{"message":{"id":"x"},"message":{"model":"m"}}', // a message object again: its id is gone
    '{"message":{"id":"x"},"message":"text"}',
    '{"message":{"id":"x"},"message":{"id":"z"}}',
  ];
  for (const line of lines) assert.deepEqual(got(line), expected(line), line);
  assert.equal(reader.jsLines, 0, 'every line was read by the scanner');
  // a line the scanner does not take: readFields gives the values, no hash
  const b = Buffer.from('{"requestId":"r1","message":{"id":"m1","m\\u006fdel":"x"}}');
  reader.read(b, 0, b.length);
  assert.deepEqual([...reader.hashes], [-1, -1, -1]);
  assert.throws(() => new FieldReader(CLAUDE_FIELDS, true, undefined, [{ path: ['message', 'usage'] }]), /not a leaf key/);
  assert.throws(() => new FieldReader(CLAUDE_FIELDS, true, undefined, [{ path: ['nope', 'id'] }]), /not a leaf key/);
});

test('hash53Ascii is hash53 of the prefix and the bytes read as a string; -1 for a byte that is not ASCII', () => {
  for (const s of ['', 'a', 'msg_01XFDUDYJgAACzvnptvVoYEL', 'req_011CUZ8n', 'x'.repeat(300)]) {
    const b = Buffer.from(`__${s}__`);
    assert.equal(hash53Ascii(b, 2, b.length - 2), hash53(s));
    assert.equal(hash53Ascii(b, 2, b.length - 2, 'noid:'), hash53(`noid:${s}`));
  }
  assert.equal(hash53Ascii(Buffer.from('é'), 0, 2), -1);
});

test('Claude calls keep the same de-dup keys with hashed ids: message.id, requestId, and the noid key from uuid or the line', () => {
  const lines = [
    h.claudeAssistant({ id: 'msg_a', req: 'req_a', ts: '2026-04-01T10:00:00Z', usage: { input: 1, output: 2 } }),
    h.claudeAssistant({ id: 'msg_é', req: 'req_é', ts: '2026-04-01T10:01:00Z', usage: { input: 1, output: 2 } }),
    h.claudeAssistant({ id: 'msg_b', req: null, ts: '2026-04-01T10:02:00Z', usage: { input: 1, output: 2 } }),
  ];
  const noId = JSON.parse(lines[0]) as { message: { id?: string }; uuid?: string };
  delete noId.message.id;
  noId.uuid = 'uuid-1';
  const noIdLine = JSON.stringify(noId);
  delete noId.uuid;
  const noUuidLine = JSON.stringify(noId);
  const text = `${[...lines.map((l) => l.trim()), noIdLine, noUuidLine].join('\n')}\n`;
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  assert.deepEqual(
    out.calls.map((c) => [c.mid, c.rid]),
    [[hash53('msg_a'), hash53('req_a')], [hash53('msg_é'), hash53('req_é')], [hash53('msg_b'), 0], [hash53('noid:uuid-1'), hash53(JSON.parse(lines[0]).requestId)], [hash53(`noid:${noUuidLine}`), hash53(JSON.parse(lines[0]).requestId)]],
  );
});

test('a span key (hashAt span): where the string value lies, the last one winning; escaped or not a string: in the object', () => {
  const reader = new FieldReader(CLAUDE_FIELDS, true, undefined, [{ path: ['timestamp'], span: true }]);
  const read = (line: string) => {
    const b = Buffer.from(`xx${line}yy`);
    const o = reader.read(b, 2, b.length - 2) as { timestamp?: unknown };
    return reader.hashes[0] >= 0 ? ['span', b.toString('utf8', reader.hashes[0], reader.ends[0]), o.timestamp] : ['object', o.timestamp];
  };
  assert.deepEqual(read('{"timestamp":"2026-04-01T10:00:00.000Z","uuid":"u"}'), ['span', '2026-04-01T10:00:00.000Z', undefined]);
  assert.deepEqual(read('{"timestamp":"t1","timestamp":"é2"}'), ['span', 'é2', undefined]);
  assert.deepEqual(read('{"timestamp":"t1","timestamp":5}'), ['object', 5]);
  assert.deepEqual(read('{"timestamp":"t\\u0031"}'), ['object', 't1']);
  assert.deepEqual(read('{"timestamp":""}'), ['span', '', undefined]);
  assert.deepEqual(read('{"uuid":"u"}'), ['object', undefined]);
});

/** The object readFields() returns, rebuilt from a reader's key slots after scanSlots() (FieldReader.valueAt). */
function objectOfSlots(reader: FieldReader, b: Buffer, spec: CompiledFieldSpec, path: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  spec.names.forEach((name, i) => {
    const slot = reader.slotOf([...path, name]);
    const op = reader.ops[slot];
    if (op === 0) return;
    const child = spec.children[i];
    out[name] = child && op === reader.opCodes.push ? objectOfSlots(reader, b, child, [...path, name]) : reader.valueAt(b, slot);
  });
  return out;
}

/** Lines that repeat keys (the last value wins), change a key's kind, escape or spell values oddly. */
const TRICKY_CLAUDE_LINES = [
  '{"message":{"id":"m1","usage":{"input_tokens":5}},"message":{"id":"m2","model":"claude-x","usage":{"output_tokens":7}},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"usage":{"input_tokens":5,"cache_creation":{"ephemeral_5m_input_tokens":3}},"usage":[]},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"usage":{"input_tokens":5},"usage":null},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"usage":null,"usage":{"output_tokens":2,"server_tool_use":{"web_search_requests":4},"server_tool_use":3}},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":[],"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"id":"","usage":{"input_tokens":1.5e3}},"uuid":"u-1","timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"id":"m\\u0031","model":"claude-\\u00e9","usage":{"input_tokens":-3,"output_tokens":12.6}},"requestId":"r\\"1","timestamp":"2026-04-01T10:00:00\\u005a"}',
  '{"message":{"id":"mé","usage":{"input_tokens":1}},"requestId":"ré","uuid":"ué","timestamp":"2026-04-01T10:00:00Z","gitBranch":"feat/é"}',
  '{"message":{"id":7,"usage":{"input_tokens":1}},"requestId":true,"uuid":null,"timestamp":1775037600000}',
  '{"message":{"usage":{"input_tokens":1}},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"id":"m9","usage":{"input_tokens":"12","speed":"fast","cache_creation":{"ephemeral_1h_input_tokens":"x"}},"content":{"type":"tool_use"}},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"id":"m10","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}],"content":"text","usage":{"input_tokens":1}},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"isApiErrorMessage":true,"message":{"content":[{"type":"text","text":"usage limit reached|1775037600"}]},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"isSidechain":true,"isSidechain":false,"cwd":"/a","cwd":"/b","message":{"id":"m11","model":"<synthetic>","usage":{"input_tokens":1}},"timestamp":"2026-04-01T10:00:00Z"}',
  '{"message":{"id":"m12","usage":{"input_tokens":1}},"timestamp":"not a time"}',
  '{"message":{"id":"m13","usage":{"input_tokens":1}},"requestId":"r\\x","timestamp":"2026-04-01T10:00:00Z"}',
];

test('key slots (scanSlots) say what readFields returns: the last value of a key wins, a key that is not an object again has nothing below it', () => {
  const reader = new FieldReader(CLAUDE_FIELDS);
  const r = rng(15);
  const lines = [...realisticLines(r, 200), ...TRICKY_CLAUDE_LINES];
  // damaged copies too: the slots must never accept a line readFields rejects, nor differ on one it accepts
  for (const line of realisticLines(r, 20)) for (let m = 0; m < 20; m++) lines.push(line.slice(0, Math.floor(r() * line.length)) + line.slice(Math.floor(r() * line.length)));
  let read = 0;
  for (const line of lines) {
    const b = Buffer.from(line);
    const expected = readFields(b, 0, b.length, CLAUDE_FIELDS);
    if (!reader.scanSlots(b, 0, b.length)) continue; // read() then decides, as before
    read++;
    assert.deepStrictEqual(objectOfSlots(reader, b, CLAUDE_FIELDS), expected, line);
  }
  assert.ok(read > 250, `${read} lines read into slots`);
  // an offset into a bigger buffer (as the parser passes lines in a block)
  const [a, c] = realisticLines(rng(16), 2);
  const block = Buffer.from(`${a}\n${c}\n`);
  assert.ok(reader.scanSlots(block, Buffer.byteLength(a) + 1, block.length - 1));
  assert.deepStrictEqual(objectOfSlots(reader, block, CLAUDE_FIELDS), readFields(Buffer.from(c), 0, Buffer.byteLength(c), CLAUDE_FIELDS));
});

test('Claude lines read through key slots give the same calls, resets, malformed counts and cwd as the JS reader', () => {
  const r = rng(17);
  const lines = [...realisticLines(r, 300), ...TRICKY_CLAUDE_LINES];
  for (const line of realisticLines(r, 30)) for (let m = 0; m < 10; m++) lines.push(line.slice(0, Math.floor(r() * line.length)) + line.slice(Math.floor(r() * line.length)));
  const text = `${lines.join('\n')}\n`;
  const parse = (readers?: ReturnType<typeof claudeLineReaders>) => {
    const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
    parseClaudeBlock(Buffer.from(text), 0, out, readers);
    return out;
  };
  const bySlots = parse();
  const byJs = parse(claudeLineReaders(false));
  assert.deepStrictEqual(bySlots, byJs);
  assert.ok(bySlots.calls.length > 300 && bySlots.resets.length === 1 && bySlots.malformed > 0);
  // each tricky line alone (a file's first line: the cwd still unknown)
  for (const line of TRICKY_CLAUDE_LINES) {
    const one = (readers?: ReturnType<typeof claudeLineReaders>) => {
      const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
      parseClaudeBlock(Buffer.from(`${line}\n`), 0, out, readers);
      return out;
    };
    assert.deepStrictEqual(one(), one(claudeLineReaders(false)), line);
  }
});
