import type { Database } from 'sql.js';
import type { Source } from '../types';
import { FileKeys } from '../store/fileDirs';
import { strIdOf } from '../store/strs';

/** True when the index has ingested at least one log file (false on a first run: the views show progress). */
export function hasIngestedFiles(db: Database): boolean {
  return Number(db.exec('SELECT EXISTS (SELECT 1 FROM files)')[0]?.values[0]?.[0] ?? 0) === 1;
}

/**
 * The log file of a session among the index's files: `<session>.jsonl` of that source, a present file before a
 * missing one, the shortest path first. Null for a session id holding `%`, `_` or `\` (a LIKE pattern until schema 19).
 */
export function findSessionLogPath(db: Database, source: Source, session: string): string | null {
  if (!session || /[%_\\]/.test(session)) return null;
  // `<session>.jsonl` (Claude, Codex, Qwen), or a file in a folder named for it (Cline's tasks/<id>/, Copilot CLI's
  // session-state/<id>/)
  const keys = new FileKeys(db);
  const found: { path: string; missing: number }[] = [];
  try {
    const res = db.exec(`SELECT dir, name, missing FROM files WHERE source_id = ${strIdOf('?')}`, [source]);
    // as SQL's LIKE compared them before (schema 19): ASCII letters in either case
    const ends = [`/${session}.jsonl`, `\\${session}.jsonl`].map(asciiLower);
    const inside = [`/${session}/`, `\\${session}\\`].map(asciiLower);
    for (const [dir, name, missing] of res[0]?.values ?? []) {
      const path = keys.pathOf(Number(dir), String(name));
      const p = asciiLower(path);
      if (ends.some((e) => p.endsWith(e)) || inside.some((m) => p.includes(m))) found.push({ path, missing: Number(missing) });
    }
  } finally {
    keys.free();
  }
  // a present file before a missing one, the shortest path first (then by path)
  found.sort((a, b) => a.missing - b.missing || [...a.path].length - [...b.path].length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return found[0]?.path ?? null;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

