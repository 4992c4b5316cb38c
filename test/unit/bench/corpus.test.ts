/**
 * The benchmark corpus generator: deterministic for a seed, and its lines are accepted by the real parsers with the
 * generator's own ground truth reproduced exactly by the index (so the benchmark's exactness column means something).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { ensureCorpus } from '../../../scripts/bench/corpus.mjs';
import { compareTotals, listFiles } from '../../../scripts/bench/truth.mjs';
import { indexCorpus } from './indexCorpus';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const SIZES = { claudeBytes: 2_500_000, codexBytes: 1_200_000 };

function corpusDigest(dir: string): string {
  const h = createHash('sha256');
  for (const f of listFiles(dir).sort()) h.update(relative(dir, f)).update(readFileSync(f));
  return h.digest('hex');
}

function generate(seed: number) {
  const base = mkdtempSync(join(tmpdir(), 'agentmeter-corpus-test-'));
  dirs.push(base);
  return ensureCorpus({ baseDir: base, seed, ...SIZES });
}

test('the same seed gives the same corpus byte for byte; another seed a different one', () => {
  const a = generate(7);
  const b = generate(7);
  const c = generate(8);
  assert.ok(a.manifest.claude.lines > 100 && a.manifest.codex.lines > 100);
  assert.equal(corpusDigest(a.dir), corpusDigest(b.dir));
  assert.deepEqual(a.manifest.claude.truthByModel, b.manifest.claude.truthByModel);
  assert.notEqual(corpusDigest(a.dir), corpusDigest(c.dir));
  // reused, not regenerated, when asked again for the same seed and sizes
  assert.equal(ensureCorpus({ baseDir: join(a.dir, '..'), seed: 7, ...SIZES }).generated, false);
});

test('the real parsers accept every line and the index reproduces the ground truth exactly', async () => {
  const corpus = generate(11);
  const m = corpus.manifest;
  // the corpus has the traps the benchmark is about
  assert.ok(m.claude.streamingCopies > m.claude.assistantLines * 0.3, 'streaming copies');
  assert.ok(m.claude.toolResultBytes > m.claude.bytes * 0.6, 'tool results dominate the bytes');
  assert.ok(m.codex.reemitted > m.codex.tokenCountEvents * 0.15, 're-emitted Codex snapshots');

  const db = await indexCorpus(corpus, m.claude.files + m.codex.files);
  const res = db.exec(
    `SELECT d.source, SUM(u.requests), SUM(u.input), SUM(u.output), SUM(u.cw5m), SUM(u.cw1h), SUM(u.cache_read), SUM(u.reasoning)
     FROM usage u JOIN ${DIMS_AS_TEXT} d ON d.id = u.dim GROUP BY d.source`,
  );
  const rows = (res[0]?.values ?? []).map(([source, requests, input, output, cw5m, cw1h, cacheRead, reasoning]) => ({
    source: String(source), requests: Number(requests), input: Number(input), output: Number(output),
    cw5m: Number(cw5m), cw1h: Number(cw1h), cacheRead: Number(cacheRead), reasoning: Number(reasoning),
  }));
  const cmp = compareTotals(rows, m, { claude: true, codex: true });
  assert.ok(cmp.ok, cmp.details.join('\n'));
  db.close();
});
