import type { Database } from 'sql.js';
import type { Tier, TokenCounts } from '../types';

/**
 * The contract of a log source plug-in (issue 15 §1). Each source is one folder under `src/core/sources/<id>/`
 * (discovery, parsers, fixtures, tests) plus one entry in `registry.ts`; nothing else names a source.
 *
 * Sources other than Claude and Codex report **keyed usage**: one record per API request (or per aggregate that is
 * not a request), under a key that is stable across re-reads. The store keeps every key it has counted
 * (`keyed_calls`): the same key read again replaces what it counted before (last wins), so re-reading a whole file
 * after it was rewritten, the same session copied twice, or an agent re-writing a message under the same id never
 * counts anything twice.
 *
 * Token conventions (README "How numbers are computed"), the same for every source:
 *   input        input tokens NOT read from cache (if the agent's input includes cache hits, subtract them)
 *   output       everything billed as output, reasoning/thinking INCLUDED (add thoughts when the agent keeps them apart)
 *   reasoning    the part of `output` that was reasoning (display only; never added again)
 *   cacheRead    cache hits; cacheWrite5m / cacheWrite1h cache writes (unknown TTL: 5m)
 *   requests     1 for an API request, 0 for a record that only carries tokens (e.g. Cline's deleted_api_reqs)
 */
export interface KeyedUsage extends TokenCounts {
  /** unique within the source and stable: the same request read again (from any file, any later read) has the same key */
  key: string;
  /** when the request was made, epoch ms (UTC) */
  ts: number;
  /** the model as logged ('' when the log does not say: shown as unpriced, never as $0) */
  model: string;
  /** project key (a folder path or name; '(unknown)' when the log does not say) */
  project: string;
  /** session / task / conversation id */
  session: string;
  /** git branch, '' when unknown */
  branch: string;
  /**
   * pricing tier, when the source knows one besides 'standard'; absent or 'standard': decided by the store from the
   * record's model, prompt and time when it is one request (pricing/contextTier.ts: long context, Qwen's input-length
   * tiers, DeepSeek's peak hours), else 'standard'
   */
  tier?: Tier;
  /** the agent's own cost estimate for this record in USD, when it logs one (shown beside ours where they differ) */
  agentCostUsd?: number;
  /** the provider the request went to, when logged (e.g. 'anthropic', 'deepseek', 'openrouter') */
  provider?: string;
  /** names of the tools this request asked for, as logged (for cost by activity); [] = none */
  tools?: string[];
  /** made by a subagent / subtask rather than the main agent */
  subagent?: boolean;
}

/** What one read of one log file produced. */
export interface SourceOutput {
  records: KeyedUsage[];
  /** lines / records that could not be read (malformed JSON, unknown shape): skipped and counted */
  malformed: number;
  /** sessions whose usage is not on disk (Copilot CLI killed before `session.shutdown`): "usage unknown", never 0 */
  unknownUsageSessions?: string[];
  /** display path of a project key, when the log says more than the key (first seen wins) */
  projects?: { project: string; displayPath: string }[];
}

/** Where a file was found (discovery decides the project and session from its place when the log does not). */
export interface FileInfo {
  path: string;
  project: string;
  session: string;
  /** which of the source's parsers reads it (a key of `SourcePlugin.parsers`) */
  format: string;
}

/**
 * An append-only log of JSON lines: called with blocks of complete lines (`buf` from `start` to its end; every line
 * ends with '\n'; a half-written last line is never handed over). `state` is kept between reads (JSON-serialisable;
 * stored per file) — e.g. the session's model or project learnt from an earlier line. Never throws.
 */
export interface LinesParser {
  kind: 'lines';
  parseLines(buf: Buffer, start: number, file: FileInfo, state: Record<string, unknown>, out: SourceOutput): void;
}

/**
 * A JSON document rewritten whole by its agent: parsed whole after every change. `text` may be caught mid-rewrite
 * (truncated, empty): return `{ incomplete: true }` then — the file is read again on its next change and nothing it
 * counted before is lost. Never throws.
 */
export interface DocumentParser {
  kind: 'document';
  parseDocument(text: string, file: FileInfo): SourceOutput & { incomplete?: boolean };
  /**
   * 'keep': a record that disappears from a later version of the file stays counted (it was billed; e.g. Gemini's
   * rewind). 'replace': the file's records are exactly those of its latest complete version (e.g. Cline, whose
   * checkpoint restore removes rows and adds their tokens back as one `deleted_api_reqs` row).
   */
  vanished: 'keep' | 'replace';
}

/**
 * An agent's SQLite database, opened read-only by sql.js from a copy of its bytes (never written). Reads what
 * changed since `cursor` (null on the first read) and returns the new cursor (JSON-serialisable), so a large
 * database costs what is new. A database being written by its agent may fail to open or read: throw, and the
 * caller counts it as skipped and tries again on the next change.
 */
export interface DatabaseParser {
  kind: 'database';
  readDatabase(db: Database, file: FileInfo, cursor: unknown): { out: SourceOutput; cursor: unknown };
}

export type SourceParser = LinesParser | DocumentParser | DatabaseParser;

export interface DiscoverInput {
  env: Record<string, string | undefined>;
  home: string;
  /** folders given in the settings or on the command line (override env and defaults); ['none'] disables the source */
  dirs?: readonly string[];
  /**
   * Inside VS Code: the running extension's own `context.globalStorageUri` folder (…/User/globalStorage/<our id>),
   * whose parent holds other extensions' storage (Cline, Roo, Kilo) for the running editor, profile and remote.
   */
  hostGlobalStorage?: string;
  platform?: NodeJS.Platform;
}

export interface Discovered {
  /** folders that exist and will be listed */
  roots: string[];
  /** every folder looked at (for the empty state: "where I looked") */
  searched: string[];
  /** one-line notes (e.g. "skipped X (no tasks/ folder)") */
  notes: string[];
}

export interface SourceDiscovery {
  /** Where this source's logs are: explicit dirs, else the agent's own environment variables, else its defaults. */
  roots(input: DiscoverInput): Discovered;
  /** The log files under one root (unreadable folders skipped), each with its project, session and format. */
  list(root: string): Promise<FileInfo[]>;
  /**
   * Whether a changed file under a root is one of this source's logs (what `list` would return; cheap, by its
   * path). Default: a name ending in .jsonl, .json or .db.
   */
  isLog?(path: string): boolean;
}

/** One log source. */
export interface SourcePlugin {
  /** stable id: settings keys, CLI flags, JSON rows, the store */
  id: string;
  /** display name (product names are not translated) */
  label: string;
  /** chart colour (CSS hex), distinct from the other sources' */
  color: string;
  discovery: SourceDiscovery;
  /** by FileInfo.format */
  parsers: Record<string, SourceParser>;
  /** one sentence for the README and `--verbose`: where it looks and how it counts */
  describe: string;
  /**
   * The parsers' version (default 1). Bump it when they change what they count (a new place the usage is read from,
   * a corrected rule): an index read with another version takes back all it counted of this source and reads its
   * files again (store/sourceVersions.ts).
   */
  version?: number;
}
