import type { IngestProgress } from '../../core/ingest/indexer';

/** At most one progress message per this long during a refresh (the first index's notification). */
export const PROGRESS_GAP_MS = 100;

/**
 * The refresh's progress as the index worker posts it to the host: the first file's, then at most one per `gapMs`,
 * and always the last file's (`filesDone === filesTotal`), so the notification ends at 100 %. One message per file
 * cost the indexing thread ~1.8 s of CPU in `postMessage` over a year's 16,450 logs (2026-12-07, in a CPU profile of
 * the index worker's first index), for a notification that shows a few updates a second.
 */
export function progressGate(send: (p: IngestProgress) => void, gapMs = PROGRESS_GAP_MS, now: () => number = () => performance.now()): (p: IngestProgress) => void {
  let lastSentAt = Number.NEGATIVE_INFINITY;
  return (p) => {
    const t = now();
    if (p.filesDone < p.filesTotal && t - lastSentAt < gapMs) return;
    lastSentAt = t;
    send(p);
  };
}
