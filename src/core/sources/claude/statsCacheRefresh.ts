import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'sql.js';
import { loadStoredStatsCache, putStoredStatsCache, storedStatsCacheStamp, type StoredStatsCache } from '../../store/claudeStatsCaches';
import type { Logger } from '../../types';
import { parseStatsCache } from './statsCache';

/** Claude Code writes it in each config folder (statsCache.ts `getStatsCachePath`: `<config home>/stats-cache.json`). */
export const STATS_CACHE_FILE = 'stats-cache.json';

/** A stats cache read again because its file changed, to be stored in the refresh's transaction. */
export interface StatsCacheRead {
  configDir: string;
  stored: StoredStatsCache;
}

/**
 * The stats caches of the Claude config folders (the parents of the discovered `projects/` roots) whose file changed
 * (size or mtime) since it was last stored: read and parsed now. A file that is missing or cannot be stat'ed is left
 * alone (what was stored stays: history outlives the file). A file that cannot be parsed is stored with its stamp and
 * the reason, keeping the stats last read, so it is read again on its next change only; one warning line.
 */
export function readChangedStatsCaches(db: Database, projectsRoots: readonly string[], logger: Pick<Logger, 'warn' | 'info'>): StatsCacheRead[] {
  const out: StatsCacheRead[] = [];
  for (const configDir of [...new Set(projectsRoots.map((r) => dirname(r)))]) {
    const path = join(configDir, STATS_CACHE_FILE);
    let size: number;
    let mtimeMs: number;
    let text: string;
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      ({ size, mtimeMs } = st);
      const was = storedStatsCacheStamp(db, configDir);
      if (was && was.size === size && was.mtimeMs === mtimeMs) continue;
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // absent or unreadable now: tried again on the next full refresh
    }
    const parsed = parseStatsCache(text);
    if (parsed.ok) {
      if (parsed.stats.malformed) logger.info(`Claude stats cache ${path}: ${parsed.stats.malformed} entries left out (malformed)`);
      out.push({ configDir, stored: { size, mtimeMs, stats: parsed.stats } });
    } else {
      logger.warn(`Claude stats cache ${path} skipped: ${parsed.reason}`);
      out.push({ configDir, stored: { size, mtimeMs, stats: loadStoredStatsCache(db, configDir)?.stats ?? null, skipped: parsed.reason } });
    }
  }
  return out;
}

/** Stores what `readChangedStatsCaches` read (inside the refresh's transaction). */
export function storeStatsCaches(db: Database, reads: readonly StatsCacheRead[]): void {
  for (const r of reads) putStoredStatsCache(db, r.configDir, r.stored);
}
