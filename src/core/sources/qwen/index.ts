import type { SourcePlugin } from '../plugin';
import { legacyJsonParser } from '../gemini/jsonParser';
import { qwenDiscovery } from './discovery';
import { QWEN_THOUGHTS_INSIDE, qwenJsonlParser } from './jsonlParser';

/** Qwen Code (QwenLM/qwen-code, a Gemini CLI fork): `~/.qwen/projects/<project>/chats/<session>.jsonl`. */
export const qwenSource: SourcePlugin = {
  id: 'qwen',
  label: 'Qwen Code',
  color: '#e05297',
  discovery: qwenDiscovery,
  // older builds wrote Gemini CLI's legacy session document under tmp/<hash>/chats/
  parsers: { jsonl: qwenJsonlParser, json: legacyJsonParser(QWEN_THOUGHTS_INSIDE) },
  describe:
    'Qwen Code: ~/.qwen/projects/*/chats/*.jsonl (archived sessions in chats/archive/) and older ~/.qwen/tmp/*/chats/*.json (QWEN_RUNTIME_DIR, QWEN_HOME move them); one request per assistant record with usage (plus subagents\' API responses from the telemetry records), cached tokens taken out of input, reasoning inside output as its OpenAI-compatible providers report it, all-zero replies not counted.',
};
