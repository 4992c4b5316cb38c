import { collapseCopies } from '../../ingest/collapseCopies';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../ingest/parse/claude';
import { readLinesJob } from '../../ingest/readLinesJob';
import { packClaudeCalls } from '../../ingest/packedCalls';
import type { SourceDef } from '../sourceDef';
import { ClaudeApplier, type ClaudePayload } from './applier';
import { claudeDiscovery } from './discovery';
import { readChangedStatsCaches, storeStatsCaches } from './statsCacheRefresh';
import { isJsonl } from '../walk';

/**
 * `<project>/<session>/subagents/[<subdir>/]agent-*.jsonl` below a `projects/` root (formats note A.1, Claude Code
 * 2.1.x; a Workflow run's agents in `subagents/workflows/<runId>/`, discovery.ts claudeFileKeys): a subagent's own file.
 */
export function isSubagentFile(path: string): boolean {
  return /[\\/]projects[\\/][^\\/]+[\\/](?:[^\\/]+[\\/])+subagents[\\/]/.test(path);
}

/** Claude Code (formats note part A): transcripts under `projects/`, calls de-duplicated by message id and request id. */
export const claudeSource: SourceDef = {
  id: 'claude',
  label: 'Claude Code',
  color: '#d18616',
  themeColor: '--vscode-charts-orange',
  describe:
    'Claude Code transcripts (~/.claude/projects, ~/.config/claude/projects, CLAUDE_CONFIG_DIR): one call per message id and request id (the largest copy), cache writes by TTL.',
  discovery: claudeDiscovery,
  watch: (root) => ({ dirs: [root], isLog: isJsonl }),
  isDatabase: () => false,
  wholeFile: () => false,
  packedResults: true,
  parse: (job, chunkSize) =>
    readLinesJob(
      job,
      (state) => {
        const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state, subagentFile: isSubagentFile(job.path) };
        return {
          onBlock: (b, s) => parseClaudeBlock(b, s, out),
          finish: () => {
            const duplicates = collapseCopies(out.calls);
            const payload: ClaudePayload = { calls: packClaudeCalls(out.calls), resets: out.resets };
            return { payload, malformed: out.malformed, duplicates };
          },
        };
      },
      chunkSize,
    ),
  createApplier: (ctx) => new ClaudeApplier(ctx),
  // Claude Code's stats-cache.json beside each projects/ root: the history of days no log covers (estimates)
  readExtras(db, roots, logger) {
    const reads = readChangedStatsCaches(db, roots, logger);
    return reads.length ? { store: () => storeStatsCaches(db, reads) } : undefined;
  },
};
