import type { SourcePlugin } from '../plugin';
import { copilotCliDiscovery } from './discovery';
import { copilotEventsParser } from './eventsParser';
import { copilotStoreParser } from './storeParser';

/**
 * GitHub Copilot CLI: one record per API request from `session-store.db` for the sessions it holds (storeParser.ts),
 * else per-model usage from each session's `session.shutdown` event (eventsParser.ts); each session from one of them.
 */
export const copilotCliSource: SourcePlugin = {
  id: 'copilot-cli',
  label: 'Copilot CLI',
  color: '#8957e5',
  // 2: sessions in session-store.db are counted from it, not from their shutdowns (indexes read by 1 are read again)
  // 3: a compaction no longer restarts the shutdown counters, and a resume by CLI 1.0.65 or older does (eventsParser.ts)
  version: 3,
  discovery: copilotCliDiscovery,
  parsers: { events: copilotEventsParser, store: copilotStoreParser },
  describe:
    'Reads ~/.copilot (COPILOT_HOME): one record per API request from session-store.db for the sessions it holds; the other sessions from session-state/*/events.jsonl, where usage is only written per model in each session.shutdown event (counted per shutdown at its time; a session resumed by CLI 1.0.66 or later counts each shutdown\'s increase, by an older CLI each shutdown whole); a session in neither shows as "usage unknown".',
};
