import { closeSync, type Dirent, openSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DiscoverInput, Discovered, FileInfo, SourceDiscovery } from '../plugin';
import { dirList, expandHome, isDir, isFile } from '../walk';

/**
 * Where GitHub Copilot CLI keeps its sessions.
 *
 * `~/.copilot/session-state/<sessionId>/events.jsonl` (one folder per session); `COPILOT_HOME` moves `~/.copilot`.
 * Older CLI builds wrote one flat `<sessionId>.jsonl` per session, in `session-state/` or `history-session-state/`
 * (Piebald-AI/splitrail src/analyzers/copilot_cli.rs @56e4be4, `COPILOT_CLI_STATE_DIRS` and
 * `is_copilot_cli_session_file`); both layouts are listed, with the same parser.
 *
 * Explicit dirs (settings, `--dir copilot-cli=…`) are a Copilot home (holding `session-state/`) or a
 * `session-state/` / `history-session-state/` folder itself; `none` disables the source.
 *
 * The Copilot home may also hold `session-store.db` (SQLite, WAL mode: `session-store.db-wal`), one row per API
 * request (storeParser.ts). When it does, the home itself is a root too (so its changes are watched), listed as that
 * one file, format `store`; the state folders under it are listed as before.
 */
export const STATE_DIRS = ['session-state', 'history-session-state'];
export const STORE_FILE = 'session-store.db';

export const copilotCliDiscovery: SourceDiscovery = {
  roots(input: DiscoverInput): Discovered {
    const roots: string[] = [];
    const searched: string[] = [];
    const notes: string[] = [];
    const expand = (p: string) => expandHome(p, input.home);
    const explicit = dirList(input.dirs, undefined);
    if (explicit === null) return { roots, searched, notes };
    const envHome = input.env.COPILOT_HOME?.trim();
    const homes = explicit && explicit.length > 0 ? explicit : [envHome ? envHome : join(input.home, '.copilot')];
    const seen = new Set<string>();
    const add = (dir: string) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      roots.push(dir);
    };
    for (const entry of homes) {
      const dir = expand(entry);
      if (STATE_DIRS.includes(basename(dir)) && isDir(dir)) {
        searched.push(dir);
        add(dir);
        continue;
      }
      let found = false;
      for (const name of STATE_DIRS) {
        const stateDir = join(dir, name);
        searched.push(stateDir);
        if (isDir(stateDir)) {
          add(stateDir);
          found = true;
        }
      }
      if (!found && explicit) notes.push(`Copilot CLI: skipped ${dir} (no session-state/ folder)`);
    }
    // the home of each state folder, when it holds the session store
    for (const stateDir of [...roots]) {
      const home = dirname(stateDir);
      if (isFile(join(home, STORE_FILE))) add(home);
    }
    return { roots, searched, notes };
  },

  async list(root: string): Promise<FileInfo[]> {
    if (!STATE_DIRS.includes(basename(root))) {
      const store = join(root, STORE_FILE);
      return isFile(store) ? [{ path: store, project: '(unknown)', session: '', format: 'store' }] : [];
    }
    return listSessionFiles(root);
  },

  isLog(path: string): boolean {
    const name = basename(path);
    if (name === STORE_FILE || name === 'events.jsonl') return true;
    return name.endsWith('.jsonl') && STATE_DIRS.includes(basename(dirname(path)));
  },
};

/** The session logs of one state folder (synchronous: the store parser lists them too), sorted by path. */
export function listSessionFiles(stateDir: string): FileInfo[] {
  const files: FileInfo[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(stateDir, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      const path = join(stateDir, e.name, 'events.jsonl');
      if (isFile(path)) files.push({ path, project: '(unknown)', session: e.name, format: 'events' });
    } else if (e.isFile() && e.name.endsWith('.jsonl')) {
      files.push({ path: join(stateDir, e.name), project: '(unknown)', session: e.name.slice(0, -'.jsonl'.length), format: 'events' });
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The session store of the Copilot home a session log is in, if it has one (`isStore`). `session-state/<id>/events.jsonl`
 * and the flat `<state dir>/<id>.jsonl` both have the home as the parent of their state folder.
 */
export function storeBeside(eventsPath: string): string | undefined {
  const stateDir = basename(eventsPath) === 'events.jsonl' ? dirname(dirname(eventsPath)) : dirname(eventsPath);
  if (!STATE_DIRS.includes(basename(stateDir))) return undefined;
  const store = join(dirname(stateDir), STORE_FILE);
  return isStore(store) ? store : undefined;
}

/**
 * Whether a file is an SQLite database (its 16-byte header), or the main file of one whose pages are all still in its
 * `-wal` (a fresh WAL database). Both parsers ask this same question, so a stray file of that name is never half a
 * store: the events parser counts beside it as if it were not there, and the store parser reads nothing from it.
 */
export function isStore(path: string): boolean {
  if (!isFile(path)) return false;
  return hasSqliteHeader(path) || isFile(`${path}-wal`);
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function hasSqliteHeader(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === SQLITE_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
