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

/** `<sep>subagents<sep>` in a path below projects/ */
const SUBAGENTS = `${sep}subagents${sep}`;

/**
 * Project and session of a log at `rel` below projects/ (separated by `sep`): the first folder ('(none)' for a file
 * directly in projects/), and for a subagent's log the session folder before its `subagents/` folder, else the file's
 * stem. Claude Code writes a subagent's transcript at `<project>/<session>/subagents/[<subdir>/]agent-<id>.jsonl`
 * (2.1.268 and 2.1.337: `cy(t)` joins the session's `subagents` folder, the agent's transcript subdir if it has one,
 * and `agent-${t}.jsonl`; a Workflow run's agents have the subdir `workflows/<runId>`: `bre(r)` =
 * `…,"subagents","workflows",r`). So the last `subagents` folder with a session folder before it decides, however deep
 * the file lies below it. Read with indexOf rather than split: no array and no string per folder, for every log
 * file listed.
 */
export function claudeFileKeys(rel: string, path: string): { project: string; session: string } {
  const first = rel.indexOf(sep);
  if (first < 0) return { project: '(none)', session: stemOf(path, '.jsonl') };
  const project = rel.slice(0, first);
  // the last `/subagents/` after the project's own folder (a session folder between them)
  const at = rel.lastIndexOf(SUBAGENTS);
  if (at > first) return { project, session: rel.slice(rel.lastIndexOf(sep, at - 1) + 1, at) };
  return { project, session: stemOf(path, '.jsonl') };
}
