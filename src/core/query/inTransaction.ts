import type { Database } from 'sql.js';

/**
 * Whether a transaction is open on `db`, e.g. a refresh's, whose batches are read before its COMMIT and may still
 * roll back. sql.js does not expose sqlite3_get_autocommit; BEGIN fails inside a transaction, and otherwise opens
 * one that is closed at once (nothing written).
 */
export function inTransaction(db: Database): boolean {
  try {
    db.run('BEGIN');
  } catch {
    return true;
  }
  db.run('COMMIT');
  return false;
}
