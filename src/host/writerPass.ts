/**
 * One writer pass: asks the index worker to ingest what is new in the given files (or every file), keeps the window's
 * status up to date and has the index saved when data changed. The first index of an empty index shows progress
 * and commits small batches, so today's numbers (the newest files are read first) show well within a second.
 * No `vscode` import: the progress notification is passed in.
 */
import type { Logger } from '../core/types';
import type { IngestProgress } from '../app/indexApi';
import type { IndexBackend } from '../app/indexWorker/protocol';
import { progressMessage } from '../app/progressText';
import type { WindowStatus } from './windowStatus';

/**
 * The first index commits a batch this often (the indexer's default is 500 ms); the worker pushes the first batch's
 * summary at once and later ones throttled, so today's files (read first) show early.
 */
export const FIRST_INDEX_FLUSH_MS = 200;
export const FIRST_INDEX_TITLE = 'AgentMeter: indexing usage logs';

/** Shows a progress notification while `task` runs (vscode.window.withProgress in the window). */
export type ShowProgress = <T>(title: string, task: (report: (r: { message: string; increment: number }) => void) => Promise<T>) => Promise<T>;

export interface WriterPassOptions {
  index: Pick<IndexBackend, 'isEmpty' | 'refresh'>;
  /** the indexer's generation now (a pass whose indexer was replaced meanwhile drops its result) */
  generation(): number;
  status: WindowStatus;
  /** data changed: save (debounced) */
  onDataChanged(): void;
  /** changed databases the pass left for later (read less than 10 s before): ask for them again after that */
  onDeferred?(paths: string[]): void;
  showProgress: ShowProgress;
  /** the progress line in the display language (default English `progressMessage`) */
  progressText?: (p: IngestProgress) => string;
  logger: Logger;
}

/** Runs one pass over `paths` (undefined = every file is stat'ed). Throws when the refresh failed (the caller reports it). */
export async function writerPass(paths: string[] | undefined, o: WriterPassOptions): Promise<void> {
  const gen = o.generation();
  const { index, status } = o;
  status.set({ indexing: true });
  const started = Date.now();
  const first = status.current.lastUpdatedMs === null && (await index.isEmpty());
  if (first) status.statusChanged();
  // While a large refresh runs, the worker pushes what is in already: the indexer takes the newest files first
  // and commits batches (the first index every 200 ms), so today's numbers show well within a second.
  const result = first
    ? await o.showProgress(FIRST_INDEX_TITLE, (report) => {
        let lastPct = 0;
        return index.refresh(
          (q: IngestProgress) => {
            const pct = q.bytesTotal > 0 ? (100 * q.bytesDone) / q.bytesTotal : 0;
            report({ message: (o.progressText ?? progressMessage)(q), increment: Math.max(0, pct - lastPct) });
            lastPct = Math.max(lastPct, pct);
          },
          { flushEveryMs: FIRST_INDEX_FLUSH_MS, paths },
        );
      })
    : await index.refresh(undefined, { paths });
  if (result?.deferred?.length) o.onDeferred?.(result.deferred);
  if (o.generation() !== gen || !result) {
    status.set({ indexing: false }); // replaced (rebuild, role change) meanwhile
    status.statusChanged();
    return;
  }
  const hadError = status.current.error !== undefined;
  status.set({ indexing: false, lastUpdatedMs: Date.now(), error: undefined });
  if (result.changed || first) {
    o.logger.debug(
      `refresh: ${result.filesChanged}/${result.filesScanned} files changed, ${(result.bytesRead / 1e6).toFixed(1)} MB, ${result.records} records, ${result.malformedLines} malformed lines, ${Date.now() - started} ms`,
    );
    o.onDataChanged();
  }
  // new data arrived as a pushed update already; views rebuild here only when the window's state changed
  if (first || hadError) status.stateChanged();
  else status.statusChanged();
}
