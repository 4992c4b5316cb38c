import type { Database } from 'sql.js';
import { inSavepoint } from './savepoint';

/**
 * What the team push (app/team/push.ts) must send again, kept in `meta` rows only (no tables: the schema stays on the
 * database's first page):
 * - `teamDirtyFrom`: the oldest bucket any usage write touched since the last push took it — lowered by
 *   `markTeamDirty`, called by the usage write (store/usageDeltas.ts) in its transaction, as the Claude blocks'
 *   watermark is; and by `lowerTeamDirty` in the same flush to the bucket of a call whose activity moved without
 *   its usage row changing (a later copy of a Claude call naming a tool: the push's activity hours change).
 * - `teamPush:<target>` per target (database identity, member, machine): JSON `{ dirtyFrom, lastPushMs }` — the
 *   oldest bucket still to send there (null: nothing beyond the replayed last days) and its last successful push.
 *   Absent: never pushed there, the whole history is sent.
 * Taking the global watermark hands it to every known target at once (`takeTeamDirty`), so two targets (a second
 * database, a changed member name) each still get every change.
 */
export const TEAM_DIRTY_KEY = 'teamDirtyFrom';
const TARGET_PREFIX = 'teamPush:';

export interface TeamPushState {
  /** oldest bucket still to push; null = nothing but the replayed last days */
  dirtyFrom: number | null;
  /** epoch ms of the last successful push */
  lastPushMs: number;
}

/** Lowers `teamDirtyFrom` to the oldest bucket among the rows staged in `stageTable` (column `bucket`). */
export function markTeamDirty(db: Database, stageTable: string): void {
  db.run(
    `INSERT INTO meta (key, value)
    SELECT '${TEAM_DIRTY_KEY}', m FROM (SELECT min(bucket) AS m FROM ${stageTable}) WHERE m IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET value = min(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
  );
}

/** Lowers `teamDirtyFrom` to `bucketMs`. */
export function lowerTeamDirty(db: Database, bucketMs: number): void {
  db.run(
    `INSERT INTO meta (key, value) VALUES ('${TEAM_DIRTY_KEY}', ?)
    ON CONFLICT (key) DO UPDATE SET value = min(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    [bucketMs],
  );
}

export function readTeamPushState(db: Database, target: string): TeamPushState | null {
  const v = db.exec('SELECT value FROM meta WHERE key = ?', [TARGET_PREFIX + target])[0]?.values[0]?.[0];
  if (v === undefined || v === null) return null;
  try {
    const o = JSON.parse(String(v));
    const dirtyFrom = o.dirtyFrom === null ? null : Number(o.dirtyFrom);
    if (dirtyFrom !== null && !Number.isFinite(dirtyFrom)) return null;
    return { dirtyFrom, lastPushMs: Number(o.lastPushMs) || 0 };
  } catch {
    return null; // unreadable: push everything again (harmless: a push replaces)
  }
}

export function writeTeamPushState(db: Database, target: string, s: TeamPushState): void {
  db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [TARGET_PREFIX + target, JSON.stringify(s)]);
}

/**
 * Moves `teamDirtyFrom` into every known target's state (the lower of both) and clears it, in one transaction.
 * Call it right before reading the rows to push (same event-loop turn): a usage write after it lowers
 * `teamDirtyFrom` again for the next push.
 */
export function takeTeamDirty(db: Database): void {
  const v = db.exec('SELECT value FROM meta WHERE key = ?', [TEAM_DIRTY_KEY])[0]?.values[0]?.[0];
  if (v === undefined || v === null) return;
  const dirty = Number(v);
  inSavepoint(db, 'team_dirty', () => {
    const rows = db.exec(`SELECT key FROM meta WHERE substr(key, 1, ${TARGET_PREFIX.length}) = '${TARGET_PREFIX}'`)[0]?.values ?? [];
    for (const [key] of rows) {
      const target = String(key).slice(TARGET_PREFIX.length);
      const s = readTeamPushState(db, target);
      if (!s) continue;
      const from = Number.isFinite(dirty) ? dirty : Number.MIN_SAFE_INTEGER;
      writeTeamPushState(db, target, { ...s, dirtyFrom: s.dirtyFrom === null ? from : Math.min(s.dirtyFrom, from) });
    }
    db.run('DELETE FROM meta WHERE key = ?', [TEAM_DIRTY_KEY]);
  });
}
