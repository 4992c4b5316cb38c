import type { ClaudeCallRecord } from './records';
import { isBetterCopy } from './keepRule';
import { mergeActivity } from '../activity';

/**
 * Collapses copies of the same Claude call inside one file (same message.id and requestId hashes: one line per
 * content block, streaming copies) to the best copy — non-sidechain first, then the largest
 * input + output + cache writes + cache reads, the first of equals — at the position of its first copy, with the
 * earliest timestamp of its copies (the call's time).
 * The same rule as the cross-file de-dup in claudeDedup.ts, applied early so fewer records cross the worker
 * boundary and reach the main thread. Returns the number of copies dropped (they are duplicate lines).
 * The kept copy carries the call's activity as all its copies show it (one line per content block, each naming its own
 * tool: core/activity.ts mergeActivity). The records are the parser's own: the kept one is updated in place.
 */
export function collapseCopies(calls: ClaudeCallRecord[]): number {
  if (calls.length < 2) return 0;
  // keyed by message.id hash (a number: no string per record); the same id with another requestId (rare) by both
  const firstAt = new Map<number, number>();
  let byPair: Map<string, number> | undefined;
  const kept: ClaudeCallRecord[] = [];
  for (const c of calls) {
    let i = firstAt.get(c.mid);
    if (i !== undefined && kept[i].rid !== c.rid) {
      byPair ??= new Map();
      const key = `${c.mid}:${c.rid}`;
      i = byPair.get(key);
      if (i === undefined) byPair.set(key, kept.length);
    } else if (i === undefined) firstAt.set(c.mid, kept.length);
    if (i === undefined) kept.push(c);
    else {
      const k = kept[i];
      const better = isBetterCopy(c, c.sidechain, k, k.sidechain);
      // the kept record is updated in place (the records are this parse's own: no copy per call, ~1.5 M at a year)
      const next = better ? c : k;
      const other = better ? k : c;
      // the call's time is its earliest copy's (when the response started streaming)
      if (other.ts < next.ts) next.ts = other.ts;
      const activity = mergeActivity(next.activity ?? '', other.activity ?? '');
      if (activity !== (next.activity ?? '')) next.activity = activity;
      kept[i] = next;
    }
  }
  const dropped = calls.length - kept.length;
  if (dropped > 0) {
    calls.length = 0;
    for (const c of kept) calls.push(c);
  }
  return dropped;
}
