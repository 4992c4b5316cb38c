import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DiscoverInput, Discovered, FileInfo, SourceDiscovery } from '../plugin';
import { dirList, expandHome, isDir, readDirSorted } from '../walk';

/**
 * Where Gemini CLI keeps its sessions (google-gemini/gemini-cli @ 5411f113cafae26161b4969b0237b8e1e024e2c2):
 * - `packages/core/src/utils/paths.ts` `homedir()`: `GEMINI_CLI_HOME` replaces the user's home directory; the CLI's
 *   folder is `<that home>/.gemini` (`GEMINI_DIR`), `packages/core/src/config/storage.ts` `getGlobalGeminiDir`.
 * - `storage.ts` `getProjectTempDir`: `<.gemini>/tmp/<project id>/`; the project id is a short slug from the
 *   project registry `<.gemini>/projects.json` (`{projects: {<absolute path>: <slug>}}`,
 *   `packages/core/src/config/projectRegistry.ts`), which also writes the project's absolute path to
 *   `<.gemini>/tmp/<slug>/.project_root`. Older builds used `sha256(<absolute path>)` as the folder name
 *   (`storage.ts` `performMigration` moves those folders to the slug).
 * - `chatRecordingService.ts` `initialize`: `<project dir>/chats/session-<time>-<id8>.jsonl` (legacy builds:
 *   `.json`); a subagent's log is `chats/<parent session id>/<session id>.jsonl`.
 *
 * - macOS Seatbelt sandbox (`gemini --sandbox` / `GEMINI_SANDBOX=sandbox-exec`: the CLI runs again inside the sandbox
 *   with `SANDBOX=sandbox-exec`): the profile blocks writes to `~/.gemini`, so `Storage.getGlobalRuntimeDir()` puts the
 *   runtime state — `tmp/` (the sessions), `history/`, `projects.json` — in `<home>/.cache/.gemini` instead
 *   (`packages/core/src/config/storage.ts` `getGlobalRuntimeDir`, `getGlobalTempDir`, in builds after the commit
 *   above; quoted with its lines 86-107 @ d5b3e3accb26000d273abf16e0f1dd83aa5428a9 by a peer's detector). That
 *   environment belongs to the sandboxed process, not to ours, so `<home>/.cache/.gemini/tmp` is a default root
 *   whenever it exists (its sessions have their own ids: nothing is counted twice with `~/.gemini`).
 *
 * Roots are `tmp/` folders. Explicit dirs may name the CLI folder (`~/.gemini`) or its `tmp/` folder.
 * Project key: the project's absolute path when `.project_root` or `projects.json` tells it, else the folder name.
 */
const discovery = {
  roots(input: DiscoverInput): Discovered {
    const notes: string[] = [];
    const searched: string[] = [];
    const roots: string[] = [];
    const expand = (p: string) => expandHome(p, input.home);
    const explicit = dirList(input.dirs, undefined);
    if (explicit === null) return { roots, searched, notes };
    const envHome = input.env.GEMINI_CLI_HOME?.trim();
    const home = envHome ? expand(envHome) : input.home;
    const candidates = explicit && explicit.length > 0 ? explicit.map(expand) : [join(home, '.gemini'), join(home, '.cache', '.gemini')];
    for (const dir of candidates) {
      const tmp = basename(dir) === 'tmp' && isDir(dir) ? dir : join(dir, 'tmp');
      searched.push(tmp);
      if (!isDir(tmp)) {
        if (explicit && explicit.length > 0) notes.push(`Gemini CLI: skipped ${dir} (no tmp/ folder)`);
        continue;
      }
      if (!roots.includes(tmp)) roots.push(tmp);
    }
    return { roots, searched, notes };
  },

  async list(root: string): Promise<FileInfo[]> {
    const paths = await projectPaths(dirname(root));
    const out: FileInfo[] = [];
    for (const projectDir of (await dirs(root)).filter((d) => d !== 'bin')) {
      const dir = join(root, projectDir);
      const project = (await readText(join(dir, '.project_root')))?.trim() || paths.get(projectDir) || projectDir;
      const chats = join(dir, 'chats');
      for (const e of await readDirSorted(chats)) {
        if (e.isFile()) {
          const format = formatOf(e.name, true);
          if (format) out.push({ path: join(chats, e.name), project, session: stemOf(e.name), format });
        } else if (e.isDirectory()) {
          // chats/<parent session id>/<session id>.jsonl: a subagent's log, shown under its parent session
          for (const s of await readDirSorted(join(chats, e.name))) {
            const format = s.isFile() ? formatOf(s.name, false) : undefined;
            if (format === 'jsonl') out.push({ path: join(chats, e.name, s.name), project, session: e.name, format });
          }
        }
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },

  isLog: isGeminiLog,
};

/**
 * Whether a changed file is a session log `list` would return (a cheap test of its path): chats/session-*.json(l),
 * or chats/<parent session>/<session>.jsonl (a subagent's log).
 */
export function isGeminiLog(path: string): boolean {
  return GEMINI_LOG.test(path);
}
const GEMINI_LOG = /[\\/]chats[\\/](?:session-[^\\/]*\.jsonl?|[^\\/]+[\\/][^\\/]+\.jsonl)$/;

// a variable, not a literal: `isLog` is part of the contract on main (plugin.ts SourceDiscovery.isLog?)
export const geminiDiscovery: SourceDiscovery = discovery;

/** 'jsonl' / 'json' for a session log's name (`session-*` in chats/; any name in a subagent folder); else undefined */
function formatOf(name: string, needPrefix: boolean): 'json' | 'jsonl' | undefined {
  if (needPrefix && !name.startsWith('session-')) return undefined;
  if (name.endsWith('.jsonl')) return 'jsonl';
  if (name.endsWith('.json')) return 'json';
  return undefined;
}

function stemOf(name: string): string {
  return name.replace(/\.jsonl?$/, '');
}

/** folder name (slug or legacy sha256 hash) → absolute project path, from `<.gemini>/projects.json` */
async function projectPaths(geminiDir: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const text = await readText(join(geminiDir, 'projects.json'));
  if (!text) return map;
  try {
    const reg = JSON.parse(text) as { projects?: Record<string, unknown> };
    for (const [path, slug] of Object.entries(reg.projects ?? {})) {
      if (typeof slug === 'string') map.set(slug, path);
      // getProjectHash (packages/core/src/utils/paths.ts): sha256 of the project root as given
      map.set(createHash('sha256').update(path).digest('hex'), path);
    }
  } catch {
    // a registry caught mid-write: folder names stand in for paths this time
  }
  return map;
}

async function readText(p: string): Promise<string | undefined> {
  try {
    return await readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}


async function dirs(dir: string): Promise<string[]> {
  return (await readDirSorted(dir)).filter((e) => e.isDirectory()).map((e) => e.name);
}

