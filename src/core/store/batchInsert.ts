import type { Database, SqlValue } from 'sql.js';
import type { TimeSlicer } from './timeSlice';

/**
 * Multi-row INSERT: `${head} VALUES (?, …), (?, …) … ${tail}` over a flat value list with `cols` values per row.
 * One statement run per up to ROWS_PER_STATEMENT rows instead of one per row (each run crosses into wasm).
 */
const MAX_VARS = 900;

export function insertRows(db: Database, head: string, cols: number, values: SqlValue[], tail = ''): void {
  const it = insertRowsSteps(db, head, cols, values, tail);
  while (!it.next().done);
}

/** The same, giving the event loop a turn (slicer) between statements. */
export async function insertRowsSliced(db: Database, head: string, cols: number, values: SqlValue[], slicer: TimeSlicer, tail = ''): Promise<void> {
  const it = insertRowsSteps(db, head, cols, values, tail);
  while (!it.next().done) {
    const turn = slicer.tick();
    if (turn) await turn;
  }
}

/** One multi-row statement per step; the prepared statement is freed when the generator ends or is abandoned. */
function* insertRowsSteps(db: Database, head: string, cols: number, values: SqlValue[], tail: string): Generator<void> {
  if (values.length === 0) return;
  const perStmt = Math.max(1, Math.floor(MAX_VARS / cols));
  const rowSql = `(${new Array(cols).fill('?').join(', ')})`;
  const sqlFor = (rows: number) => `${head} VALUES ${new Array(rows).fill(rowSql).join(', ')} ${tail}`;
  const total = values.length / cols;
  const full = Math.floor(total / perStmt);
  if (full > 0) {
    const stmt = db.prepare(sqlFor(perStmt));
    try {
      for (let i = 0; i < full; i++) {
        stmt.run(values.slice(i * perStmt * cols, (i + 1) * perStmt * cols));
        yield;
      }
    } finally {
      stmt.free();
    }
  }
  const rest = total - full * perStmt;
  if (rest > 0) db.run(sqlFor(rest), values.slice(full * perStmt * cols));
}
