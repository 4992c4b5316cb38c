import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lineEnd, lineStart, readCompleteLines } from '../../../src/core/ingest/tailer';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadCounters } from '../../../src/core/query/facts';
import * as h from './helpers';
import { rng } from '../rng';

function claudeLog(): string {
  let s = '';
  for (let i = 0; i < 30; i++) {
    const ts = `2026-04-0${1 + (i % 3)}T1${i % 10}:00:00.000Z`;
    // streaming placeholder copy then the final copy; text with multi-byte characters so splits land mid-character
    s += h.claudeAssistant({ id: `msg_${i}`, ts, usage: { input: 10 + i, output: 3, cw5m: 100, cw1h: i, cacheRead: 1000 * i }, content: [{ type: 'text', text: 'héllo → 日本語 🎉'.repeat(i % 4) }] });
    s += h.claudeUser(ts, 'ünïcödé ✓ '.repeat(i));
    s += h.claudeAssistant({ id: `msg_${i}`, ts, usage: { input: 10 + i, output: 100 + i, cw5m: 100, cw1h: i, cacheRead: 1000 * i } });
  }
  return s;
}

function codexLog(): string {
  let s = h.codexSessionMeta('2026-04-01T08:00:00.000Z', '/home/dev/ü') + h.codexTurnContext('2026-04-01T08:00:00.100Z', 'gpt-5.3-codex');
  let tot = { input: 0, cached: 0, output: 0, reasoning: 0 };
  for (let i = 0; i < 30; i++) {
    tot = { input: tot.input + 1000 + i, cached: tot.cached + 500, output: tot.output + 50 + i, reasoning: tot.reasoning + 10 };
    s += h.codexTokenCount(`2026-04-01T08:${String(i + 1).padStart(2, '0')}:00.000Z`, tot);
    s += h.codexResponseItem(`2026-04-01T08:${String(i + 1).padStart(2, '0')}:01.000Z`, 'résumé ✓');
    if (i % 3 === 0) s += h.codexTokenCount(`2026-04-01T08:${String(i + 1).padStart(2, '0')}:02.000Z`, tot); // re-emitted
  }
  return s;
}

for (const source of ['claude', 'codex'] as const) {
  test(`${source}: appends in random pieces (mid-line, mid-UTF-8) equal one whole read`, async () => {
    const whole = Buffer.from(source === 'claude' ? claudeLog() : codexLog());
    const dir = h.tmpDir();
    const rel = source === 'claude' ? 'c/projects/p/s.jsonl' : 'x/sessions/2026/04/01/rollout-a.jsonl';
    const wholeDir = h.tmpDir();
    h.write(join(wholeDir, rel), whole.toString('utf8'));
    const expected = h.totals((await h.indexOnce(h.rootsFor(source === 'claude' ? { claude: join(wholeDir, 'c') } : { codex: join(wholeDir, 'x') }))).db);
    assert.ok(expected.requests === 30);

    const rand = rng(source === 'claude' ? 7 : 11);
    const cuts = new Set<number>();
    while (cuts.size < 40) cuts.add(1 + Math.floor(rand() * (whole.length - 1)));
    cuts.add(whole.indexOf(Buffer.from('✓')) + 1); // certainly one cut inside a 3-byte character
    const points = [0, ...[...cuts].sort((a, b) => a - b), whole.length];
    let midChar = 0;
    const db = await h.freshDb();
    h.write(join(dir, rel), '');
    const now = () => Date.parse('2026-04-05T00:00:00Z'); // within 35 days of the data: calls are still correctable
    const indexer = new Indexer({ db, now, roots: h.rootsFor(source === 'claude' ? { claude: join(dir, 'c') } : { codex: join(dir, 'x') }) });
    for (let i = 1; i < points.length; i++) {
      if ((whole[points[i - 1]] & 0xc0) === 0x80) midChar++;
      h.append(join(dir, rel), whole.subarray(points[i - 1], points[i]));
      await indexer.refresh();
    }
    assert.ok(midChar > 0, 'some split fell inside a multi-byte character');
    assert.deepEqual(h.totals(db), expected);
    assert.equal(loadCounters(db).malformedLines, 0);
    h.cleanup(dir);
    h.cleanup(wholeDir);
  });
}

