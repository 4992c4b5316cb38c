import type { Database } from 'sql.js';
import { UsageDeltas } from './usageDeltas';
import { TimeSlicer } from './timeSlice';
import { KeyedCalls } from './keyedCalls';
import { strIdOf } from './strs';

/**
 * Which version of each plug-in source's parsers read what the index holds of it (`meta` rows `sourceVersion:<id>`).
 * When a source's parsers change what they count (a new place its usage is read from, a corrected rule), the index
 * must not keep the earlier reading beside the new one: `resetOutdatedSources` takes back everything the source
 * counted (its usage rows, whole; its keyed state) and marks its files to be read again from the start, in one
 * transaction (with the tables only that source writes, `ownTables`), then records the new version. A source with no
 * version recorded yet is taken as version 1. Returns the
 * sources that had something to read again (a new index only records the versions).
 */
const PREFIX = 'sourceVersion:';
const SUMS = 'u.input, u.output, u.cw5m, u.cw1h, u.cache_read, u.reasoning, u.web_search, u.requests';

export async function resetOutdatedSources(db: Database, versions: ReadonlyMap<string, number>, ownTables: ReadonlyMap<string, readonly string[]> = new Map()): Promise<string[]> {
  const stored = new Map<string, number>();
  for (const [k, v] of db.exec('SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?', [PREFIX.length, PREFIX])[0]?.values ?? []) {
    stored.set(String(k).slice(PREFIX.length), Number(v));
  }
  const outdated = [...versions].filter(([id, v]) => (stored.get(id) ?? 1) !== v).map(([id]) => id);
  if (!outdated.length) return [];
  const reread: string[] = [];
  db.run('BEGIN');
  try {
    const usage = new UsageDeltas();
    for (const id of outdated) {
      const calls = new KeyedCalls(db, id);
      const keys = calls.keys().length;
      calls.free();
      const files = Number(db.exec(`SELECT count(*) FROM files WHERE source_id = ${strIdOf('?')}`, [id])[0]?.values[0]?.[0] ?? 0);
      if (keys > 0 || files > 0) reread.push(id);
      // everything the source counted is its usage rows (all of a keyed source's usage comes from its keys, also from
      // the keys kept without their figures past the de-dup window): each taken back whole
      const rows = db.exec(`SELECT u.bucket, u.dim, ${SUMS} FROM usage u JOIN dims d ON d.id = u.dim WHERE d.source_id = ${strIdOf('?')}`, [id]);
      for (const [bucket, dim, input, output, cw5m, cw1h, cacheRead, reasoning, webSearch, requests] of (rows[0]?.values ?? []) as number[][]) {
        usage.add(bucket, dim, { input, output, cw5m, cw1h, cacheRead, reasoning, webSearch }, bucket, -1, requests);
      }
      db.run('DELETE FROM keyed_packs WHERE s = ?', [id]);
      // the tables only this source writes (Codex's replay hashes: read again, every event would be a replay)
      for (const table of ownTables.get(id) ?? []) db.run(`DELETE FROM ${table}`);
      db.run(`DELETE FROM keyed_calls WHERE d IN (SELECT id FROM dims WHERE source_id = ${strIdOf('?')})`, [id]);
      // read again from the start at the next refresh (a size no file has: the stamp never matches)
      db.run(`UPDATE files SET offset = 0, size = -1, fp = NULL, state = NULL WHERE source_id = ${strIdOf('?')}`, [id]);
    }
    await usage.flush(db, new TimeSlicer());
    // the usage rows were taken back under no activity: the sources' activity rows (by their hour keys: source, model,
    // tier) are all gone with them
    for (const id of outdated) db.run('DELETE FROM usage_acts WHERE key IN (SELECT id FROM hour_keys WHERE source = ?)', [id]);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    try {
      for (const id of outdated) put.run([PREFIX + id, String(versions.get(id))]);
    } finally {
      put.free();
    }
    db.run('COMMIT');
  } catch (e) {
    db.run('ROLLBACK');
    throw e;
  }
  return reread;
}
