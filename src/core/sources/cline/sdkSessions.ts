import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DiscoverInput, FileInfo } from '../plugin';
import { isDir, readDirSorted } from '../walk';

/**
 * Where the SDK-based Cline keeps its sessions (cline/cline @ 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4,
 * sdk/packages/shared/src/storage/paths.ts): `resolveSessionDataDir()` = `CLINE_SESSION_DATA_DIR`, else
 * `resolveClineDataDir()/sessions`, where `resolveClineDataDir()` = `CLINE_DATA_DIR`, else `resolveClineDir()/data`,
 * and `resolveClineDir()` = `CLINE_DIR`, else `~/.cline`. Each session is a folder `<sessionId>/` holding
 * `<sessionId>.messages.json` (the lead agent), `<agentId>[__<teamTaskId>].messages.json` (its subagents / teammates:
 * sdk/packages/core/src/services/session-artifacts.ts), the manifest `<sessionId>.json`, and `<sessionId>.compaction.json`,
 * `hooks.jsonl` (not usage). `~/.cline/data/db/sessions.db` lists the sessions but holds no usage (sqlite-db.ts).
 */
export function sessionsDir(input: DiscoverInput): string {
  const expand = (p: string) => resolve(p === '~' ? input.home : p.startsWith('~/') || p.startsWith('~\\') ? join(input.home, p.slice(2)) : p);
  const explicit = input.env.CLINE_SESSION_DATA_DIR?.trim();
  if (explicit) return expand(explicit);
  const dataDir = input.env.CLINE_DATA_DIR?.trim();
  if (dataDir) return join(expand(dataDir), 'sessions');
  const clineDir = input.env.CLINE_DIR?.trim();
  return join(clineDir ? expand(clineDir) : join(input.home, '.cline'), 'data', 'sessions');
}

/**
 * For an explicit directory: itself when it is a `sessions/` folder, else its `sessions/` or `data/sessions/` (the
 * Cline data or Cline folder), else itself when it holds a session folder `<id>/<id>.messages.json` (a folder given
 * as CLINE_SESSION_DATA_DIR may have any name).
 */
export function sessionsDirIn(dir: string): string | undefined {
  if (basename(dir) === 'sessions' && isDir(dir)) return dir;
  const found = [join(dir, 'sessions'), join(dir, 'data', 'sessions')].find(isDir);
  if (found) return found;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && existsSync(join(dir, e.name, `${e.name}.messages.json`))) return dir;
    }
  } catch {
    /* not a folder */
  }
  return undefined;
}


const MESSAGES = '.messages.json';

/** A session's messages file (lead, subagent or teammate); not the manifest, compaction sidecar or hook log. */
export function isSessionMessages(path: string): boolean {
  const name = basename(path);
  return name.length > MESSAGES.length && name.endsWith(MESSAGES);
}

/** `<root>/<sessionId>/*.messages.json`: format 'sdk_messages', session = the folder (the root session id). */
export async function listSessions(root: string): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for (const e of await readDirSorted(root)) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    for (const f of await readDirSorted(join(root, e.name))) {
      if (!isSessionMessages(f.name) || (!f.isFile() && !f.isSymbolicLink())) continue;
      out.push({ path: join(root, e.name, f.name), project: '(unknown)', session: e.name, format: 'sdk_messages' });
    }
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}
