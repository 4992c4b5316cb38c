import type { Database } from 'sql.js';

/** Every row of every table of `main`, in key order: two databases with the same dump hold the same index. */
export function dump(db: Database): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  const tables = db.exec("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")[0].values.map((r) => String(r[0]));
  for (const t of tables) {
    const cols = db.exec(`PRAGMA main.table_info("${t}")`)[0].values.length;
    out[t] = db.exec(`SELECT * FROM main."${t}" ORDER BY ${Array.from({ length: cols }, (_, i) => i + 1).join(', ')}`)[0]?.values ?? [];
  }
  return out;
}
