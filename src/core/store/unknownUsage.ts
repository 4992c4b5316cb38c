import type { Database } from 'sql.js';

/**
 * Sessions whose usage is not on disk (a Copilot CLI session that ended without writing its usage): "usage unknown",
 * never zero. Kept per source and file in one `meta` row (`unknownUsage`: { source: { file hash: sessions } }), so the
 * status summary after each change reads one row instead of every file's state.
 */
const KEY = 'unknownUsage';

type Counts = Record<string, Record<string, number>>;

function read(db: Database): Counts {
  const v = db.exec('SELECT value FROM meta WHERE key = ?', [KEY])[0]?.values[0]?.[0];
  try {
    const o = typeof v === 'string' ? JSON.parse(v) : {};
    return o && typeof o === 'object' ? (o as Counts) : {};
  } catch {
    return {};
  }
}

/** Records how many sessions of one file have their usage unknown now (0 = none); writes only on a change. */
export function noteUnknownUsage(db: Database, source: string, file: number, sessions: number): void {
  const all = read(db);
  const mine = all[source] ?? {};
  if ((mine[file] ?? 0) === sessions) return;
  if (sessions > 0) mine[file] = sessions;
  else delete mine[file];
  if (Object.keys(mine).length) all[source] = mine;
  else delete all[source];
  db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [KEY, JSON.stringify(all)]);
}

/** Sessions with usage unknown, per source (sources with none left out). */
export function unknownUsageSessions(db: Database): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [source, files] of Object.entries(read(db))) {
    const n = Object.values(files).reduce((a, b) => a + (Number(b) || 0), 0);
    if (n > 0) out[source] = n;
  }
  return out;
}
