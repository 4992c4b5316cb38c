/**
 * files' parser state packed (schema 17, store/fileStates.ts): the JSON text written by JSON.stringify comes back the
 * same text, the states of every source as their parsers write them and edge cases; the fingerprint in its column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packState, stateText } from '../../../src/core/store/fileStates';

function interner() {
  const texts: string[] = [''];
  const ids = new Map<string, number>();
  return {
    idOf: (s: string) => {
      let id = ids.get(s);
      if (id === undefined) {
        id = texts.length;
        texts.push(s);
        ids.set(s, id);
      }
      return id;
    },
    textOf: (id: number) => texts[id],
    texts,
  };
}

const STATES: unknown[] = [
  { cwd: '/home/dev/src/analytics', fp: 3858878790131273 },
  { project: '/home/dev/src/web-shop', branch: 'feat/ok', startMs: 1765107338812, model: 'gpt-5.1-codex-max', prev: [2060607, 1994198, 41003, 13570, 2101610], fp: 4818072370252579 },
  { fp: 5770875832614787, parser: { session: '001ffe1a-9d91-4c47-b2f9-09ca21b579a3', project: '/home/dev/work/shop', branch: 'dev', pending: false, shutdowns: 1, prev: { 'claude-haiku-4.5': [394830, 7458, 354407, 17692, 0, 11] } } },
  { fp: 2995581290538105, parser: { sessionId: '5eb0609c-9207-466d-b559-1038baaa748a', kind: 'subagent', startTime: '2026-06-24T10:51:16.216Z' } },
  { cursor: { v: 1, message: [1796579814249, 'msg_510334ef5341sbggkWtuyohabn'], part: [1796579814049, 'prt_00dad5f1db43Ve9gEp3gRkJBjE'] } },
  // a fingerprint that is not a safe integer stays among the values; a nested fp is a value like any other
  { fp: 1.5, a: null }, { fp: 2 ** 53, b: [] }, { fp: -7, x: { fp: 9 } }, { fp: 'text' },
  // key order kept, odd keys and values
  { z: 1, a: 2, fp: 3, m: [[], {}, [0], [{ q: [1, { r: '' }] }]] }, { '': '\u0000"\\', 'ключ': '値', '__proto__': { p: 1 } }, { only: true }, { fp: 0 },
  { big: 1e21, small: 5e-324, neg: -0.25, e: 123456789012345680000 },
];

test('a state packs without its keys and comes back as the text JSON.stringify wrote, every source and edge case', () => {
  const s = interner();
  for (const st of STATES) {
    const json = JSON.stringify(st);
    const p = packState(json, s.idOf);
    assert.equal(stateText(p.fp, p.state, s.textOf), json, json);
    const fp = (st as { fp?: unknown }).fp;
    assert.equal(p.fp, Number.isSafeInteger(fp) ? fp : null, json);
    if (p.state) assert.ok(!/"(cwd|project|parser|sessionId|cursor)"/.test(p.state), p.state);
  }
  // key lists are interned once each: the states above use a few dozen
  assert.equal(new Set(s.texts).size, s.texts.length);
  const claude = packState(JSON.stringify(STATES[0]), s.idOf);
  assert.equal(claude.state, `[${s.idOf('["cwd","fp"]')},"/home/dev/src/analytics"]`);
  assert.ok(claude.state!.length + 8 <= JSON.stringify(STATES[0]).length - 18, 'with its fp as an 8-byte integer, 18 bytes shorter than the JSON');
});

test('`{}`, no state and what is not a JSON object are stored as NULL and read back as `{}` (as the text was read before)', () => {
  const s = interner();
  for (const t of ['{}', 'not json', '[1,2]', 'null', '"x"', '7']) {
    const p = packState(t, s.idOf);
    assert.deepEqual(p, { fp: null, state: null }, t);
  }
  assert.equal(stateText(null, null, s.textOf), '{}');
  assert.equal(s.texts.length, 1, 'nothing interned');
});
