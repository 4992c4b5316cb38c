import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash53 } from '../../../src/core/hash';
import { addCosts, decodePack, encodePack, hashOf, loOf, packOf, type PackedEntry } from '../../../src/core/store/keyedPacks';

const entry = (over: Partial<PackedEntry> = {}): PackedEntry => ({
  f: null, dim: 4821, ts: 1775037601234, input: 18200, output: 640, cw5m: 0, cw1h: 0, cacheRead: 151_000, reasoning: 120, webSearch: 0, requests: 1, agentCost: null, act: 3,
  ...over,
});

test('keyed packs: every value comes back as it went in — agent costs to the last bit, file hashes of 53 bits, figures of any size', () => {
  const entries = new Map<number, PackedEntry>();
  const values: PackedEntry[] = [
    entry(),
    entry({ agentCost: 0.1 + 0.2, f: hash53('/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1/ui_messages.json') }),
    entry({ agentCost: 0, f: 2 ** 53 - 1, requests: 0, input: 0, output: 0 }), // a deleted_api_reqs row: tokens, no request
    entry({ agentCost: 1e-300, cacheRead: 2 ** 53 - 1, ts: 0, dim: 0, act: 0 }),
    entry({ agentCost: 123456.789012345, input: 2 ** 40 + 7 }),
    // values no source writes, kept as they are (as doubles)
    entry({ input: 12.5 }),
    entry({ output: -3 }),
    entry({ cw5m: -0 }),
    entry({ reasoning: Number.NaN, agentCost: Number.NaN }),
    entry({ ts: 2 ** 60 }),
  ];
  for (const [i, e] of values.entries()) entries.set(1000 + i * 7919, e);
  const back = decodePack(encodePack(entries));
  assert.equal(back.size, values.length);
  for (const [lo, e] of entries) {
    const b = back.get(lo)!;
    for (const k of Object.keys(e) as (keyof PackedEntry)[]) assert.ok(Object.is(b[k], e[k]), `${lo} ${k}: ${b[k]} vs ${e[k]}`);
  }
  assert.deepEqual([...back.keys()], [...entries.keys()].sort((a, b) => a - b), 'sorted by their low bits');
});

test('keyed packs: a key hash splits into its pack and low bits and back, for every hash53', () => {
  for (const h of [1, 2 ** 41 - 1, 2 ** 41, 2 ** 53 - 1, hash53('gemini\u0000msg-1'), hash53('cline\u00001767261600000')]) {
    assert.ok(packOf(h) < 4096);
    assert.equal(hashOf(packOf(h), loOf(h)), h);
  }
  const m = new Map([[2 ** 41 - 1, entry()], [0, entry({ input: 1 })]]);
  assert.deepEqual([...decodePack(encodePack(m)).keys()], [0, 2 ** 41 - 1]);
});

test('keyed packs: an ordinary entry takes about 30 bytes, one with a cost and a file about 45', () => {
  assert.ok(encodePack(new Map([[5, entry()]])).length <= 30);
  assert.ok(encodePack(new Map([[5, entry({ agentCost: 0.0267, f: 2 ** 52 + 3 })]])).length <= 45);
  assert.equal(encodePack(new Map()).length, 0);
  assert.throws(() => decodePack(Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 200])), /truncated/);
});

test('keyed packs: the agent costs of a time range are summed from the bytes as from the entries, in their order', () => {
  const entries = new Map<number, PackedEntry>();
  for (let i = 0; i < 200; i++) {
    const cost = i % 5 === 0 ? null : ((i * 7919) % 1000) / 3000;
    const f = i % 3 === 0 ? 2 ** 52 + i : null;
    entries.set(i * 104729, entry({ ts: 1775037600000 + i * 60_000, agentCost: cost, f, input: i % 17 === 0 ? 0.5 : i * 1000 })); // some kept as doubles
  }
  const p = encodePack(entries);
  for (const [from, to] of [[0, Number.MAX_SAFE_INTEGER], [1775037600000 + 50 * 60_000, 1775037600000 + 120 * 60_000], [0, 1]]) {
    let sum = 0;
    let n = 0;
    for (const e of decodePack(p).values()) {
      if (e.agentCost === null || e.ts < from || e.ts >= to) continue;
      sum += e.agentCost;
      n++;
    }
    const acc = { sum: 0, n: 0 };
    addCosts(p, from, to, acc);
    assert.deepEqual(acc, { sum, n });
  }
});

