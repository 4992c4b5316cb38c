import type { ApplyContext, SourceApplier } from '../ingest/applyContext';
import type { ParseJob, ParseResult } from '../ingest/records';
import type { Database } from 'sql.js';
import type { Logger } from '../types';
import type { SourceDiscovery } from './plugin';

/**
 * A source as the indexer sees it (registry.ts): where its logs are, how one file is parsed (in a worker thread),
 * and how its parse results are counted (main thread, inside the refresh's transaction). Claude and Codex implement
 * it directly (their own de-dup rules); the other sources are plug-ins of keyed usage (plugin.ts) wrapped by
 * keyed/keyedSource.ts.
 */
export interface SourceDef {
  id: string;
  label: string;
  /** chart colour (CSS hex); `themeColor`, a VS Code theme colour variable, is used instead where the theme has it */
  color: string;
  themeColor?: string;
  /** one sentence: where it looks and how it counts (README, `--verbose`) */
  describe: string;
  discovery: SourceDiscovery;
  /**
   * What to watch for changes under one of its roots: folders, and which changed files are its logs (a change of
   * any other file there, e.g. Codex's history.jsonl, must not make the index look at every file again).
   */
  watch(root: string): { dirs: string[]; isLog(path: string): boolean };
  /**
   * the parsers' version (store/sourceVersions.ts: a change takes back what the index holds of the source and reads
   * its files again); plug-in sources and Codex; undefined for Claude
   */
  version?: number;
  /** tables only this source's applier writes, emptied with the rest of it when its version changes (Codex's replay hashes) */
  ownTables?: readonly string[];
  /** a file of this format is an SQLite database (its `-wal` file holds its newest transactions: read and stamped with it) */
  isDatabase(format: string): boolean;
  /** a file of this format is read whole after any change (JSON documents, databases), never from an offset */
  wholeFile(format: string): boolean;
  /**
   * Its parse results are packed into typed columns (Claude's calls, Codex's events: a few bytes a record), so a
   * first index may let them wait in memory several parse windows ahead (ingest/indexer.ts PARSE_LOOKAHEAD_WINDOWS);
   * other sources' records are objects, shared one window ahead.
   */
  packedResults?: boolean;
  /** reads and parses the new part of one file; never throws (errors come back in `error`) */
  parse(job: ParseJob, chunkSize?: number): Promise<ParseResult>;
  createApplier(ctx: ApplyContext): SourceApplier;
  /**
   * Other files beside the logs that a full refresh reads when they changed (Claude Code's stats caches): returns
   * what changed (nothing: undefined), and `store` writes it inside the refresh's transaction.
   */
  readExtras?(db: Database, roots: readonly string[], logger: Logger): { store(): void } | undefined;
}
