import type { Database } from 'sql.js';

/**
 * Runs `fn` in a savepoint named `name`: released when it returns, rolled back (and released) when it throws, the
 * error passed on. Inside an open transaction it commits or rolls back with it; outside it is its own transaction.
 */
export function inSavepoint<T>(db: Database, name: string, fn: () => T): T {
  db.run(`SAVEPOINT ${name}`);
  try {
    const out = fn();
    db.run(`RELEASE ${name}`);
    return out;
  } catch (e) {
    db.run(`ROLLBACK TO ${name}`);
    db.run(`RELEASE ${name}`);
    throw e;
  }
}
