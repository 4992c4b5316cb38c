import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash53 } from '../../../src/core/hash';
import { HashFilter } from '../../../src/core/ingest/hashFilter';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SpilledCalls, tempSpillFile, type KeptCopy, type SpillFile } from '../../../src/core/ingest/spilledCalls';

const copy = (i: number, o: Partial<KeptCopy> = {}): KeptCopy => ({
  rid: hash53(`req_${i}`),
  side: i % 7 === 0,
  ts: Date.parse('2026-03-01T00:00:00Z') + i * 61_001,
  dim: 1 + (i % 3000),
  input: i % 11,
  output: 1 + ((i * 37) % 4000),
  cw5m: (i * 13) % 9000,
  cw1h: i % 5 === 0 ? 2000 + i : 0,
  cacheRead: (i * 101) % 180_000,
  webSearch: 0,
  act: i % 9,
  ...o,
});

test('spilled calls come back exactly, across column chunks and table growth (70,000 message.ids)', () => {
  const s = new SpilledCalls();
  const n = 70_000;
  for (let i = 0; i < n; i++) s.put(hash53(`msg_${i}`), [copy(i)]);
  for (let i = 0; i < n; i += 997) assert.deepEqual(s.get(hash53(`msg_${i}`)), [copy(i)]);
  assert.deepEqual(s.get(hash53(`msg_${n - 1}`)), [copy(n - 1)]);
  assert.equal(s.get(hash53('never spilled')), undefined);
  // spilled again after a better copy replaced the kept one: rewritten in place
  s.put(hash53('msg_5'), [copy(5, { output: 999_999, ts: 1 })]);
  assert.deepEqual(s.get(hash53('msg_5')), [copy(5, { output: 999_999, ts: 1 })]);
  assert.equal(s.size, n);
  // the first full chunk (65,536 rows) went to the temp file; the call read back from there is exact
  assert.equal(s.chunksInFile, 1);
  s.close();
});

/** A spill file in memory that counts its reads and writes, or fails its writes from the `failFrom`-th on. */
function memoryFile(failFrom = Infinity): SpillFile & { writes: number; reads: number; closed: boolean } {
  let bytes = new Uint8Array(0);
  const f = {
    writes: 0,
    reads: 0,
    closed: false,
    write(buf: Uint8Array, position: number) {
      if (++f.writes >= failFrom) throw new Error('ENOSPC: no space left on device');
      if (position + buf.length > bytes.length) {
        const more = new Uint8Array(Math.max(position + buf.length, 2 * bytes.length));
        more.set(bytes);
        bytes = more;
      }
      bytes.set(buf, position);
    },
    read(buf: Uint8Array, position: number) {
      f.reads++;
      buf.set(bytes.subarray(position, position + buf.length));
    },
    close() {
      f.closed = true;
    },
  };
  return f;
}

test('calls in chunks written to the spill file come back exactly, also when changed there, and at the end of the run', () => {
  const file = memoryFile();
  const s = new SpilledCalls(() => file);
  const n = 3 * 65_536 + 100;
  const cutoff = copy(n - 5000).ts;
  for (let i = 0; i < n; i++) s.put(hash53(`msg_${i}`), [copy(i)]);
  assert.equal(s.chunksInFile, 3);
  // a call of the first chunk (in the file) changed by a later flush: rewritten in the file
  s.put(hash53('msg_7'), [copy(7, { output: 123_456, ts: copy(n).ts })]);
  assert.deepEqual(s.get(hash53('msg_7')), [copy(7, { output: 123_456, ts: copy(n).ts })]);
  for (let i = 0; i < n; i += 4099) assert.deepEqual(s.get(hash53(`msg_${i}`)), [copy(i)]);
  const recent = [...s.since(cutoff)];
  const expected = [7, ...Array.from({ length: 5000 }, (_, j) => n - 5000 + j)]
    .map((i) => [hash53(`msg_${i}`), i === 7 ? copy(7, { output: 123_456, ts: copy(n).ts }) : copy(i)] as [number, KeptCopy])
    .sort((a, b) => a[0] - b[0]);
  assert.deepEqual(recent, expected);
  const old = s.midsBefore(cutoff);
  assert.equal(old.length, n - 5000 - 1);
  assert.ok(old.every((m, i) => i === 0 || old[i - 1] <= m));
  s.close();
  assert.ok(file.closed);
});

