import { basename, join, sep } from 'node:path';
import type { Discovered, DiscoverInput, FileInfo, SourceDiscovery } from '../plugin';
import { below, dirList, expandHome, isDir, stemOf, walkJsonl } from '../walk';

/**
 * Where Claude Code's transcripts are (formats note A.1): `CLAUDE_CONFIG_DIR` (comma list; each entry a config dir
 * holding `projects/` or a `projects/` dir itself; `~` expanded; entries without `projects/` skipped with a note;
 * duplicates removed) replaces the defaults `$XDG_CONFIG_HOME/claude` (default `~/.config/claude`) and `~/.claude`.
 * Explicit dirs (settings, `--claude-dir`) override the environment. A root is a `projects/` folder.
 */
export const claudeDiscovery: SourceDiscovery = {
  roots(o: DiscoverInput): Discovered {
    const out: Discovered = { roots: [], searched: [], notes: [] };
    const list = dirList(o.dirs, o.env.CLAUDE_CONFIG_DIR);
    if (list === null) return out;
    const xdg = o.env.XDG_CONFIG_HOME?.trim() ? expandHome(o.env.XDG_CONFIG_HOME.trim(), o.home) : join(o.home, '.config');
    for (const entry of list ?? [join(xdg, 'claude'), join(o.home, '.claude')]) {
      const dir = expandHome(entry, o.home);
      const projectsDir = basename(dir) === 'projects' && isDir(dir) ? dir : join(dir, 'projects');
      out.searched.push(projectsDir);
      if (!isDir(projectsDir)) {
        if (list) out.notes.push(`Claude: skipped ${dir} (no projects/ folder)`);
        continue;
      }
      if (!out.roots.includes(projectsDir)) out.roots.push(projectsDir);
    }
    return out;
  },

  /** Project = first folder under projects/; session = file stem, or the parent session for `<session>/subagents/*.jsonl`. */
  async list(projectsDir: string): Promise<FileInfo[]> {
    return (await walkJsonl(projectsDir)).map((path) => {
      const { project, session } = claudeFileKeys(below(projectsDir, path), path);
      return { path, project, session, format: 'jsonl' };
    });
  },
};

/**
 * Project and session of a log at `rel` below projects/ (separated by `sep`): the first folder ('(none)' for a file
 * directly in projects/), and the parent session of `<project>/…/<session>/subagents/<file>` (at least four
 * parts), else the file's stem. Read with indexOf rather than split: no array and no string per folder, for
 * every log file listed.
 */
export function claudeFileKeys(rel: string, path: string): { project: string; session: string } {
  const first = rel.indexOf(sep);
  if (first < 0) return { project: '(none)', session: stemOf(path, '.jsonl') };
  const project = rel.slice(0, first);
  const last = rel.lastIndexOf(sep);
  // the parent folder starts after the separator before the last one (when there are at least three parts)
  const parentStart = last > first ? rel.lastIndexOf(sep, last - 1) + 1 : -1;
  if (parentStart - 1 > first && rel.startsWith('subagents', parentStart) && last - parentStart === 9) {
    // at least four parts: the session folder is the part before subagents/
    return { project, session: rel.slice(rel.lastIndexOf(sep, parentStart - 2) + 1, parentStart - 1) };
  }
  return { project, session: stemOf(path, '.jsonl') };
}
