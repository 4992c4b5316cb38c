import type { SourcePlugin } from '../plugin';
import { clineFamily } from '../vscodeTaskLogs/family';
import { clineFamilySource } from '../vscodeTaskLogs/source';
import { clineDiscovery } from './discovery';
import { sdkMessagesParser } from './sdkMessages';

const classic = clineFamilySource(clineFamily, clineDiscovery, '#0e7c86');

/**
 * Cline: the classic extension's task logs (saoudrizwan.claude-dev `tasks/*\/ui_messages.json`, format 'ui_messages')
 * and, since its SDK migration, the sessions of the SDK-based extension and CLI (`~/.cline/data/sessions/*\/
 * *.messages.json`, format 'sdk_messages'; CLINE_SESSION_DATA_DIR / CLINE_DATA_DIR / CLINE_DIR move it).
 */
export const clineSource: SourcePlugin = {
  ...classic,
  parsers: { ...classic.parsers, sdk_messages: sdkMessagesParser },
  describe:
    `${classic.describe} SDK-era Cline (VS Code extension and CLI): ~/.cline/data/sessions/*/*.messages.json ` +
    '(CLINE_SESSION_DATA_DIR, CLINE_DATA_DIR or CLINE_DIR move it), one request per assistant message with metrics, ' +
    'cache tokens taken out of its whole-prompt input; a resumed classic task\'s carried-over totals are not counted again.',
};
