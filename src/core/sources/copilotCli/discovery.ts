import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
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
 */
const STATE_DIRS = ['session-state', 'history-session-state'];

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
    return { roots, searched, notes };
  },

  async list(root: string): Promise<FileInfo[]> {
    const files: FileInfo[] = [];
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch {
      return files;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        const path = join(root, e.name, 'events.jsonl');
        if (isFile(path)) files.push({ path, project: '(unknown)', session: e.name, format: 'events' });
      } else if (e.isFile() && e.name.endsWith('.jsonl')) {
        files.push({ path: join(root, e.name), project: '(unknown)', session: e.name.slice(0, -'.jsonl'.length), format: 'events' });
      }
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },
};