test('a half-written last line waits for its newline', async () => {
  const dir = h.tmpDir();
  const f = join(dir, 'c/projects/p/s.jsonl');
  const line = h.claudeAssistant({ id: 'm1', ts: '2026-04-01T00:00:00.000Z', usage: { input: 5, output: 50 } });
  h.write(f, line.slice(0, 100));
  const db = await h.freshDb();
  const ix = new Indexer({ db, roots: h.rootsFor({ claude: join(dir, 'c') }) });
  let r = await ix.refresh();
  assert.equal(r.bytesRead, 0);
  assert.equal(h.totals(db).requests, 0);
  h.append(f, line.slice(100, line.length - 1)); // everything but the newline
  r = await ix.refresh();
  assert.equal(h.totals(db).requests, 0);
  assert.equal(loadCounters(db).malformedLines, 0);
  h.append(f, '\n');
  r = await ix.refresh();
  assert.equal(r.bytesRead, Buffer.byteLength(line));
  assert.equal(h.totals(db).output, 50);
  h.cleanup(dir);
});

test('CRLF line ends, a UTF-8 BOM at offset 0 and invalid UTF-8 bytes are handled', async () => {
  const dir = h.tmpDir();
  const f = join(dir, 'c/projects/p/s.jsonl');
  const l1 = h.claudeAssistant({ id: 'm1', ts: '2026-04-01T00:00:00.000Z', usage: { input: 1, output: 10 } }).replace('\n', '\r\n');
  const l2 = h.claudeAssistant({ id: 'm2', ts: '2026-04-01T00:00:01.000Z', usage: { input: 2, output: 20 }, content: [{ type: 'text', text: 'XXXX' }] });
  const bad = Buffer.from(l2);
  const at = bad.indexOf('XXXX');
  bad[at] = 0xff; // invalid UTF-8 bytes inside a string value
  bad[at + 1] = 0xc3;
  h.write(f, '');
  h.append(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(l1), bad, Buffer.from('\r\n\r\n   \n')]));
  const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }));
  // m1 (1 in, 10 out) + m2 (2 in, 20 out)
  assert.equal(h.totals(db).input, 3);
  assert.equal(h.totals(db).output, 30);
  assert.equal(loadCounters(db).malformedLines, 0);
  h.cleanup(dir);
});

test('a 20 MB line is read across chunks (carry-over), the lines around it too', async () => {
  const dir = h.tmpDir();
  const f = join(dir, 'c/projects/p/s.jsonl');
  const big = h.claudeAssistant({ id: 'big', ts: '2026-04-01T00:00:01.000Z', usage: { input: 7, output: 70 }, content: [{ type: 'text', text: 'a'.repeat(20 * 1024 * 1024) }] });
  h.write(f, h.claudeAssistant({ id: 'm0', ts: '2026-04-01T00:00:00.000Z', usage: { input: 1, output: 1 } }) + big + h.claudeAssistant({ id: 'm2', ts: '2026-04-01T00:00:02.000Z', usage: { input: 2, output: 2 } }));
  const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }));
  assert.equal(h.totals(db).input, 10); // 1 + 7 + 2
  assert.equal(h.totals(db).requests, 3);
  h.cleanup(dir);
});

test('readCompleteLines with tiny chunks hands out only complete lines and stops at the last newline', async () => {
  const dir = h.tmpDir();
  const f = h.write(join(dir, 'a.jsonl'), `{"a":1}\n{"b":"${'x'.repeat(100)}"}\n{"c":`);
  const lines: string[] = [];
  const r = await readCompleteLines(f, 0, (b, s) => lines.push(...b.toString('utf8', s).split('\n').filter(Boolean)), 8);
  assert.deepEqual(lines.map((l) => l.slice(0, 6)), ['{"a":1', '{"b":"']);
  assert.equal(r.offset, 8 + 109);
  h.cleanup(dir);
});

test('a line trimmed (lineStart, lineEnd): spaces, tabs, CR, VT and FF around it; a blank line is empty at its first byte', () => {
  const text = ' {"a":1}\r\n\t\r\n{"b":2}\n   \n\v{"c":3}\f \n{"d":4}';
  const b = Buffer.from(text);
  const seen: string[] = [];
  const bounds: number[][] = [];
  let pos = 0;
  while (pos < b.length) {
    let nl = b.indexOf(0x0a, pos);
    if (nl < 0) nl = b.length;
    const s = lineStart(b, pos, nl);
    const e = lineEnd(b, s, nl);
    bounds.push([s, e]);
    seen.push(b.toString('utf8', s, e));
    pos = nl + 1;
  }
  assert.deepEqual(seen, ['{"a":1}', '', '{"b":2}', '', '{"c":3}', '{"d":4}']);
  // a blank line (only spaces, tabs, CR) ends where it starts: past its spaces, at its newline
  assert.deepEqual(bounds, [[1, 8], [12, 12], [13, 20], [24, 24], [26, 33], [36, 43]]);
});
