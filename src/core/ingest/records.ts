import type { Tier } from '../types';

/**
 * Compact records a parser produces from new bytes of one file. They cross the worker boundary
 * (structured clone), so they are plain data. De-dup and store writes happen on the main thread (apply.ts).
 */

/** The token counts of one Claude call copy (cache writes split by TTL). */
export interface ClaudeCallTokens {
  input: number;
  output: number;
  cw5m: number;
  cw1h: number;
  cacheRead: number;
  webSearch: number;
}

/** One copy of a Claude API call (an assistant line with a top-level message.usage). */
export interface ClaudeCallRecord extends ClaudeCallTokens {
  /** hash53(message.id); a line without message.id gets a hash of its uuid/position, so it is never merged */
  mid: number;
  /** hash53(requestId), 0 when missing */
  rid: number;
  sidechain: boolean;
  ts: number;
  model: string;
  branch: string;
  tier: Tier;
  /**
   * the activity of the call as this copy shows it (core/activity.ts: the tools of this line's content blocks; the
   * copies of one call are merged by mergeActivity); absent = unknown ('')
   */
  activity?: string;
}

/** One counted Codex token_count event (already a per-file delta, normalised). */
export interface CodexUsageRecord {
  /** hash53(timestamp + cumulative totals): global replay de-dup key */
  h: number;
  ts: number;
  model: string;
  fallbackModel: boolean;
  /** earlier than its file's session_meta: history replayed into a fork/resumed rollout (counted once, see apply.ts) */
  replayed: boolean;
  /** made at Codex's Fast / priority service tier (billed at the model's fast multiplier); absent = standard */
  fast?: boolean;
  /** made at Codex's Flex service tier (billed at the model's Flex multiplier, pricing/flexTier.ts); absent = standard */
  flex?: boolean;
  project: string;
  branch: string;
  input: number;
  output: number;
  cacheRead: number;
  /** cache writes (`cache_write_input_tokens`, Codex ≥ 0.145; part of the event's input_tokens, so not in `input`) */
  cacheWrite: number;
  reasoning: number;
  /** the activity of the call (core/activity.ts): the tools asked for since the previous token_count; absent = unknown */
  activity?: string;
}

/** Claude "usage limit reached|<epoch>" seen in an API-error line. */
export interface LimitResetRecord {
  resetMs: number;
  observedMs: number;
}

/** Per-file parser state kept in files.state (JSON) between incremental reads. */
export interface ClaudeFileState {
  /** the first cwd seen in this file (project display path) */
  cwd?: string;
}
export interface CodexFileState {
  /** previous cumulative total_token_usage: [input, cached, output, reasoning, total], then cache writes when not 0 */
  prev?: [number, number, number, number, number] | [number, number, number, number, number, number];
  model?: string;
  project?: string;
  branch?: string;
  /** session_meta timestamp of the file (epoch ms) */
  startMs?: number;
  /** thread_spawn subagent file still in its start-up replay burst: timestamp (epoch ms) of the burst's newest line */
  burstMs?: number;
  /** the same, as written by versions ≤ 0.1 of the index: the session_meta second (YYYY-MM-DDTHH:MM:SS, UTC) */
  burst?: string;
  /** tools asked for (function_call / custom_tool_call / local_shell_call / web_search_call) since the last token_count */
  tools?: string[];
  /** the file is a thread_spawn subagent's rollout (session_meta.source.subagent) */
  subagent?: boolean;
  /** the file is a forked or spawned thread's rollout (session_meta `forked_from_id` / `parent_thread_id` / `source.subagent`) */
  fork?: boolean;
  /** the thread runs at Codex's Fast / priority service tier (`service_tier` "priority" or "fast", as last applied) */
  fast?: boolean;
  /** the thread runs at Codex's Flex service tier (`service_tier` "flex", as last applied) */
  flex?: boolean;
}
export type FileState = ClaudeFileState &
  CodexFileState & {
    /** fingerprint of the bytes around the offset read up to (tailer.ts `fingerprintAt`): an in-place rewrite shows */
    fp?: number;
  } & Record<string, unknown>;

/** What the worker is asked to do for one file. */
export interface ParseJob {
  path: string;
  /** the source's id (sources/registry.ts) */
  source: string;
  /** which of the source's parsers reads the file (discovery decides; '' for sources with one format) */
  format: string;
  /** where discovery found the file: its project and session */
  project: string;
  session: string;
  /** byte offset to start at (0 = from the start, BOM skipped) */
  offset: number;
  state: FileState;
}

/**
 * The job of reading `f` from `offset` with `state`, written field by field (as logFile.ts `stampedFile`, and for the
 * same reason: `{ ...job, offset, state }` gives each job a hidden class of its own, and a refresh holds every job).
 */
export function parseJobOf(f: Pick<ParseJob, 'path' | 'source' | 'format' | 'project' | 'session'>, offset: number, state: FileState): ParseJob {
  return { path: f.path, source: f.source, format: f.format, project: f.project, session: f.session, offset, state };
}

/** What comes back for one file. */
export interface ParseResult {
  path: string;
  /** offset just after the last complete line read (whole-file sources: the size read) */
  offset: number;
  bytesRead: number;
  malformed: number;
  /** duplicates detected inside the file (Codex re-emitted snapshots, Claude streaming copies) */
  duplicates: number;
  /** what the source's parser produced, handed to the same source's applier (plain data: it crosses threads) */
  payload: unknown;
  state: FileState;
  /** set when the file could not be read (vanished between listing and reading, permissions) */
  error?: string;
  /** set when the bytes before the stored offset changed (rewritten in place): the file was read again from 0 */
  rewritten?: boolean;
}
