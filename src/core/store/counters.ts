import type { Database } from 'sql.js';

/** Counters kept in the `meta` table (lifetime totals of the index). */
export interface Counters {
  malformedLines: number;
  duplicateLines: number;
  codexFallbackModelEvents: number;
}

const KEYS: readonly (keyof Counters)[] = ['malformedLines', 'duplicateLines', 'codexFallbackModelEvents'];

export function readCounters(db: Database): Counters {
  const c: Counters = { malformedLines: 0, duplicateLines: 0, codexFallbackModelEvents: 0 };
  const rows = db.exec(`SELECT key, value FROM meta WHERE key IN (${KEYS.map(() => '?').join(',')})`, KEYS as string[]);
  for (const [k, v] of rows[0]?.values ?? []) {
    const n = Number(v);
    if (Number.isFinite(n)) c[k as keyof Counters] = n;
  }
  return c;
}

export function addCounters(db: Database, delta: Counters): void {
  const cur = readCounters(db);
  const stmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  try {
    for (const k of KEYS) if (delta[k] !== 0) stmt.run([k, String(cur[k] + delta[k])]);
  } finally {
    stmt.free();
  }
}
