/**
 * The cache figures of each fact priced (core `cacheParts`), kept per price table for the facts the writer keeps
 * across data changes (the hourly facts, core keptHours.ts; the recent 15-minute facts, keptFacts.ts: an unchanged
 * fact stays the same object): a snapshot after a change prices the cache parts of the new facts only, not six parts
 * of every hourly row of the range again (keptPerTable.ts).
 */
import { cacheParts } from '../../core/limits/cacheEconomics';
import type { Fact } from '../../core/types';
import { keptPerTable } from './keptPerTable';

/** `cacheParts(f, cost)`, kept per fact for `table` (`cost` must price with `table`). */
export const keptCacheParts = keptPerTable((f: Fact, cost) => cacheParts(f, cost));
