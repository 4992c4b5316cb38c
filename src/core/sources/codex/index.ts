import { collapseRateLimits } from '../../ingest/collapseRateLimits';
import { parseCodexBlock, type CodexParseOutput } from '../../ingest/parse/codex';
import { packCodexEvents } from '../../ingest/packedCodexEvents';
import { type LinesReader, readLinesJob } from '../../ingest/readLinesJob';
import { readZstdLinesJob } from '../../ingest/readZstdLinesJob';
import type { FileState } from '../../ingest/records';
import type { SourceDef } from '../sourceDef';
import { CODEX_EVENTS, CodexApplier, type CodexPayload } from './applier';
import { CODEX_ZST, codexDiscovery, codexWatch } from './discovery';

/** Codex CLI (formats note part B): rollouts with cumulative token_count events, replays counted once. */
export const codexSource: SourceDef = {
  id: 'codex',
  label: 'Codex',
  color: '#89d185',
  themeColor: '--vscode-charts-green',
  describe:
    'Codex rollouts (~/.codex/sessions and archived_sessions, CODEX_HOME; .jsonl.zst ones decompressed): the change of each token_count total, cached input inside input, reasoning inside output, replayed history counted once.',
  /**
   * 2: a forked or spawned thread's copied history (new timestamps) and its inherited first total are no longer
   * counted (parse/codex.ts); indexes of version 1 hold them, so Codex is read again once
   */
  version: 2,
  ownTables: [CODEX_EVENTS.table],
  discovery: codexDiscovery,
  watch: codexWatch,
  isDatabase: () => false,
  /** a compressed rollout (discovery.ts CODEX_ZST) is read whole: Codex never appends to it */
  wholeFile: (format) => format === CODEX_ZST,
  packedResults: true,
  parse: (job, chunkSize) => (job.format === CODEX_ZST ? readZstdLinesJob(job, codexLines) : readLinesJob(job, codexLines, chunkSize)),
  createApplier: (ctx) => new CodexApplier(ctx),
};

/** The Codex rollout parser over one read of a file (plain or decompressed). */
function codexLines(state: FileState): LinesReader {
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state };
  return {
    onBlock: (b, s) => parseCodexBlock(b, s, out),
    finish: () => {
      collapseRateLimits(out.rateLimits);
      const payload: CodexPayload = { events: packCodexEvents(out.events), rateLimits: out.rateLimits, fallbackModelEvents: out.fallbackModelEvents };
      return { payload, malformed: out.malformed, duplicates: out.duplicates };
    },
  };
}
