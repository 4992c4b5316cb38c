import { join } from 'node:path';
import type { Discovered, DiscoverInput, FileInfo, SourceDiscovery } from '../plugin';
import { below, dirList, expandHome, isDir, isJsonl, stemOf, walkJsonl } from '../walk';

/**
 * Where Codex's rollouts are (formats note B.1): `CODEX_HOME` (comma list) else `~/.codex`; its `sessions/` and
 * `archived_sessions/`. Explicit dirs (settings, `--codex-dir`) override the environment; an explicit folder of
 * rollouts (e.g. `~/.codex/sessions`) is accepted as it is. A root is a Codex home, or such a folder.
 */
export const codexDiscovery: SourceDiscovery = {
  roots(o: DiscoverInput): Discovered {
    const out: Discovered = { roots: [], searched: [], notes: [] };
    const list = dirList(o.dirs, o.env.CODEX_HOME);
    if (list === null) return out;
    for (const entry of list ?? [join(o.home, '.codex')]) {
      const home = expandHome(entry, o.home);
      if (out.roots.includes(home)) continue;
      const sessions = join(home, 'sessions');
      const archived = join(home, 'archived_sessions');
      out.searched.push(sessions, archived);
      // both subfolders are listed even if one does not exist yet (archiving creates archived_sessions/ later)
      if (isDir(sessions) || isDir(archived) || (list && isDir(home))) out.roots.push(home);
      else if (list) out.notes.push(`Codex: skipped ${home} (no sessions/ or archived_sessions/ folder)`);
    }
    return out;
  },

  /**
   * The rollouts of `sessions/` and `archived_sessions/` (the same relative path in both: the `sessions/` copy wins),
   * or, for a folder that has neither, the rollouts in it. The project comes from session_meta.cwd (''), the
   * session is the rollout's stem.
   */
  async list(home: string): Promise<FileInfo[]> {
    const sessionsDir = join(home, 'sessions');
    const archivedDir = join(home, 'archived_sessions');
    let paths: string[];
    if (!isDir(sessionsDir) && !isDir(archivedDir)) paths = await walkJsonl(home);
    else {
      const [inSessions, inArchived] = await Promise.all([walkJsonl(sessionsDir), walkJsonl(archivedDir)]);
      const relative = new Set(inSessions.map((p) => below(sessionsDir, p)));
      paths = [...inSessions, ...inArchived.filter((p) => !relative.has(below(archivedDir, p)))];
    }
    return paths.map((path) => ({ path, project: '', session: stemOf(path, '.jsonl'), format: 'jsonl' }));
  },
};

/** A Codex home's sessions/ and archived_sessions/ (its other files, e.g. history.jsonl, are not rollouts), or a folder of rollouts. */
export function codexWatch(root: string): { dirs: string[]; isLog(path: string): boolean } {
  const dirs = [join(root, 'sessions'), join(root, 'archived_sessions')];
  return { dirs: dirs.some(isDir) ? dirs : [root], isLog: isJsonl };
}
