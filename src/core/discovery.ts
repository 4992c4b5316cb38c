import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import type { Source } from './types';
import { TimeSlicer } from './store/timeSlice';

/**
 * Where the logs are (formats note A.1, B.1; issue 2 §2).
 *
 * Claude: `CLAUDE_CONFIG_DIR` (comma list; each entry a config dir holding `projects/` or a `projects/` dir itself;
 * `~` expanded; entries without `projects/` skipped with a note; duplicates removed) replaces the defaults
 * `$XDG_CONFIG_HOME/claude` (default `~/.config/claude`) and `~/.claude`.
 * Codex: `CODEX_HOME` (comma list) else `~/.codex`; its `sessions/` and `archived_sessions/`.
 * Explicit `claudeDirs` / `codexDirs` (CLI `--claude-dir`, settings) override the environment; `none` disables a source.
 */
export interface ClaudeRoot {
  /** the `projects/` directory */
  projectsDir: string;
}
export interface CodexRoot {
  home: string;
  /** `<home>/sessions` (or the home itself when it holds rollouts directly); may not exist yet */
  sessionsDir?: string;
  /** `<home>/archived_sessions`; may not exist yet */
  archivedDir?: string;
}
export interface Roots {
  claude: ClaudeRoot[];
  codex: CodexRoot[];
  notes: string[];
  /** every directory looked at (for an empty state that says where logs are expected) */
  searched: { claude: string[]; codex: string[] };
}
export interface DiscoverOptions {
  env: Record<string, string | undefined>;
  home: string;
  /** overrides env; [] or undefined = discovery; ['none'] disables Claude */
  claudeDirs?: readonly string[];
  codexDirs?: readonly string[];
}

