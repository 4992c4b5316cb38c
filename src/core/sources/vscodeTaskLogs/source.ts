import type { SourceDiscovery, SourcePlugin } from '../plugin';
import type { ClineFamily } from './family';
import { uiMessagesParser } from './parser';

/** A source plug-in for one extension of the Cline family (the three differ by their family record and colour). */
export function clineFamilySource(family: ClineFamily, discovery: SourceDiscovery, color: string): SourcePlugin {
  return {
    id: family.id,
    label: family.label,
    color,
    discovery,
    parsers: { ui_messages: uiMessagesParser(family) },
    describe:
      `${family.label} task logs (globalStorage/${family.extensionId}/tasks/*/ui_messages.json in VS Code, Insiders, ` +
      'VSCodium, Cursor, Windsurf and remote servers): one request per api_req_started row (updated in place), ' +
      'checkpoint-deleted requests counted as tokens only, cache tokens split out per provider; ' +
      'model from the row, task_metadata.json or the API history, else unpriced.',
  };
}
