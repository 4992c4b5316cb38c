/**
 * The add-on corpus of every other source for `npm run bench -- --year --mix`, generated here at a small scale:
 * deterministic for a seed, each source where its default discovery looks under one HOME, spread over the same
 * 365 days, and a ground truth (written by the generator) that the real indexer reproduces exactly per source.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import initSqlJs, { type Database } from 'sql.js';
import { clineUpdates, geminiAppends } from '../../../scripts/bench/mixChanges.mjs';
import { ensureMixCorpus } from '../../../scripts/bench/mixCorpus.mjs';
import { compareMix, MIX_SOURCES, type StoredRow } from '../../../scripts/bench/mixTruth.mjs';
import { createRng } from '../../../scripts/bench/prng.mjs';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { migrate } from '../../../src/core/store/schema';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const SCALE = 0.01;
const END_DAY = '2026-06-01';

async function generate(seed: number) {
  const base = mkdtempSync(join(tmpdir(), 'agentmeter-mix-test-'));
  dirs.push(base);
  return ensureMixCorpus({ baseDir: base, seed, scale: SCALE, endDay: END_DAY });
}

/** Stored sums per source (usage table, schema.ts). */
function stored(db: Database): StoredRow[] {
  const res = db.exec(`SELECT d.source, SUM(u.requests), SUM(u.input), SUM(u.output), SUM(u.cw5m), SUM(u.cw1h), SUM(u.cache_read), SUM(u.reasoning) FROM usage u JOIN ${DIMS_AS_TEXT} d ON d.id = u.dim GROUP BY d.source`);
  return (res[0]?.values ?? []).map(([source, requests, input, output, cw5m, cw1h, cacheRead, reasoning]) =>
    ({ source: String(source), requests: Number(requests), input: Number(input), output: Number(output), cw5m: Number(cw5m), cw1h: Number(cw1h), cacheRead: Number(cacheRead), reasoning: Number(reasoning) }));
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}
function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of files(dir).sort()) h.update(relative(dir, f)).update(readFileSync(f));
  return h.digest('hex');
}

test('the same seed gives the same corpus byte for byte; another seed a different one; a second ask reuses it', async () => {
  const a = await generate(7);
  const b = await generate(7);
  assert.equal(digest(a.home), digest(b.home));
  assert.deepEqual(a.manifest.truth, b.manifest.truth);
  assert.notEqual(digest((await generate(8)).home), digest(a.home));
  assert.equal((await ensureMixCorpus({ baseDir: join(a.dir, '..'), seed: 7, scale: SCALE, endDay: END_DAY })).generated, false);
});

test('every source is found by its own default discovery under the HOME, and the real index equals the truth per source', async () => {
  const c = await generate(5);
  const m = c.manifest;
  const roots = discoverRoots({ env: {}, home: c.home, platform: 'linux', dirs: { claude: ['none'], codex: ['none'] } });
  assert.deepEqual([...new Set(roots.roots.map((r) => r.source))].sort(), [...MIX_SOURCES].sort());
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const r = await new Indexer({ db, roots }).refresh();
  assert.equal(r.malformedLines, 0);
  assert.equal(r.filesScanned, MIX_SOURCES.reduce((n, s) => n + m.truth[s as keyof typeof m.truth].files, 0));
  const cmp = compareMix(stored(db), m.truth);
  assert.ok(cmp.ok, Object.values(cmp.bySource).flatMap((x) => x.details).join('\n'));
  // every source has requests, in the proportions of the shape (scale 0.01 of the year)
  assert.equal(m.truth.gemini.requests, 600);
  assert.equal(m.truth.qwen.requests, 200);
  assert.equal(m.truth.cline.requests + m.truth.roo.requests, 300);
  assert.ok(m.truth['copilot-cli'].requests > 30 && m.truth.opencode.requests > 400);
  // the per-change targets exist
  assert.ok(statSync(join(c.dir, m.targets.gemini)).size > 0);
  assert.ok(statSync(join(c.dir, m.targets.cline)).size > 0);
});

test("the bench's per-change generators: a Gemini message appended counts one request more; a Cline row updated in place replaces what it counted", async () => {
  const c = await generate(6);
  const roots = discoverRoots({ env: {}, home: c.home, platform: 'linux', dirs: { claude: ['none'], codex: ['none'] } });
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const indexer = new Indexer({ db, roots });
  await indexer.refresh();
  const before = new Map(stored(db).map((r) => [r.source, r]));
  const gemini = join(c.dir, c.manifest.targets.gemini);
  const cline = join(c.dir, c.manifest.targets.cline);
  const added = geminiAppends(createRng(1), gemini, 1, Date.UTC(2026, 4, 20, 10))[0]!;
  appendFileSync(gemini, added);
  const versions = clineUpdates(cline, 2);
  writeFileSync(cline, versions[0]!);
  writeFileSync(cline, versions[1]!); // the second version: the same row's output grown twice
  await indexer.refresh();
  const after = new Map(stored(db).map((r) => [r.source, r]));
  const tokens = (JSON.parse(added.split('\n')[0]!) as { tokens: { input: number; output: number; cached: number; thoughts: number } }).tokens;
  assert.equal(after.get('gemini')!.requests, before.get('gemini')!.requests + 1);
  assert.equal(after.get('gemini')!.input, before.get('gemini')!.input + tokens.input - tokens.cached);
  assert.equal(after.get('gemini')!.output, before.get('gemini')!.output + tokens.output + tokens.thoughts);
  assert.equal(after.get('cline')!.requests, before.get('cline')!.requests);
  assert.equal(after.get('cline')!.output, before.get('cline')!.output + 200);
  for (const s of ['qwen', 'roo', 'copilot-cli', 'opencode']) assert.deepEqual(after.get(s), before.get(s));
});

test('the days are those of the year corpus, in working hours: every Gemini call lies between the first and the end day', async () => {
  const c = await generate(5);
  const times: number[] = [];
  for (const f of files(join(c.home, '.gemini', 'tmp')).filter((p) => p.endsWith('.jsonl'))) {
    for (const l of readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
      const o = JSON.parse(l) as { type?: string; timestamp?: string; tokens?: unknown };
      if (o.type === 'gemini' && o.tokens) times.push(Date.parse(o.timestamp!));
    }
  }
  assert.equal(times.length >= 600, true);
  const first = new Date(Math.min(...times)), last = new Date(Math.max(...times));
  assert.ok(first >= new Date(2025, 5, 2) && last < new Date(2026, 5, 2), `${first.toISOString()} … ${last.toISOString()}`);
  for (const t of times) assert.ok(new Date(t).getHours() >= 9 && new Date(t).getHours() < 18, new Date(t).toString());
});
