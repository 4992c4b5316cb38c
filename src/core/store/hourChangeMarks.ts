/**
 * Which UTC hours of the hourly aggregates changed since the dashboard last read them (query/keptHours.ts): TEMP
 * triggers on `usage_hours` and `usage_acts` note the hour of every row inserted, updated or deleted — by the
 * indexer's flushes, the retention roll-up, a journal replayed into a reader's copy — in `temp.dash_changed_hours`.
 * `usage_acts` has its own triggers because an activity can change with no usage row (and no dims row) touched.
 * Being a table of the same database, the notes commit and roll back with the writes; TEMP objects are not part of
 * the saved file. Installed when the dashboard first keeps the rows of a database (a first index with no dashboard
 * open pays nothing); a flush writes a few dozen hourly rows, each note a primary-key probe and insert.
 */
import type { Database } from 'sql.js';

const TABLES = ['usage_hours', 'usage_acts'] as const;

function install(db: Database): void {
  // INSERT … WHERE NOT EXISTS, not INSERT OR IGNORE: inside an upsert's trigger the outer statement's conflict rule wins
  const note = (row: 'NEW' | 'OLD') =>
    `INSERT INTO temp.dash_changed_hours (hour) SELECT ${row}.hour WHERE NOT EXISTS (SELECT 1 FROM temp.dash_changed_hours WHERE hour = ${row}.hour);`;
  const triggers = TABLES.map((t) => `CREATE TEMP TRIGGER IF NOT EXISTS dash_${t}_ins AFTER INSERT ON main.${t} BEGIN ${note('NEW')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS dash_${t}_upd AFTER UPDATE ON main.${t} BEGIN ${note('OLD')} ${note('NEW')} END;
    CREATE TEMP TRIGGER IF NOT EXISTS dash_${t}_del AFTER DELETE ON main.${t} BEGIN ${note('OLD')} END;`);
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS dash_changed_hours (hour INTEGER PRIMARY KEY); ${triggers.join('\n')}`);
}

/**
 * Starts noting (when not yet: also after a table was dropped and made again, which drops its triggers) and forgets
 * what was noted: the caller reads the rows now.
 */
export function resetHourChangeMarks(db: Database): void {
  install(db);
  db.run('DELETE FROM temp.dash_changed_hours');
}

/**
 * The hours (start ms) whose hourly or activity rows were written since the last reset or take, and forgets them.
 * Call outside a transaction (the notes of one may still roll back), after `resetHourChangeMarks` on this database
 * and with its schema unchanged since (query/keptHours.ts checks `PRAGMA schema_version`).
 */
export function takeHourChangeMarks(db: Database): Set<number> {
  const hours = new Set<number>();
  for (const v of db.exec('SELECT hour FROM temp.dash_changed_hours')[0]?.values ?? []) hours.add(Number(v[0]));
  if (hours.size) db.run('DELETE FROM temp.dash_changed_hours');
  return hours;
}
