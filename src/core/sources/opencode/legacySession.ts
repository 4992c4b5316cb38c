import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ForkSigns, forkSigns } from './forkCopy';
import { isObject } from './tokens';

/**
 * The fork signs (forkCopy.ts) of a session of OpenCode's legacy JSON storage, read from its info file
 * `storage/session/<projectID>/<sessionID>.json` (packages/opencode/src/session/index.ts @0002b1f `createNext`:
 * `Storage.write(["session", Instance.project.id, result.id], result)`, the whole `Session.Info` with `parentID`,
 * `title`, `time.created`; storage/json-migration.ts @062aa8c globs them as `session/<any>/<any>.json`), found from a
 * message's path `storage/message/<sessionID>/<messageID>.json`. Undefined when the file is not there or not a
 * session's info (then nothing tells a copy apart, and the message counts).
 */
export function legacySessionSigns(messagePath: string, sessionID: string): ForkSigns | undefined {
  const storage = dirname(dirname(dirname(messagePath)));
  const sessions = join(storage, 'session');
  let projects: string[];
  try {
    projects = readdirSync(sessions);
  } catch {
    return undefined;
  }
  for (const project of projects) {
    let info: unknown;
    try {
      info = JSON.parse(readFileSync(join(sessions, project, `${sessionID}.json`), 'utf8'));
    } catch {
      continue;
    }
    if (!isObject(info)) continue;
    return forkSigns(info.parentID, info.title, isObject(info.time) ? info.time.created : undefined);
  }
  return undefined;
}
