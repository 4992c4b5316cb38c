import type { Database } from 'sql.js';

/**
 * Sessions whose usage is not on disk (a Copilot CLI session that ended without writing its usage): "usage unknown",
 * never zero. Kept per file in one `meta` row per source (`unknownUsage:<source>`: { file hash: sessions }), so the
 * status summary after each change reads a row per source instead of every file's state, and each source's applier
 * writes only its own row.
 */
const PREFIX = 'unknownUsage:';

type Files = Record<string, number>;

function parse(v: unknown): Files {
  try {
    const o = typeof v === 'string' ? JSON.parse(v) : {};
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Files) : {};
  } catch {
    return {};
  }
}

/**
 * One source's per-file counts during a refresh: read once when first noted, written once at `save()` when one
 * changed (a first index applies thousands of files: a `meta` read each would parse the whole map every time).
 */
export class UnknownUsageCounts {
  private files: Files | undefined;
  private changed = false;

  constructor(private readonly db: Database, private readonly source: string) {}

  /** How many sessions of one file have their usage unknown now (0 = none). */
  note(file: number, sessions: number): void {
    this.files ??= parse(this.db.exec('SELECT value FROM meta WHERE key = ?', [PREFIX + this.source])[0]?.values[0]?.[0]);
    const files = this.files;
    if ((files[file] ?? 0) === sessions) return;
    if (sessions > 0) files[file] = sessions;
    else delete files[file];
    this.changed = true;
  }

  save(): void {
    if (!this.changed || !this.files) return;
    this.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [PREFIX + this.source, JSON.stringify(this.files)]);
    this.changed = false;
  }
}

/** Sessions with usage unknown, per source (sources with none left out). */
export function unknownUsageSessions(db: Database): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of db.exec('SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?', [PREFIX.length, PREFIX])[0]?.values ?? []) {
    const n = Object.values(parse(value)).reduce((a, b) => a + (Number(b) || 0), 0);
    if (n > 0) out[String(key).slice(PREFIX.length)] = n;
  }
  return out;
}
