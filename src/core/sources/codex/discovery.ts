import { join } from 'node:path';
import type { Discovered, DiscoverInput, FileInfo, SourceDiscovery } from '../plugin';
import { below, dirList, expandHome, isDir, isJsonl, stemOf, walkFiles } from '../walk';

/**
 * Codex compresses a rollout unchanged for 7 days into `<name>.jsonl.zst` and deletes the plain file (openai/codex
 * codex-rs/rollout/src/compression.rs at 3846901e: `MIN_ROLLOUT_AGE` 7 days, zstd level 3; `archived_sessions/`
 * there, `sessions/` too in an earlier version of the worker); resuming it writes the plain file back. Such a file is
 * of format `jsonl.zst` (read whole, sources/codex/index.ts); one whose plain sibling exists is skipped (the
 * compression worker's own rule, `should_skip_compressed_sibling`).
 */
export const CODEX_ZST = 'jsonl.zst';
const ZST_SUFFIX = '.jsonl.zst';

/** A Codex log file's name: a rollout, plain or compressed. */
export function isCodexLog(name: string): boolean {
  return isJsonl(name) || isCompressed(name);
}

function isCompressed(name: string): boolean {
  return name.endsWith(ZST_SUFFIX) || name.toLowerCase().endsWith(ZST_SUFFIX);
}

/** The files of a folder tree: plain rollouts, and compressed ones without a plain sibling. */
async function walkRollouts(dir: string): Promise<string[]> {
  const all = await walkFiles(dir, isCodexLog);
  const plain = new Set(all.filter((p) => !isCompressed(p)));
  return all.filter((p) => !isCompressed(p) || !plain.has(plainPath(p)));
}

/** The plain `.jsonl` path of a rollout path (a compressed one without its `.zst`). */
function plainPath(p: string): string {
  return isCompressed(p) ? p.slice(0, -'.zst'.length) : p;
}

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
   * The rollouts of `sessions/` and `archived_sessions/` (the same relative path in both, plain or compressed: the
   * `sessions/` copy wins), or, for a folder that has neither, the rollouts in it. The project comes from session_meta.cwd (''), the
   * session is the rollout's stem.
   */
  async list(home: string): Promise<FileInfo[]> {
    const sessionsDir = join(home, 'sessions');
    const archivedDir = join(home, 'archived_sessions');
    let paths: string[];
    if (!isDir(sessionsDir) && !isDir(archivedDir)) paths = await walkRollouts(home);
    else {
      const [inSessions, inArchived] = await Promise.all([walkRollouts(sessionsDir), walkRollouts(archivedDir)]);
      const relative = new Set(inSessions.map((p) => plainPath(below(sessionsDir, p))));
      paths = [...inSessions, ...inArchived.filter((p) => !relative.has(plainPath(below(archivedDir, p))))];
    }
    return paths.map((path) =>
      isCompressed(path) ? { path, project: '', session: stemOf(path, ZST_SUFFIX), format: CODEX_ZST } : { path, project: '', session: stemOf(path, '.jsonl'), format: 'jsonl' },
    );
  },
};

/** A Codex home's sessions/ and archived_sessions/ (its other files, e.g. history.jsonl, are not rollouts), or a folder of rollouts. */
export function codexWatch(root: string): { dirs: string[]; isLog(path: string): boolean } {
  const dirs = [join(root, 'sessions'), join(root, 'archived_sessions')];
  return { dirs: dirs.some(isDir) ? dirs : [root], isLog: isCodexLog };
}
