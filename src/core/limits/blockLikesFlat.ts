import type { BlockLike } from './blockLike';
import { settledBlockLike } from './fromStoredBlock';

/**
 * Stored Claude blocks as the plan limit reads them (`blockLikeFromStored`), flattened for the index file
 * (store/keptBlockLikes.ts): per block its start, first entry, last entry, plan tokens, cost (null: unpriced) and
 * requests. Whether a block is active is not kept (it depends on the time of the read): it is worked out again.
 */
const FIELDS = 6;

export function blockLikesToFlat(likes: readonly BlockLike[]): (number | null)[] {
  const flat: (number | null)[] = [];
  for (const b of likes) flat.push(b.startMs, b.firstMs ?? b.startMs, b.actualEndMs ?? b.startMs, b.tokens, b.costUsd, b.requests);
  return flat;
}

/** The blocks of `flat` as of `nowMs`, oldest first; undefined when `flat` is not such a list. */
export function blockLikesFromFlat(flat: readonly (number | null)[], nowMs: number): BlockLike[] | undefined {
  if (flat.length % FIELDS !== 0) return undefined;
  const out: BlockLike[] = [];
  for (let i = 0; i < flat.length; i += FIELDS) {
    const [startMs, firstMs, lastMs, tokens, costUsd, requests] = flat.slice(i, i + FIELDS);
    if (startMs === null || firstMs === null || lastMs === null || tokens === null || requests === null) return undefined;
    if (out.length && startMs <= out[out.length - 1].startMs) return undefined;
    out.push(settledBlockLike(startMs, firstMs, lastMs, tokens, costUsd, requests, nowMs));
  }
  return out;
}

/** Whether two flat lists are the same blocks with the same figures. */
export function sameFlat(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
