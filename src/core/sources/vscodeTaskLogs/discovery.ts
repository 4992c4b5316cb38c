import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DiscoverInput, Discovered, FileInfo, SourceDiscovery } from '../plugin';
import { isDir, readDirSorted } from '../walk';
import type { ClineFamily } from './family';

/**
 * Where Cline, Roo Code and Kilo Code keep their tasks: `<storage>/tasks/<taskId>/ui_messages.json`, where
 * `<storage>` is the extension's VS Code `globalStorageUri` — `<user-data>/User/globalStorage/<extension id>`
 * (cline/cline apps/vscode/src/core/storage/disk.ts `ensureTaskDirectoryExists` → HostProvider.globalStorageFsPath =
 * context.globalStorageUri.fsPath, extension.ts @ b2b29678a2aa0500371faf418a7ad49a175b7af3).
 *
 * Every root is a `tasks/` folder. In order:
 *  1. explicit `dirs` (settings / `--dir <id>=…`; ['none'] disables), each one of: a `tasks/` folder; a folder
 *     holding `tasks/` (the extension's globalStorage folder, or Roo's / Kilo's custom storage path); a VS Code
 *     user-data folder (holding `User/globalStorage/<id>/tasks`); a remote server folder (`~/.vscode-server`, holding
 *     `data/User/…`).
 *  2. otherwise: the running editor's own globalStorage (`hostGlobalStorage`'s parent holds the other extensions'
 *     folders: right for the running editor, profile and remote), then the user-data folders of VS Code, Insiders,
 *     Code - OSS, VSCodium, Cursor, Windsurf and the forks Trae, Kiro and Antigravity (they install these extensions
 *     from Open VSX; user-data folder names as their own tools and peers use them) under the platform's config folder (Linux `$XDG_CONFIG_HOME` or
 *     `~/.config`, macOS `~/Library/Application Support`, Windows `%APPDATA%`; Linux Flatpak VS Code and VSCodium
 *     under `~/.var/app/<app id>/config`), then remote servers (`~/.vscode-server/data`,
 *     `~/.vscode-server-insiders/data`, `~/.cursor-server/data`, `~/.windsurf-server/data`).
 *     Cline only: also the Cline data folder `~/.cline/data` (`CLINE_DATA_DIR`, else `CLINE_DIR`/data; the Cline
 *     CLI / standalone host writes the same task layout there: cline/cline apps/vscode/src/shared/storage/
 *     storage-context.ts `resolveDataDirFromEnv` and sdk/legacy-state-reader.ts `taskDirPath` @ 21cb8d25).
 *     Roo only: also the Roo Code CLI's `~/.vscode-mock/global-storage/tasks` — the CLI runs the extension on a VS Code
 *     shim whose globalStorage is `<home>/.vscode-mock/global-storage`, not namespaced by extension id
 *     (RooCodeInc/Roo-Code apps/cli/src/lib/task-history/index.ts `DEFAULT_CLI_TASK_STORAGE_PATH`,
 *     packages/vscode-shim/src/context/ExtensionContext.ts @ cb836567180a3ff1da6d082f3178b90c3bd22a70).
 *
 * Moved storage: Roo Code's setting `roo-cline.customStoragePath` puts `tasks/` under the given folder
 * (RooCodeInc/Roo-Code src/utils/storage.ts `getStorageBasePath` @ cb836567180a3ff1da6d082f3178b90c3bd22a70); Kilo
 * Code inherits it as `kilo-code.customStoragePath`. It lives in the editor's settings, which a source does not read:
 * give that folder as a directory of the source. Cline has no such setting.
 */
export const USER_DATA_DIRS = ['Code', 'Code - Insiders', 'Code - OSS', 'VSCodium', 'Cursor', 'Windsurf', 'Trae', 'Kiro', 'Antigravity'];
/** Linux Flatpak builds keep their config under ~/.var/app/<app id>/config */
export const FLATPAK_USER_DATA = ['.var/app/com.visualstudio.code/config/Code', '.var/app/com.vscodium.codium/config/VSCodium'];
export const REMOTE_SERVER_DIRS = ['.vscode-server', '.vscode-server-insiders', '.cursor-server', '.windsurf-server'];

