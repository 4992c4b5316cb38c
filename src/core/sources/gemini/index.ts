import type { SourcePlugin } from '../plugin';
import { geminiDiscovery } from './discovery';
import { geminiJsonParser } from './jsonParser';
import { geminiJsonlParser } from './jsonlParser';

/** Gemini CLI (google-gemini/gemini-cli): `~/.gemini/tmp/<project>/chats/session-*.jsonl` and legacy `.json`. */
export const geminiSource: SourcePlugin = {
  id: 'gemini',
  label: 'Gemini CLI',
  color: '#4285f4',
  discovery: geminiDiscovery,
  parsers: { jsonl: geminiJsonlParser, json: geminiJsonParser },
  describe:
    'Gemini CLI: ~/.gemini/tmp/*/chats/session-*.jsonl and legacy .json, and ~/.cache/.gemini/tmp (the macOS sandbox\'s runtime folder; GEMINI_CLI_HOME moves the home); one request per gemini reply with tokens, cached tokens taken out of input, thoughts added to output, a rewritten message counted once (last version), rewound messages kept, all-zero replies not counted.',
};
