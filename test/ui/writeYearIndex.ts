// Writes an AgentMeter index file from pre-aggregated rows with the project's own store code: the schema comes from
// `migrate` (so a future migration applies here too), dims ids from `DimCache`, the aggregates from
// `rebuildAggregates`, the stored Claude blocks and idle re-writes as the writer stores them, the plan limit's priced
// blocks as the writer keeps them for the packaged build (dist/index-worker.js), the file from `saveIndexDatabase`.
// Run by test/ui/yearFixture.mjs before code-server starts:
//   node --import tsx test/ui/writeYearIndex.ts <rows.json> <index file>
// rows.json: { dims: [source, model, project, session, branch, tier][],
//              usage: [bucket, dimIndex, input, output, cw5m, cw1h, cacheRead, reasoning, webSearch, requests, firstMs, lastMs][],
//              projects: [project, source, displayPath][] }
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleIdOf } from '../../src/app/indexWorker/bundleId';
import { PlanBlocks } from '../../src/app/indexWorker/planBlocks';
import { PriceTableCache } from '../../src/app/prices';
import { rebuildAggregates } from '../../src/core/store/aggregates';
import { updateClaudeBlocks } from '../../src/core/store/claudeBlocks';
import { DimCache } from '../../src/core/store/dims';
import { markIdleGapsDirty, updateIdleGaps } from '../../src/core/store/idleGaps';
import { saveIndexDatabase } from '../../src/core/store/persist';
import { migrate } from '../../src/core/store/schema';
import { loadSqlJs } from '../../src/core/store/sqljs';
import type { Source, Tier } from '../../src/core/types';

interface YearRows {
  dims: [Source, string, string, string, string, Tier][];
  usage: number[][];
  projects: [string, Source, string][];
}

/** yearFixture.mjs runs this from the repository's root */
const repoRoot = process.cwd();

async function main(): Promise<void> {
  const [input, out] = process.argv.slice(2);
  if (!input || !out) throw new Error('usage: writeYearIndex.ts <rows.json> <index file>');
  const rows = JSON.parse(readFileSync(input, 'utf8')) as YearRows;
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  db.exec('BEGIN');
  const dims = new DimCache(db);
  const ids = rows.dims.map(([source, model, project, session, branch, tier]) => dims.idOf({ source, model, project, session, branch, tier }));
  dims.free();
  const usage = db.prepare(
    'INSERT INTO usage (bucket, dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, f, l) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 - ?1, ?12 - ?1)',
  );
  for (const [bucket, dim, ...rest] of rows.usage) usage.run([bucket, ids[dim], ...rest]);
  usage.free();
  const projects = db.prepare('INSERT INTO projects (project, source, display_path) VALUES (?, ?, ?)');
  for (const p of rows.projects) projects.run(p);
  projects.free();
  // the rows went in directly, not through the usage flush: their hourly and per-session sums are made the way
  // migration 4 made them for an index of before it
  rebuildAggregates(db);
  // and its Claude blocks are stored, as in the index of anyone who has run AgentMeter before (the first status
  // summary of a new index cuts them once)
  updateClaudeBlocks(db);
  // and each session's idle cache re-writes, as the writer computes them at the end of a first index (a user's
  // dashboard reads them; an index without them would make the dashboard's first snapshot cheaper than a user's)
  markIdleGapsDirty(db, 'usage');
  updateIdleGaps(db);
  db.exec('COMMIT');
  // and the plan limit's priced completed blocks, as the writer keeps them for the build that will run (the packaged
  // worker bundle; default price settings): a window start of anyone who has run this build before finds them
  const codeId = bundleIdOf(join(repoRoot, 'dist', 'index-worker.js'));
  if (codeId) new PlanBlocks(codeId).likes(db, JSON.stringify([{}, {}]), new PriceTableCache(() => {}).get({}, {}), Date.now(), true);
  saveIndexDatabase(db, out);
  db.close();
  process.stdout.write(`${JSON.stringify({ dims: ids.length, usage: rows.usage.length, projects: rows.projects.length })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`writeYearIndex: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
