import { basename, join, resolve } from 'node:path';
import type { DiscoverInput, Discovered, FileInfo, SourceDiscovery } from '../plugin';
import { familyRoots, listTasks } from '../vscodeTaskLogs/discovery';
import { clineFamily } from '../vscodeTaskLogs/family';
import { isSessionMessages, listSessions, sessionsDir, sessionsDirIn } from './sdkSessions';
import { isDir } from '../walk';

/**
 * Cline: the classic task folders of the Cline family (vscodeTaskLogs/discovery.ts says where: every editor's
 * `globalStorage/saoudrizwan.claude-dev/tasks`, and `~/.cline/data/tasks`), plus the SDK-based Cline's session folder
 * (sdkSessions.ts: `CLINE_SESSION_DATA_DIR`, else `CLINE_DATA_DIR`/sessions, else `CLINE_DIR`/data/sessions, else
 * `~/.cline/data/sessions`). An explicit directory may also be a `sessions/` folder, or a folder holding `sessions/`
 * or `data/sessions/`. A root named `tasks` is listed as classic tasks, any other as SDK sessions.
 */
export const clineDiscovery: SourceDiscovery = {
  roots: clineRoots,
  list: (root: string): Promise<FileInfo[]> => (basename(root) === 'tasks' ? listTasks(root) : listSessions(root)),
  isLog: (path: string): boolean => basename(path) === 'ui_messages.json' || isSessionMessages(path),
};

function expand(input: DiscoverInput, p: string): string {
  return resolve(p === '~' ? input.home : p.startsWith('~/') || p.startsWith('~\\') ? join(input.home, p.slice(2)) : p);
}

export function clineRoots(input: DiscoverInput): Discovered {
  const found = familyRoots(clineFamily, input);
  const explicit = input.dirs?.flatMap((d) => d.split(',')).map((d) => d.trim()).filter((d) => d.length > 0);
  if (explicit && explicit.length > 0) {
    if (explicit.length === 1 && explicit[0].toLowerCase() === 'none') return found;
    for (const entry of explicit) {
      const dir = expand(input, entry);
      const sessions = sessionsDirIn(dir);
      const skipped = `${clineFamily.label}: skipped ${dir} (no tasks/ folder)`;
      if (sessions) {
        found.notes = found.notes.filter((n) => n !== skipped);
        if (!found.roots.includes(sessions)) found.roots.push(sessions);
        found.searched.push(sessions);
      } else {
        found.notes = found.notes.map((n) => (n === skipped ? `${clineFamily.label}: skipped ${dir} (no tasks/ or sessions/ folder)` : n));
      }
    }
    return found;
  }
  const sessions = sessionsDir(input);
  found.searched.push(sessions);
  if (isDir(sessions) && !found.roots.includes(sessions)) found.roots.push(sessions);
  return found;
}
