import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { statLogFile } from '../../../src/core/discovery';
import { scanLogs } from '../../../src/core/ingest/indexer';
import { parseJobOf } from '../../../src/core/ingest/records';
import { stampedFile } from '../../../src/core/logFile';
import * as h from './helpers';

/**
 * A refresh holds every changed file's LogFile and ParseJob to its end (a year's first index with every source:
 * 27,493 of each). Objects of one shape must share one hidden class (V8's map): `{ ...listed, size, … }` gave each
 * object a map, descriptor array and property array of its own (~330 bytes; ~19 MB of the indexing thread's heap at
 * that year). V8's own test of two objects' maps (`%HaveSameMap`, with natives syntax allowed at run time).
 */
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** How many objects of `list` have another map than the first one's. */
const otherMaps = (list: object[]) => list.filter((o) => !sameMap(o, list[0])).length;

async function listedTree() {
  const dir = h.tmpDir();
  for (let i = 10; i < 30; i++) {
    h.write(join(dir, `c/projects/p${i}/s${i}.jsonl`), h.claudeAssistant({ id: `m${i}`, ts: '2026-04-01T10:00:00Z', usage: { input: 1, output: 10 } }));
    h.write(join(dir, `x/sessions/2026/04/${i}/rollout-2026-04-${i}T10-00-00-000000${i}.jsonl`), '{}\n');
  }
  const scan = await scanLogs(h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') }));
  assert.equal(scan.listed.length, 40);
  assert.deepEqual(new Set(scan.listed.map((l) => l.source)), new Set(['claude', 'codex']));
  return { dir, scan };
}

test('the probe tells maps apart: files copied by a spread and given their stamp get a map each (once V8 has seen a few)', async () => {
  const { dir, scan } = await listedTree();
  const spread = scan.listed.map((l, i) => ({ ...l, size: scan.stats[4 * i + 2], mtimeMs: scan.stats[4 * i + 3], dev: scan.stats[4 * i], ino: scan.stats[4 * i + 1] }));
  assert.ok(otherMaps(spread) >= spread.length / 2, `${otherMaps(spread)} of ${spread.length}`);
  h.cleanup(dir);
});

test('stamped files, stat-ed files and parse jobs of every source share one map each', async () => {
  const { dir, scan } = await listedTree();
  const files = scan.listed.map((l, i) => stampedFile(l, scan.stats[4 * i + 2], scan.stats[4 * i + 3], scan.stats[4 * i], scan.stats[4 * i + 1]));
  assert.equal(otherMaps(files), 0);
  assert.deepEqual(files[0], { ...scan.listed[0], size: scan.stats[2], mtimeMs: scan.stats[3], dev: scan.stats[0], ino: scan.stats[1] });
  const stated = scan.listed.map((l) => statLogFile(l)!);
  assert.equal(otherMaps(stated), 0);
  assert.deepEqual(stated, files);
  const jobs = files.map((f, i) => parseJobOf(f, i * 100, i % 2 ? {} : { cursor: i }));
  assert.equal(otherMaps(jobs), 0);
  assert.deepEqual(jobs[33], { path: files[33].path, source: files[33].source, format: files[33].format, project: files[33].project, session: files[33].session, offset: 3300, state: {} });
  h.cleanup(dir);
});
