/**
 * Which dims rows' usage changed since the status summary last read its facts (query/keptStatusFacts.ts): TEMP
 * triggers on `usage` note the dims id of every row inserted, updated or deleted — by the indexer's flushes, the
 * retention roll-up, a journal replayed into a reader's copy — in `temp.status_changed_dims`. Being a table of the
 * same database, the notes commit and roll back with the writes. TEMP objects are not part of the saved file (as the
 * change capture's triggers, changeCapture.ts). Installed on first use per database, and only on a database whose
 * saves are captured (the writer's, see query/keptStatusFacts.ts): a write then already runs the capture's trigger;
 * a first index into a fresh database (no capture) pays nothing (the notes cost ~5 µs per usage row written).
 */
import type { Database } from 'sql.js';

const installed = new WeakSet<Database>();

function install(db: Database): void {
  if (installed.has(db)) return;
  // INSERT … WHERE NOT EXISTS, not INSERT OR IGNORE: inside an upsert's trigger the outer statement's conflict rule wins
  const note = (row: 'NEW' | 'OLD') =>
    `INSERT INTO temp.status_changed_dims (dim) SELECT ${row}.dim WHERE NOT EXISTS (SELECT 1 FROM temp.status_changed_dims WHERE dim = ${row}.dim);`;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS status_changed_dims (dim INTEGER PRIMARY KEY);
    CREATE TEMP TRIGGER IF NOT EXISTS status_usage_ins AFTER INSERT ON main.usage BEGIN ${note('NEW')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS status_usage_upd AFTER UPDATE ON main.usage BEGIN ${note('OLD')} ${note('NEW')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS status_usage_del AFTER DELETE ON main.usage BEGIN ${note('OLD')} END;`);
  installed.add(db);
}

/** Starts noting (when not yet) and forgets what was noted: the caller reads every fact now. */
export function resetUsageChangeMarks(db: Database): void {
  install(db);
  db.run('DELETE FROM temp.status_changed_dims');
}

/**
 * The dims rows whose usage rows were written since the last reset or take, and forgets them; null when nothing was
 * being noted (no reset on this database yet). Call outside a transaction (the notes of one may still roll back).
 */
export function takeUsageChangeMarks(db: Database): Set<number> | null {
  if (!installed.has(db)) return null;
  const ids = new Set<number>();
  for (const v of db.exec('SELECT dim FROM temp.status_changed_dims')[0]?.values ?? []) ids.add(Number(v[0]));
  if (ids.size) db.run('DELETE FROM temp.status_changed_dims');
  return ids;
}