export function discoverRoots(opts: DiscoverOptions): Roots {
  const notes: string[] = [];
  const searched = { claude: [] as string[], codex: [] as string[] };
  const expand = (p: string) => resolve(p === '~' ? opts.home : p.startsWith('~/') || p.startsWith('~\\') ? join(opts.home, p.slice(2)) : p);
  const list = (explicit: readonly string[] | undefined, envValue: string | undefined): string[] | undefined => {
    const raw = explicit && explicit.length > 0 ? explicit.flatMap((d) => d.split(',')) : envValue?.trim() ? envValue.split(',') : undefined;
    return raw?.map((s) => s.trim()).filter((s) => s.length > 0);
  };

  const claude: ClaudeRoot[] = [];
  const claudeList = list(opts.claudeDirs, opts.env.CLAUDE_CONFIG_DIR);
  if (!(claudeList?.length === 1 && claudeList[0].toLowerCase() === 'none')) {
    const explicit = claudeList !== undefined;
    const xdg = opts.env.XDG_CONFIG_HOME?.trim() ? expand(opts.env.XDG_CONFIG_HOME.trim()) : join(opts.home, '.config');
    const entries = claudeList ?? [join(xdg, 'claude'), join(opts.home, '.claude')];
    const seen = new Set<string>();
    for (const entry of entries) {
      const dir = expand(entry);
      const projectsDir = basename(dir) === 'projects' && isDir(dir) ? dir : join(dir, 'projects');
      searched.claude.push(projectsDir);
      if (!isDir(projectsDir)) {
        if (explicit) notes.push(`Claude: skipped ${dir} (no projects/ folder)`);
        continue;
      }
      if (seen.has(projectsDir)) continue;
      seen.add(projectsDir);
      claude.push({ projectsDir });
    }
  }

  const codex: CodexRoot[] = [];
  const codexList = list(opts.codexDirs, opts.env.CODEX_HOME);
  if (!(codexList?.length === 1 && codexList[0].toLowerCase() === 'none')) {
    const explicit = codexList !== undefined;
    const seen = new Set<string>();
    for (const entry of codexList ?? [join(opts.home, '.codex')]) {
      const home = expand(entry);
      if (seen.has(home)) continue;
      seen.add(home);
      const sessions = join(home, 'sessions');
      const archived = join(home, 'archived_sessions');
      searched.codex.push(sessions, archived);
      // Both subfolders are kept even if one does not exist yet (archiving creates archived_sessions/ later).
      let root: CodexRoot = { home, sessionsDir: sessions, archivedDir: archived };
      if (!isDir(sessions) && !isDir(archived)) {
        // a folder of rollouts given directly (e.g. --codex-dir ~/.codex/sessions)
        if (explicit && isDir(home)) root = { home, sessionsDir: home };
        else {
          if (explicit) notes.push(`Codex: skipped ${home} (no sessions/ or archived_sessions/ folder)`);
          continue;
        }
      }
      codex.push(root);
    }
  }
  return { claude, codex, notes, searched };
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** One log file found under a root. */
export interface LogFile {
  path: string;
  source: Source;
  /** Claude: first folder under projects/; Codex: '' (the project comes from session_meta.cwd) */
  project: string;
  /** Claude: file stem, or the parent session folder for `<session>/subagents/*.jsonl`; Codex: rollout stem */
  session: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/** Every `*.jsonl` under the roots, recursively (async fs). Unreadable folders are skipped. */
export async function listLogFiles(roots: Pick<Roots, 'claude' | 'codex'>): Promise<LogFile[]> {
  const claudeWalks = roots.claude.map((r) => walkJsonl(r.projectsDir));
  const codexWalks = roots.codex.map((r) => Promise.all([r.sessionsDir ? walkJsonl(r.sessionsDir) : Promise.resolve<string[]>([]), r.archivedDir ? walkJsonl(r.archivedDir) : Promise.resolve<string[]>([])]));
  const todo: [string, Source, string, string][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < roots.claude.length; i++) {
    const r = roots.claude[i];
    for (const path of await claudeWalks[i]) {
      if (seen.has(path)) continue;
      seen.add(path);
      const parts = below(r.projectsDir, path).split(sep);
      const project = parts.length > 1 ? parts[0] : '(none)';
      const parent = parts.length >= 3 ? parts[parts.length - 2] : '';
      const session = parent === 'subagents' && parts.length >= 4 ? parts[parts.length - 3] : stem(path);
      todo.push([path, 'claude', project, session]);
    }
  }
  for (let i = 0; i < roots.codex.length; i++) {
    const r = roots.codex[i];
    const [inSessionsDir, inArchivedDir] = await codexWalks[i];
    const inSessions = new Set<string>();
    for (const path of inSessionsDir) inSessions.add(below(r.sessionsDir!, path));
    for (const path of inArchivedDir) {
      // the same relative path in sessions/ and archived_sessions/: the sessions/ copy wins
      if (inSessions.has(below(r.archivedDir!, path))) continue;
      inSessionsDir.push(path);
    }
    for (const path of inSessionsDir) {
      if (seen.has(path)) continue;
      seen.add(path);
      todo.push([path, 'codex', '', stem(path)]);
    }
  }
  return statFiles(todo);
}

/** The part of `path` below `dir`; `path` was built by walkJsonl from `dir` (so no path normalisation is needed). */
function below(dir: string, path: string): string {
  return path.slice(dir.endsWith(sep) ? dir.length : dir.length + 1);
}

function stem(path: string): string {
  return basename(path).replace(/\.jsonl$/i, '');
}

/**
 * File system access below is synchronous in small slices with an event-loop turn between slices: a thread-pool
 * round trip per stat/readdir costs more than the call itself (a warm refresh is mostly these calls), and the
 * host thread is never blocked for more than one slice (TimeSlicer: ~10 ms, however slow the file system is).
 */

function statFile(path: string, source: Source, project: string, session: string): LogFile | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    return { path, source, project, session, size: st.size, mtimeMs: Math.floor(st.mtimeMs), dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

async function statFiles(todo: [string, Source, string, string][]): Promise<LogFile[]> {
  const out: LogFile[] = [];
  const slicer = new TimeSlicer();
  for (let i = 0; i < todo.length; i++) {
    const turn = slicer.tick();
    if (turn) await turn;
    const [p, s, pr, se] = todo[i];
    const f = statFile(p, s, pr, se);
    if (f) out.push(f);
  }
  return out;
}

/**
 * Every *.jsonl under dir (unreadable folders are skipped). A symbolic link to a folder (a project moved to another
 * disk and linked back) is followed unless it leads back into the root or into a folder already followed.
 */
async function walkJsonl(dir: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  const followed: string[] = [];
  const slicer = new TimeSlicer();
  while (stack.length > 0) {
    const turn = slicer.tick();
    if (turn) await turn;
    const d = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    // which of two links to one folder is followed must not depend on the file system's listing order
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // names from readdir hold no separator and are never '.' or '..': plain concatenation keeps the path normal
    const prefix = d.endsWith(sep) ? d : d + sep;
    for (const e of entries) {
      const p = prefix + e.name;
      if (e.isDirectory()) stack.push(p);
      else if ((e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.jsonl')) out.push(p);
      else if (e.isSymbolicLink() && isNewLinkedDir(p, dir, followed)) stack.push(p);
    }
  }
  return out.sort();
}

/**
 * Whether the link at `p` leads to a folder to walk: one outside the root and outside every folder already followed
 * (`followed` holds real paths, the root's first), so no file is listed twice and a link cycle ends.
 */
function isNewLinkedDir(p: string, root: string, followed: string[]): boolean {
  try {
    if (!statSync(p).isDirectory()) return false;
    if (followed.length === 0) followed.push(realpathSync(root));
    const real = realpathSync(p);
    if (followed.some((f) => real === f || real.startsWith(f.endsWith(sep) ? f : f + sep))) return false;
    followed.push(real);
    return true;
  } catch {
    return false; // dangling or unreadable link
  }
}
