import { claudeSource } from './claude';
import { clineSource } from './cline';
import { codexSource } from './codex';
import { copilotCliSource } from './copilotCli';
import { geminiSource } from './gemini';
import { keyedSource } from './keyed/keyedSource';
import { kiloSource } from './kilo';
import { opencodeSource } from './opencode';
import { qwenSource } from './qwen';
import { rooSource } from './roo';
import type { SourceDef } from './sourceDef';

/**
 * Every log source AgentMeter reads, in display order. Adding a source: its folder under sources/ (discovery,
 * parsers, fixtures, tests; a plug-in of keyed usage, plugin.ts) and one line here — `keyedSource(<id>Source)` — plus
 * its settings in package.json and its price entries (README "Adding a source").
 */
export const SOURCE_DEFS: readonly SourceDef[] = [
  claudeSource,
  codexSource,
  keyedSource(geminiSource),
  keyedSource(qwenSource),
  keyedSource(clineSource),
  keyedSource(rooSource),
  keyedSource(kiloSource),
  keyedSource(copilotCliSource),
  keyedSource(opencodeSource),
];

export const SOURCE_IDS: readonly string[] = SOURCE_DEFS.map((s) => s.id);

const byId = new Map(SOURCE_DEFS.map((s) => [s.id, s]));

/** The source with this id; throws for an id no source has (a bug: ids come from the registry). */
export function sourceDef(id: string): SourceDef {
  const s = byId.get(id);
  if (!s) throw new Error(`unknown log source '${id}'`);
  return s;
}

export function isSourceId(id: unknown): id is string {
  return typeof id === 'string' && byId.has(id);
}
