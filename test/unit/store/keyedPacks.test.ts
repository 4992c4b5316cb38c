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
