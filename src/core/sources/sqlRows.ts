import type { Database, SqlValue } from 'sql.js';

/** Every row of a read-only query on an agent's database (the database parsers' one way to read it). */
export function sqlRows(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const result: SqlValue[][] = [];
    while (stmt.step()) result.push(stmt.get());
    return result;
  } finally {
    stmt.free();
  }
}
