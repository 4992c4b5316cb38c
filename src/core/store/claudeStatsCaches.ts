import type { Database } from 'sql.js';
import type { ClaudeStatsCache } from '../sources/claude/statsCache';

/**
 * Claude Code's stats caches as last read (sources/claude/statsCache.ts), one `meta` row per Claude config folder:
 * key `claudeStatsCache:<config folder path>`, value the JSON of `StoredStatsCache`. No table of their own: the
 * schema must stay on the first page of the database file (store/schema.ts).
 */
export const STATS_CACHE_META_PREFIX = 'claudeStatsCache:';

export interface StoredStatsCache {
  /** size and mtime (ms) of the file when last read: it is read again only when either changes */
  size: number;
  mtimeMs: number;
  /** the stats of the last read that succeeded (kept when a later read is skipped), null if none has */
  stats: ClaudeStatsCache | null;
  /** why the last read was skipped (one line); absent when it was read */
  skipped?: string;
}

const keyOf = (configDir: string) => STATS_CACHE_META_PREFIX + configDir;

/** The size and mtime stored for a config folder's stats cache (read without parsing the stored stats). */
export function storedStatsCacheStamp(db: Database, configDir: string): { size: number; mtimeMs: number } | undefined {
  const row = db.exec("SELECT json_extract(value, '$.size'), json_extract(value, '$.mtimeMs') FROM meta WHERE key = ?", [keyOf(configDir)])[0]?.values[0];
  if (!row) return undefined;
  return { size: Number(row[0]), mtimeMs: Number(row[1]) };
}

function parseStored(value: unknown): StoredStatsCache | undefined {
  try {
    const v = typeof value === 'string' ? JSON.parse(value) : undefined;
    return v && typeof v === 'object' && typeof v.size === 'number' && typeof v.mtimeMs === 'number' ? (v as StoredStatsCache) : undefined;
  } catch {
    return undefined;
  }
}

export function loadStoredStatsCache(db: Database, configDir: string): StoredStatsCache | undefined {
  return parseStored(db.exec('SELECT value FROM meta WHERE key = ?', [keyOf(configDir)])[0]?.values[0]?.[0]);
}

export function putStoredStatsCache(db: Database, configDir: string, s: StoredStatsCache): void {
  db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [keyOf(configDir), JSON.stringify(s)]);
}

/** Every stored stats cache, by config folder path (sorted). */
export function loadAllStoredStatsCaches(db: Database): { configDir: string; stored: StoredStatsCache }[] {
  const rows = db.exec('SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key', [STATS_CACHE_META_PREFIX.length, STATS_CACHE_META_PREFIX])[0]?.values ?? [];
  const out: { configDir: string; stored: StoredStatsCache }[] = [];
  for (const [key, value] of rows) {
    const stored = parseStored(value);
    if (stored) out.push({ configDir: String(key).slice(STATS_CACHE_META_PREFIX.length), stored });
  }
  return out;
}

/** A cheap fingerprint of the stored stats caches (their keys and lengths): it changes when a refresh stores a new read. */
export function statsCachesSignature(db: Database): string {
  const v = db.exec('SELECT group_concat(key || length(value), char(0)) FROM meta WHERE substr(key, 1, ?) = ?', [STATS_CACHE_META_PREFIX.length, STATS_CACHE_META_PREFIX])[0]?.values[0]?.[0];
  return typeof v === 'string' ? v : '';
}
