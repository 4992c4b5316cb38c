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
      const parts = below(projectsDir, path).split(sep);
      const project = parts.length > 1 ? parts[0] : '(none)';
      const parent = parts.length >= 3 ? parts[parts.length - 2] : '';
      const session = parent === 'subagents' && parts.length >= 4 ? parts[parts.length - 3] : stemOf(path, '.jsonl');
      return { path, project, session, format: 'jsonl' };
    });
  },
};
