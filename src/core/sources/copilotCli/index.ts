import type { SourcePlugin } from '../plugin';
import { copilotCliDiscovery } from './discovery';
import { copilotEventsParser } from './eventsParser';

/** GitHub Copilot CLI: per-model usage from each session's `session.shutdown` event (see eventsParser.ts). */
export const copilotCliSource: SourcePlugin = {
  id: 'copilot-cli',
  label: 'Copilot CLI',
  color: '#8957e5',
  discovery: copilotCliDiscovery,
  parsers: { events: copilotEventsParser },
  describe:
    'Reads ~/.copilot/session-state/*/events.jsonl (COPILOT_HOME): usage is only written per model in each session.shutdown event, counted per shutdown at its time (a resumed session counts each shutdown\'s increase); a session without a shutdown shows as "usage unknown".',
};
