import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { DiscoverInput, Discovered, FileInfo, SourceDiscovery } from '../plugin';
import { dirList, expandHome, isDir } from '../walk';

/**
 * Where Qwen Code keeps its sessions (QwenLM/qwen-code):
 * - `packages/core/src/config/storage.ts` (013e660f5799186a369c737aea6b4bcb9ca0ef47) `getRuntimeBaseDir`: runtime data
 *   lives under `QWEN_RUNTIME_DIR`, else the Qwen home: `QWEN_HOME` (the `.qwen` folder itself, relative paths
 *   resolved; `packages/core/src/utils/paths`-mirroring helpers "Priority: QWEN_RUNTIME_DIR env var > QWEN_HOME env var
 *   > ~/.qwen"), else `~/.qwen`. (A `runtimeOutputDir` setting can also move it: give that folder as a dir.)
 * - `getProjectDir`: `<runtime>/projects/<sanitizeCwd(project root)>` (every non-alphanumeric → '-',
 *   `packages/core/src/utils/paths.ts` @ 060227c9d5a2c765ffcf08ddefd8d9a4e3dd33f6); `chatRecordingService.ts`:
 *   `<project dir>/chats/<sessionId>.jsonl`.
 * - Older builds (a fork of Gemini CLI before its `.jsonl`): `<runtime>/tmp/<sha256 of the project root>/chats/`
 *   holding Gemini CLI's legacy `session-*.json` documents (`getProjectTempDir`).
 * - Current builds (QwenLM/qwen-code `packages/core/src/services/sessionService.ts` @ 011133cd6531f0e132eab5df4db5d1d4dfb3abff,
 *   `getArchiveChatsDir`, `SESSION_FILE_PATTERN`): an archived session's log MOVES to `chats/archive/<sessionId>.jsonl`
 *   (unarchiving moves it back); the same folders hold per-session sidecars that are not chat logs —
 *   `<sessionId>.ledger.jsonl` (prompt ledger), `.runtime.json`, `.worktree.json`, `.pr.json`. Listed here: every
 *   `<name>.jsonl` without a further dot in its name, in `chats/` and `chats/archive/` (keys are `<sessionId>:<uuid>`,
 *   so a log seen in both places, before and after a move, counts once), and the legacy `.json` documents likewise.
 *
 * Roots are `projects/` and `tmp/` folders. Explicit dirs may name the Qwen folder (`~/.qwen`) or one of those two.
 * Project key from discovery: the folder name (the parser replaces it with each record's `cwd` when it has one).
 */
const discovery = {
  roots(input: DiscoverInput): Discovered {
    const notes: string[] = [];
    const searched: string[] = [];
    const roots: string[] = [];
    const expand = (p: string) => expandHome(p, input.home);
    const explicit = dirList(input.dirs, undefined);
    if (explicit === null) return { roots, searched, notes };
    const env = (k: string) => {
      const v = input.env[k]?.trim();
      return v ? (isAbsolute(v) || v.startsWith('~') ? expand(v) : resolve(v)) : undefined;
    };
    const bases = explicit && explicit.length > 0 ? explicit.map(expand) : [env('QWEN_RUNTIME_DIR') ?? env('QWEN_HOME') ?? join(input.home, '.qwen')];
    for (const base of bases) {
      const name = basename(base);
      const candidates = (name === 'projects' || name === 'tmp') && isDir(base) ? [base] : [join(base, 'projects'), join(base, 'tmp')];
      searched.push(...candidates);
      const found = candidates.filter(isDir);
      if (found.length === 0 && explicit && explicit.length > 0) notes.push(`Qwen Code: skipped ${base} (no projects/ or tmp/ folder)`);
      for (const f of found) if (!roots.includes(f)) roots.push(f);
    }
    return { roots, searched, notes };
  },

  async list(root: string): Promise<FileInfo[]> {
    const out: FileInfo[] = [];
    for (const project of await names(root, 'dir')) {
      for (const chats of [join(root, project, 'chats'), join(root, project, 'chats', 'archive')]) {
        for (const name of await names(chats, 'file')) {
          const format = formatOf(name);
          if (format) out.push({ path: join(chats, name), project, session: name.replace(/\.jsonl?$/, ''), format });
        }
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },

  isLog: isQwenLog,
};

/** Whether a changed file is a chat log `list` would return (a cheap test of its path): chats/ or chats/archive/. */
export function isQwenLog(path: string): boolean {
  const m = /[\\/]chats[\\/](?:archive[\\/])?([^\\/]+)$/.exec(path);
  return m !== null && formatOf(m[1]) !== undefined;
}

/**
 * A chat log's format from its name: `<stem>.jsonl` or the legacy `<stem>.json`, the stem without a dot; undefined for
 * the sidecars, whose names have a further dot (`<id>.ledger.jsonl`, `<id>.runtime.json`, `.worktree.json`, `.pr.json`).
 */
function formatOf(name: string): 'jsonl' | 'json' | undefined {
  const format = name.endsWith('.jsonl') ? 'jsonl' : name.endsWith('.json') ? 'json' : undefined;
  return format && name.indexOf('.') === name.length - format.length - 1 ? format : undefined;
}

// a variable, not a literal: `isLog` is part of the contract on main (plugin.ts SourceDiscovery.isLog?)
export const qwenDiscovery: SourceDiscovery = discovery;

async function names(dir: string, kind: 'dir' | 'file'): Promise<string[]> {
  try {
    const es = await readdir(dir, { withFileTypes: true });
    return es.filter((e) => (kind === 'dir' ? e.isDirectory() : e.isFile())).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

