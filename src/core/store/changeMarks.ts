/**
 * Which keys of some tables' rows were written since a reader last looked: TEMP triggers on the tables note the key
 * column of every row inserted, updated or deleted — by the indexer's flushes, the retention roll-up, a journal
 * replayed into a reader's copy — in a TEMP table of their own. Being a table of the same database, the notes commit
 * and roll back with the writes; TEMP objects are not part of the saved file (as the change capture's triggers,
 * changeCapture.ts). Installed by a reader's first `reset` on a database, so a database nobody keeps rows of (a first
 * index) pays nothing; a note costs a primary-key probe and insert per row written.
 *
 * Two readers use them: the status summary's kept month (the dims ids of `usage` rows, query/keptStatusFacts.ts) and
 * the dashboard's kept hours (the hours of `usage_hours` and `usage_acts` rows, query/keptHours.ts).
 */
import type { Database } from 'sql.js';

export interface ChangeMarks {
  /**
   * Starts noting (when not yet: also after a table was dropped and made again, which drops its triggers) and forgets
   * what was noted: the caller reads every row now.
   */
  reset(db: Database): void;
  /**
   * The keys written since the last reset or take, and forgets them; null when nothing is being noted (no reset on
   * this database yet). Call outside a transaction (the notes of one may still roll back).
   */
  take(db: Database): Set<number> | null;
}

/** Notes of `column` for writes to `tables` (each has that column), kept in `temp.<name>`. */
export function changeMarks(name: string, tables: readonly string[], column: string): ChangeMarks {
  const installed = new WeakSet<Database>();
  // INSERT … WHERE NOT EXISTS, not INSERT OR IGNORE: inside an upsert's trigger the outer statement's conflict rule wins
  const note = (row: 'NEW' | 'OLD') =>
    `INSERT INTO temp.${name} (k) SELECT ${row}.${column} WHERE NOT EXISTS (SELECT 1 FROM temp.${name} WHERE k = ${row}.${column});`;
  const triggers = tables.map((t) => `CREATE TEMP TRIGGER IF NOT EXISTS ${name}_${t}_ins AFTER INSERT ON main.${t} BEGIN ${note('NEW')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS ${name}_${t}_upd AFTER UPDATE ON main.${t} BEGIN ${note('OLD')} ${note('NEW')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS ${name}_${t}_del AFTER DELETE ON main.${t} BEGIN ${note('OLD')} END;`);
  const install = `CREATE TEMP TABLE IF NOT EXISTS ${name} (k INTEGER PRIMARY KEY); ${triggers.join('\n')}`;
  return {
    reset(db) {
      db.exec(install);
      installed.add(db);
      db.run(`DELETE FROM temp.${name}`);
    },
    take(db) {
      if (!installed.has(db)) return null;
      const keys = new Set<number>();
      for (const v of db.exec(`SELECT k FROM temp.${name}`)[0]?.values ?? []) keys.add(Number(v[0]));
      if (keys.size) db.run(`DELETE FROM temp.${name}`);
      return keys;
    },
  };
}

/** The dims ids of `usage` rows written (the status summary's kept month). */
export const usageDimMarks = changeMarks('status_changed_dims', ['usage'], 'dim');

/**
 * The UTC hours of `usage_hours` and `usage_acts` rows written (the dashboard's kept hours): `usage_acts` has its own
 * triggers because an activity can change with no usage row (and no dims row) touched.
 */
export const hourMarks = changeMarks('dash_changed_hours', ['usage_hours', 'usage_acts'], 'hour');
