/**
 * A source whose last file of a refresh has been applied finishes then (IngestRun.finishSource: its de-dup state
 * written to its tables and let go of) instead of with every other source's at the end of the run. Over Claude
 * transcripts whose calls are copied across files (recent ones kept in claude_packs, old ones compacted to
 * claude_seen, a tiny in-memory bound so they spill) followed by every plug-in source's fixtures, the same parse
 * results applied once with each source finished after its last file and once with all finished at the end must
 * leave every table the same; Claude's packs must already be written when the other sources' files are applied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots, listLogEntries, statLogFile, type LogFile } from '../../../src/core/discovery';
import { IngestRun } from '../../../src/core/ingest/apply';
import { databasesFirst } from '../../../src/core/ingest/indexer';
import { parseFile } from '../../../src/core/ingest/parseFile';
import type { ParseJob, ParseResult } from '../../../src/core/ingest/records';
import { sourceDef } from '../../../src/core/sources/registry';
import { TimeSlicer } from '../../../src/core/store/timeSlice';
import { fixtureHome } from '../sources/fixtureHome';
import { claudeAssistant, cleanup, freshDb, write } from './helpers';

const NOW = Date.parse('2026-04-20T00:00:00Z');

/** Claude calls streamed in one file and final in the next (de-dup across files), half older than the 35-day window. */
function writeClaude(home: string, n: number): string {
  const dir = join(home, 'claude');
  for (let k = 0; k < n; k++) {
    const ts = (j: number) => (j % 2 === 0 ? '2026-01-05T10:00:00Z' : '2026-04-01T10:00:00Z');
    let text = claudeAssistant({ id: `call${k}`, ts: ts(k), usage: { input: 2 + k, output: 1, cacheRead: 100 * k } });
    if (k > 0) text += claudeAssistant({ id: `call${k - 1}`, ts: ts(k - 1), usage: { input: 1 + k, output: 100 + k, cacheRead: 100 * (k - 1) } });
    write(join(dir, `projects/p${String(k).padStart(2, '0')}/s.jsonl`), text);
  }
  return dir;
}

/** Every table's rows, sorted (the row order inside a table is not what is compared). */
function dump(db: Database): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")[0]?.values ?? [];
  for (const [name] of tables) {
    const rows = db.exec(`SELECT * FROM "${String(name)}"`)[0]?.values ?? [];
    out[String(name)] = rows.map((r) => JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))).sort();
  }
  return out;
}

async function applyAll(files: LogFile[], results: ParseResult[], early: boolean): Promise<{ db: Database; packsBeforeOthers: number }> {
  const db = await freshDb();
  const run = new IngestRun(db, NOW, new TimeSlicer(), 2);
  const last = new Map<string, number>();
  for (let i = 0; i < files.length; i++) last.set(files[i].source, i);
  let packsBeforeOthers = -1;
  db.run('BEGIN');
  for (let i = 0; i < files.length; i++) {
    if (packsBeforeOthers < 0 && files[i].source !== 'claude' && i > last.get('claude')!) {
      packsBeforeOthers = Number(db.exec('SELECT count(*) FROM claude_packs')[0].values[0][0]);
    }
    // the run keeps the usage it applied until a flush: one every few files, as a long refresh does
    await run.applyFile(files[i], results[i]);
    if (early && last.get(files[i].source) === i) await run.finishSource(files[i].source);
    if (i % 5 === 4) await run.flush();
  }
  await run.finish();
  db.run('COMMIT');
  run.free();
  return { db, packsBeforeOthers };
}

test('a source finished after its last file leaves the tables as finishing every source at the end', async () => {
  const home = fixtureHome();
  try {
    const claudeDir = writeClaude(home, 24);
    const roots = discoverRoots({ env: {}, home, platform: 'linux', dirs: { claude: [claudeDir], codex: ['none'] } });
    const files = (await listLogEntries(roots)).map((l) => statLogFile(l)!).filter(Boolean);
    const jobs = files.map((f) => ({ file: f, job: { path: f.path, source: f.source, format: f.format, project: f.project, session: f.session, offset: 0, state: {} } as ParseJob }));
    databasesFirst(jobs, (j) => sourceDef(j.file.source).isDatabase(j.file.format));
    // Claude's transcripts first, then the other sources (as a listing gives them; OpenCode's database stays first)
    const sources = jobs.map((j) => j.file.source);
    assert.ok(sources.lastIndexOf('claude') < sources.indexOf('gemini'), `Claude's files come before Gemini's: ${sources.join(' ')}`);
    for (const s of ['gemini', 'qwen', 'cline', 'roo', 'kilo', 'copilot-cli', 'opencode']) assert.ok(sources.includes(s), `${s} has files`);
    const results: ParseResult[] = [];
    for (const j of jobs) results.push(await parseFile(j.job));
    const ordered = jobs.map((j) => j.file);

    const late = await applyAll(ordered, results, false);
    const early = await applyAll(ordered, results, true);
    try {
      assert.equal(late.packsBeforeOthers, 0, 'finishing at the end: nothing in claude_packs while the other sources are applied');
      assert.ok(early.packsBeforeOthers > 0, 'finished after its last file: claude_packs written before the other sources are applied');
      const a = dump(late.db);
      const b = dump(early.db);
      assert.ok(a.claude_packs.length > 0 && a.claude_seen_packs.length > 0 && a.keyed_packs.length > 0, 'recent and old Claude calls and keyed state are stored');
      assert.ok(a.usage.length > 0);
      assert.deepEqual(b, a);
    } finally {
      late.db.close();
      early.db.close();
    }
  } finally {
    cleanup(home);
  }
});
