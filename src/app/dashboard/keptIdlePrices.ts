/**
 * The idle re-writes priced (core `priceIdleGaps`), kept per price table for the events the writer keeps across
 * snapshots (core store/keptIdleGaps.ts: the same array while none of its rows changed): an all-time snapshot with
 * nothing new, or one asked again, does not price ~20k event facts again (keptPerTable.ts).
 */
import { priceIdleGaps, type SessionIdleGaps } from '../../core/limits/cacheEconomics';
import { keptPerTable } from './keptPerTable';

/** `priceIdleGaps(gaps, cost)`, kept per events array for `table` (`cost` must price with `table`). */
export const keptIdlePrices = keptPerTable((gaps: readonly SessionIdleGaps[], cost) => priceIdleGaps(gaps, cost));
