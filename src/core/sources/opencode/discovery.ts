import { basename, dirname, join, resolve } from 'node:path';
import type { DiscoverInput, Discovered, FileInfo, SourceDiscovery } from '../plugin';
import { dirList, expandHome, isDir, readDirSorted } from '../walk';

/**
 * Where OpenCode and Kilo CLI keep their data: `Global.Path.data` = `$XDG_DATA_HOME/opencode` (xdg-basedir: default
 * `~/.local/share`, on every platform), holding `opencode.db` (channels other than latest/beta: `opencode-<channel>.db`;
 * packages/opencode/src/storage/db.ts `getChannelPath`) and the legacy `storage/message/<sessionID>/msg_*.json`.
 * Kilo CLI (Kilo-Org/kilocode, an OpenCode fork: the same message/part tables and session columns read here —
 * packages/opencode/src/session/session.sql.ts @18369fa, its session table adding only `current_state`,
 * `recent_progress` — and the same getUsage in src/session/session.ts, plus "kilocode_change" provider-reported cost) keeps `$XDG_DATA_HOME/kilo/kilo.db` (and `kilo-<channel>.db`, `storage/`): a second root of this source
 * (Piebald-AI/splitrail src/analyzers/kilo_cli.rs @56e4be4, ryoppippi/ccusage adapter/kilo/paths.rs @5816e64).
 * Message ids are unique across both (ascending ids with a random suffix), so one key space serves both.
 *
 * `OPENCODE_DB` moves OpenCode's database: an absolute path, or a name resolved in `Global.Path.data`
 * (`packages/cli/src/database-path.ts` `databasePath`: `path.resolve(data, process.env.OPENCODE_DB ?? …)`; ':memory:'
 * keeps nothing on disk). Its folder is a root too when its name is one this source lists (`opencode*.db`,
 * `kilo*.db`); another name is noted as not read. Kilo CLI's own `KILO_DB` (its `Flag.KILO_DB`, the same rule in
 * Kilo's data folder; set by Kilo-Org/kilocode's tests and read by peers, e.g. "overridable with KILO_DB") likewise.
 *
 * Explicit dirs (settings, `--dir opencode=…`) are data folders (each holding `*.db` or `storage/`); `none` disables.
 */
const DB_NAME = /^(opencode|kilo)(-[A-Za-z0-9._-]+)?\.db$/;

export const openCodeDiscovery: SourceDiscovery = {
  roots(input: DiscoverInput): Discovered {
    const roots: string[] = [];
    const searched: string[] = [];
    const notes: string[] = [];
    const expand = (p: string) => expandHome(p, input.home);
    const explicit = dirList(input.dirs, undefined);
    if (explicit === null) return { roots, searched, notes };
    const xdg = input.env.XDG_DATA_HOME?.trim() ? expand(input.env.XDG_DATA_HOME.trim()) : join(input.home, '.local', 'share');
    const dirs = explicit && explicit.length > 0 ? explicit.map(expand) : [join(xdg, 'opencode'), join(xdg, 'kilo')];
    for (const [name, app] of [['OPENCODE_DB', 'opencode'], ['KILO_DB', 'kilo']] as const) {
      const moved = input.env[name]?.trim();
      if (explicit && explicit.length > 0) break;
      if (!moved || moved === ':memory:') continue;
      const db = resolve(join(xdg, app), moved);
      if (DB_NAME.test(basename(db))) dirs.push(dirname(db));
      else notes.push(`OpenCode: ${name}=${db} is not read (only opencode*.db and kilo*.db files are)`);
    }
    for (const dir of dirs) {
      if (searched.includes(dir)) continue;
      searched.push(dir);
      if (isDir(dir)) roots.push(dir);
      else if (explicit) notes.push(`OpenCode: skipped ${dir} (not a folder)`);
    }
    return { roots, searched, notes };
  },

  async list(root: string): Promise<FileInfo[]> {
    const files: FileInfo[] = [];
    for (const e of await readDirSorted(root)) {
      if (e.isFile() && DB_NAME.test(e.name)) files.push({ path: join(root, e.name), project: '(unknown)', session: '', format: 'db' });
    }
    const messageDir = join(root, 'storage', 'message');
    for (const s of await readDirSorted(messageDir)) {
      if (!s.isDirectory()) continue;
      for (const m of await readDirSorted(join(messageDir, s.name))) {
        if (m.isFile() && m.name.startsWith('msg_') && m.name.endsWith('.json')) {
          files.push({ path: join(messageDir, s.name, m.name), project: '(unknown)', session: s.name, format: 'message' });
        }
      }
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },
};


