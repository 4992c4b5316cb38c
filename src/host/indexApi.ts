import type { Database } from 'sql.js';
import type { Logger } from '../core/types';

/**
 * What the usage service needs from the core index, as one small interface. `coreIndex.ts` implements it
 * with the real core modules (discovery, indexer, persist, sql.js); keeping the service behind this seam
 * means the lock/refresh/reload logic does not depend on the core's internals.
 */
export interface DiscoveredRoots {
  /** folders to watch for Claude logs (each a `projects/` folder) */
  claudeDirs: string[];
  /** folders to watch for Codex logs (`sessions/`, `archived_sessions/`) */
  codexDirs: string[];
  notes: string[];
  /** every folder looked in (for the empty state), found or not */
  searched: { claude: string[]; codex: string[] };
  /** opaque: what the indexer was given */
  raw: unknown;
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface IngestSummary {
  filesScanned: number;
  filesChanged: number;
  bytesRead: number;
  records: number;
  malformedLines: number;
  changed: boolean;
}

export interface IndexerHandle {
  refresh(onProgress?: (p: IngestProgress) => void): Promise<IngestSummary>;
  dispose(): Promise<void>;
}

export interface CoreIndexApi {
  discover(claudeDirs: string[], codexDirs: string[]): Promise<DiscoveredRoots>;
  /** Opens (or creates) the writable index; a corrupt or newer-schema file is moved aside and rebuilt. */
  openWritable(path: string): Promise<{ db: Database; notes: string[] }>;
  /** Opens a read-only in-memory copy of the file; null when it does not exist yet. Throws when unreadable. */
  openReadOnly(path: string): Promise<Database | null>;
  /** Atomic save: temp file, fsync, rename. */
  save(db: Database, path: string): Promise<void>;
  createIndexer(db: Database, roots: DiscoveredRoots, logger: Logger): IndexerHandle;
  /** True when the index has never ingested a file (first run: show progress). */
  isEmpty(db: Database): boolean;
}
