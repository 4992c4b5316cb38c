import type { Database } from 'sql.js';
import type { Source } from '../types';
import { FILE_DIRS_JOIN, FILE_PATH } from '../store/fileDirs';
import { strIdOf } from '../store/strs';

/** True when the index has ingested at least one log file (false on a first run: the views show progress). */
export function hasIngestedFiles(db: Database): boolean {
  return Number(db.exec('SELECT EXISTS (SELECT 1 FROM files)')[0]?.values[0]?.[0] ?? 0) === 1;
}

/**
 * The log file of a session among the index's files: `<session>.jsonl` of that source, a present file before a
 * missing one, the shortest path first. Null for a session id that would be a LIKE pattern (`%`, `_`, `\`).
 */
export function findSessionLogPath(db: Database, source: Source, session: string): string | null {
  if (!session || /[%_\\]/.test(session)) return null;
  // `<session>.jsonl` (Claude, Codex, Qwen), or a file in a folder named for it (Cline's tasks/<id>/, Copilot CLI's
  // session-state/<id>/)
  const res = db.exec(`SELECT path FROM (SELECT ${FILE_PATH} path, f.missing FROM ${FILE_DIRS_JOIN} WHERE f.source_id = ${strIdOf('?')})
    WHERE path LIKE ? OR path LIKE ? OR path LIKE ? OR path LIKE ? ORDER BY missing, length(path), path LIMIT 1`,
    [source, `%/${session}.jsonl`, `%\\${session}.jsonl`, `%/${session}/%`, `%\\${session}\\%`]);
  const p = res[0]?.values[0]?.[0];
  return typeof p === 'string' ? p : null;
}