test('a spill file that fails (a full disk) or cannot be made: the chunks stay in memory, nothing is lost', () => {
  for (const makeFile of [() => memoryFile(2), () => undefined]) {
    const s = new SpilledCalls(makeFile);
    const n = 3 * 65_536;
    for (let i = 0; i < n; i++) s.put(hash53(`msg_${i}`), [copy(i)]);
    assert.equal(s.chunksInFile, makeFile() ? 1 : 0);
    for (let i = 0; i < n; i += 3001) assert.deepEqual(s.get(hash53(`msg_${i}`)), [copy(i)]);
    assert.equal(s.midsBefore(Infinity).length, n);
    assert.equal([...s.since(-Infinity)].length, n);
    s.close();
  }
});

test('the temp spill file leaves nothing in the temp folder', () => {
  const f = tempSpillFile();
  assert.ok(f);
  f.write(new Uint8Array([1, 2, 3]), 10);
  const back = new Uint8Array(3);
  f.read(back, 10);
  assert.deepEqual([...back], [1, 2, 3]);
  f.close();
  assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith(`agentmeter-spill-${process.pid}-`)), []);
});

test('several kept copies of one message.id, and numbers the columns cannot hold, are kept exactly as objects, in order', () => {
  const s = new SpilledCalls();
  const mid = hash53('msg_multi');
  s.put(mid, [copy(1)]);
  s.put(mid, [copy(1), copy(2)]); // a second requestId was kept after the first spill
  assert.deepEqual(s.get(mid), [copy(1), copy(2)]);
  const odd = [copy(3, { webSearch: 2 }), copy(4, { output: 2 ** 33 }), copy(5, { input: -1 }), copy(6, { cacheRead: 1.5 }), copy(7, { dim: 2 ** 31 }), copy(8, { act: 65536 })];
  odd.forEach((k, i) => {
    s.put(hash53(`odd_${i}`), [k]);
  });
  odd.forEach((k, i) => {
    assert.deepEqual(s.get(hash53(`odd_${i}`)), [k]);
  });
  // what get() returns is a copy: changing it does not change what is stored
  s.get(mid)![0].output = 1;
  assert.deepEqual(s.get(mid), [copy(1), copy(2)]);
});

test('the end of a run: recent copies sorted by message.id, older ones as sorted hashes, every message.id once', () => {
  const s = new SpilledCalls();
  const cutoff = copy(500).ts;
  const mids: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const mid = hash53(`msg_${i}`);
    mids.push(mid);
    s.put(mid, i === 900 ? [copy(i), copy(i + 1, { ts: 0 })] : [copy(i)]);
  }
  const recent: [number, number][] = [];
  for (const [mid, k] of s.since(cutoff)) recent.push([mid, k.output]);
  const expected = mids.map((mid, i) => [mid, copy(i).output] as [number, number]).filter((_, i) => i >= 500);
  assert.deepEqual(recent, expected.sort((a, b) => a[0] - b[0]));
  const old = [...s.midsBefore(cutoff)];
  assert.deepEqual(old, [...mids.slice(0, 500), mids[900]].sort((a, b) => a - b));
  const all: number[] = [];
  s.forEachMid((mid) => all.push(mid));
  assert.deepEqual(all.sort((a, b) => a - b), [...mids].sort((a, b) => a - b));
});

test('HashFilter: every added hash is found; a hash never added rarely is (then an exact lookup decides)', () => {
  const f = new HashFilter();
  for (let i = 0; i < 200_000; i++) f.add(hash53(`msg_${i}`));
  f.add(hash53('msg_0')); // twice: no harm
  for (let i = 0; i < 200_000; i++) assert.ok(f.mayHave(hash53(`msg_${i}`)));
  let falsePositives = 0;
  for (let i = 0; i < 200_000; i++) if (f.mayHave(hash53(`other_${i}`))) falsePositives++;
  // 32-bit fingerprints: about 200,000 × 200,000 / 2^32 ≈ 9 expected
  assert.ok(falsePositives < 50, `${falsePositives} false positives`);
});
