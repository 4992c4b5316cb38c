import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Indexer } from '../../../src/core/ingest/indexer';
import * as h from './helpers';

const NOW = Date.parse('2026-04-10T00:00:00Z');
const N = 600;

/** N calls, one line each, in N different 15-minute buckets; `output` is the placeholder (1) or the final count (100). */
function calls(output: number, tsOffset: number): string {
  let s = '';
  for (let i = 0; i < N; i++) s += h.claudeAssistant({ id: `msg_${i}`, req: `req_${i}`, ts: new Date(Date.parse('2026-04-01T00:00:00Z') + i * 900_000 + tsOffset).toISOString(), usage: { input: 2, output, cacheRead: 50 } });
  return s;
}

test('sliced apply/flush: the event loop gets turns, and a reader between turns never sees half a correction', async () => {
  const dir = h.tmpDir();
  h.write(join(dir, 'c/projects/p/a.jsonl'), calls(1, 0)); // streaming copies with placeholder output
  const db = await h.freshDb();
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const indexer = new Indexer({ db, roots, now: () => NOW, sliceMs: 0 });
  await indexer.refresh();
  assert.deepEqual([h.totals(db).requests, h.totals(db).output], [N, N]);

  // the final copies arrive in another file: every call is corrected (subtract placeholder, add final)
  h.write(join(dir, 'c/projects/p/b.jsonl'), calls(100, 500));
  const samples: [number, number][] = [];
  let sampling = true;
  const sample = () => {
    if (!sampling) return;
    const t = h.totals(db);
    samples.push([t.requests, t.output]);
    setImmediate(sample);
  };
  setImmediate(sample);
  const r = await indexer.refresh({ flushEveryMs: 0 });
  sampling = false;
  assert.equal(r.duplicateLines, N);
  assert.ok(samples.length >= 5, `the refresh gave the event loop only ${samples.length} turns`);
  for (const [requests, output] of samples) {
    assert.equal(requests, N, 'a call was half corrected (subtracted but not yet added, or added twice)');
    assert.ok(output === N || output === N * 100, `readers see all of a flush or none of it (saw output ${output})`);
  }
  assert.deepEqual([h.totals(db).requests, h.totals(db).output, h.totals(db).cacheRead], [N, N * 100, N * 50]);
  h.cleanup(dir);
});