export function clineFamilyDiscovery(family: ClineFamily): SourceDiscovery {
  return { roots: (input) => familyRoots(family, input), list: listTasks };
}


function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The platform's folder of application config (where VS Code keeps its user-data folders). */
export function appConfigDir(input: DiscoverInput): string {
  const platform = input.platform ?? process.platform;
  if (platform === 'win32') return input.env.APPDATA?.trim() || join(input.home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(input.home, 'Library', 'Application Support');
  return input.env.XDG_CONFIG_HOME?.trim() || join(input.home, '.config');
}

export function familyRoots(family: ClineFamily, input: DiscoverInput): Discovered {
  const roots: string[] = [];
  const searched: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const expand = (p: string) => resolve(p === '~' ? input.home : p.startsWith('~/') || p.startsWith('~\\') ? join(input.home, p.slice(2)) : p);
  const add = (tasksDir: string): boolean => {
    searched.push(tasksDir);
    if (!isDir(tasksDir)) return false;
    const real = realOrSelf(tasksDir);
    if (!seen.has(real)) {
      seen.add(real);
      roots.push(tasksDir);
    }
    return true;
  };
  const inStorage = (userData: string) => join(userData, 'User', 'globalStorage', family.extensionId, 'tasks');

  const explicit = input.dirs?.flatMap((d) => d.split(',')).map((d) => d.trim()).filter((d) => d.length > 0);
  if (explicit && explicit.length > 0) {
    if (explicit.length === 1 && explicit[0].toLowerCase() === 'none') return { roots, searched, notes };
    for (const entry of explicit) {
      const dir = expand(entry);
      const candidates =
        basename(dir) === 'tasks' ? [dir] : [join(dir, 'tasks'), inStorage(dir), inStorage(join(dir, 'data')), join(dir, 'globalStorage', family.extensionId, 'tasks')];
      let found = false;
      for (const c of candidates) {
        if (isDir(c)) {
          add(c);
          found = true;
          break;
        }
      }
      if (!found) {
        searched.push(candidates[0]);
        notes.push(`${family.label}: skipped ${dir} (no tasks/ folder)`);
      }
    }
    return { roots, searched, notes };
  }

  if (input.hostGlobalStorage) add(join(dirname(resolve(input.hostGlobalStorage)), family.extensionId, 'tasks'));
  const config = appConfigDir(input);
  for (const name of USER_DATA_DIRS) add(inStorage(join(config, name)));
  if ((input.platform ?? process.platform) === 'linux') for (const rel of FLATPAK_USER_DATA) add(inStorage(join(input.home, rel)));
  for (const name of REMOTE_SERVER_DIRS) add(inStorage(join(input.home, name, 'data')));
  if (family.id === 'roo') add(join(input.home, '.vscode-mock', 'global-storage', 'tasks'));
  if (family.id === 'cline') {
    const dataDir = input.env.CLINE_DATA_DIR?.trim() ? expand(input.env.CLINE_DATA_DIR.trim()) : join(input.env.CLINE_DIR?.trim() ? expand(input.env.CLINE_DIR.trim()) : join(input.home, '.cline'), 'data');
    add(join(dataDir, 'tasks'));
  }
  return { roots, searched, notes };
}

/**
 * `<root>/<taskId>/ui_messages.json` for every task folder (only that exact name: newer Cline writes through
 * `ui_messages.json.tmp.<time>.<random>.json` and renames). Project '(unknown)' (the parser reads the workspace
 * from the task's own files); session = the task id.
 */
export async function listTasks(root: string): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for (const e of await readDirSorted(root)) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    const path = join(root, e.name, 'ui_messages.json');
    try {
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    } catch {
      continue;
    }
    out.push({ path, project: '(unknown)', session: e.name, format: 'ui_messages' });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}