/** Schema 11's first layout (every figure as a varint, the cost as a double): what packs written before hold. */
function fullLayout(entries: ReadonlyMap<number, PackedEntry>): Uint8Array {
  const out: number[] = [];
  const varint = (v: number) => {
    let r = v;
    while (r >= 128) {
      out.push((r % 128) + 128);
      r = Math.floor(r / 128);
    }
    out.push(r);
  };
  const fixed = (v: number, bytes: number) => {
    for (let x = bytes - 1; x >= 0; x--) out.push(Math.floor(v / 256 ** x) % 256);
  };
  for (const lo of [...entries.keys()].sort((a, b) => a - b)) {
    const e = entries.get(lo)!;
    fixed(lo, 6);
    varint((e.agentCost !== null ? 1 : 0) | (e.f !== null ? 2 : 0));
    for (const k of ['dim', 'ts', 'input', 'output', 'cw5m', 'cw1h', 'cacheRead', 'reasoning', 'webSearch', 'requests', 'act'] as const) varint(e[k]);
    if (e.agentCost !== null) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, e.agentCost);
      out.push(...b);
    }
    if (e.f !== null) fixed(e.f, 7);
  }
  return Uint8Array.from(out);
}

test('keyed packs: a pack written in the first layout reads back the same; re-written, it keeps every value in fewer bytes', () => {
  const entries = new Map<number, PackedEntry>();
  for (let i = 0; i < 40; i++) {
    entries.set(i * 54_975_581_387, entry({
      ts: 1775037600000 + i * 61_003, input: i % 4 ? 18_200 + i : 0, output: 640 + i, cw5m: i % 3 ? 0 : 2048, cacheRead: i % 5 ? 151_000 : 0, reasoning: i % 2 ? 120 : 0,
      requests: i % 7 ? 1 : 0, act: i % 6, agentCost: i % 3 ? null : [0.037246, 0.1 + 0.2, 0, 0.028248999999999996][i % 4], f: i % 9 ? null : 2 ** 52 + i,
    }));
  }
  const old = fullLayout(entries);
  const back = decodePack(old);
  assert.deepEqual(back, decodePack(encodePack(entries)));
  for (const [lo, e] of entries) for (const k of Object.keys(e) as (keyof PackedEntry)[]) assert.ok(Object.is(back.get(lo)![k], e[k]), `${lo} ${k}`);
  const again = encodePack(back);
  assert.ok(again.length < old.length * 0.9, `${again.length} vs ${old.length}`);
  // a pack holding entries of both layouts (the first layout's bytes followed by new ones: their keys sort after)
  const later = new Map([[2 ** 41 - 1, entry({ agentCost: 0.5 })]]);
  const mixed = decodePack(Uint8Array.from([...old, ...encodePack(later)]));
  assert.equal(mixed.size, entries.size + 1);
  assert.deepEqual(mixed.get(2 ** 41 - 1), later.get(2 ** 41 - 1));
  const acc = { sum: 0, n: 0 };
  addCosts(Uint8Array.from([...old, ...encodePack(later)]), 0, Number.MAX_SAFE_INTEGER, acc);
  const want = [...mixed.values()].filter((e) => e.agentCost !== null);
  assert.deepEqual(acc, { sum: want.reduce((s, e) => s + e.agentCost!, 0), n: want.length });
});

test('keyed packs: figures at their usual value take no bytes; an agent cost with few digits takes 4 bytes, any other double 8, each back bit for bit', () => {
  // a Gemini CLI message: no cache writes, no web search, one request
  const gemini = entry({ dim: 31_442, ts: 1775037601234, input: 18_200, output: 640, cacheRead: 151_000, reasoning: 120, act: 3 });
  const one = new Map([[5, gemini]]);
  assert.equal(encodePack(one).length, 27);
  assert.equal(fullLayout(one).length, 30, 'cw5m, cw1h, web search and requests in 4 bytes, a byte more of flags');
  const size = (agentCost: number | null) => encodePack(new Map([[5, entry({ agentCost })]])).length;
  assert.equal(size(0.037246) - size(null), 4);
  assert.equal(size(0.028248999999999996) - size(null), 8);
  for (const c of [0.037246, 0.0024, 0, 1, 0.1 + 0.2, 0.028248999999999996, 123456.789012345, 1e-7, 5e-324, 2 ** 53 + 2, 1e300, 0.1 * 3, 17.000000000000004]) {
    const back = decodePack(encodePack(new Map([[5, entry({ agentCost: c })]]))).get(5)!.agentCost;
    assert.ok(Object.is(back, c), `${c}: ${back}`);
  }
  for (const c of [-0, -1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.ok(Object.is(decodePack(encodePack(new Map([[5, entry({ agentCost: c })]]))).get(5)!.agentCost, c), `${c}`);
  }
});
