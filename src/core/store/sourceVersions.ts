import type { Database } from 'sql.js';
import { UsageDeltas } from './usageDeltas';
import { TimeSlicer } from './timeSlice';
import { KeyedCalls } from './keyedCalls';
import { bucketOf } from '../types';
import { strIdOf } from './strs';

/**
 * Which version of each plug-in source's parsers read what the index holds of it (`meta` rows `sourceVersion:<id>`).
 * When a source's parsers change what they count (a new place its usage is read from, a corrected rule), the index
 * must not keep the earlier reading beside the new one: `resetOutdatedSources` takes back everything the source
 * counted (its `keyed_calls` rows, from the usage rows) and marks its files to be read again from the start, in one
 * transaction, then records the new version. A source with no version recorded yet is taken as version 1. Returns the
 * sources that had something to read again (a new index only records the versions).
 */
const PREFIX = 'sourceVersion:';

export async function resetOutdatedSources(db: Database, versions: ReadonlyMap<string, number>): Promise<string[]> {
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
      try {
        const keys = calls.keys();
        const files = Number(db.exec(`SELECT count(*) FROM files WHERE source_id = ${strIdOf('?')}`, [id])[0]?.values[0]?.[0] ?? 0);
        if (keys.length > 0 || files > 0) reread.push(id);
        for (const h of keys) {
          const row = calls.get(h);
          if (!row) continue;
          usage.add(bucketOf(row.ts), row.dim, row, row.ts, -1, row.requests);
          calls.delete(h);
        }
        calls.flush();
        calls.clearFileLists();
        // read again from the start at the next refresh (a size no file has: the stamp never matches)
        db.run(`UPDATE files SET offset = 0, size = -1, fp = NULL, state = NULL WHERE source_id = ${strIdOf('?')}`, [id]);
      } finally {
        calls.free();
      }
    }
    await usage.flush(db, new TimeSlicer());
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
