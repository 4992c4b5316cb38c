import type { SourcePlugin } from '../plugin';
import { openCodeDbParser } from './dbParser';
import { openCodeDiscovery } from './discovery';
import { openCodeMessageFileParser } from './messageFileParser';

/** OpenCode and Kilo CLI: assistant messages from opencode.db / kilo.db (sql.js, read-only) and the legacy JSON files. */
export const opencodeSource: SourcePlugin = {
  id: 'opencode',
  label: 'OpenCode',
  color: '#0f9d8a',
  // 2: OpenCode 2.x's session_message calls are read, and a 1.x fork's copies of earlier replies are not counted again
  // (indexes read by 1 are read again)
  // 3: a fork's copies are also known by a session made after them (file-storage forks had no `(fork #N)` title),
  // the legacy JSON files apply the fork rule too (forkCopy.ts), and OpenCode 2.x's compaction and title calls are
  // read from their usage events (usageEvents.ts)
  version: 3,
  discovery: openCodeDiscovery,
  parsers: { db: openCodeDbParser, message: openCodeMessageFileParser },
  describe:
    'Reads ~/.local/share/opencode/opencode.db (XDG_DATA_HOME, OPENCODE_DB; Kilo CLI\'s ~/.local/share/kilo/kilo.db too) and the legacy storage/message/*/msg_*.json: one record per assistant message (the sum of its steps, one request each; OpenCode 2.x: per session_message assistant row, one call), subtasks under their root session; reasoning added to output where OpenCode keeps it apart; a reply with no usage is not counted.',
};
