// Types for mixTruth.mjs.
import type { MixTruth } from './mixCorpus.mjs';
export declare const MIX_SOURCES: string[];
export interface StoredRow { source: string; requests: number; input: number; output: number; cw5m: number; cw1h: number; cacheRead: number; reasoning: number }
export declare function compareMix(rows: StoredRow[], truth: Record<string, MixTruth>): { ok: boolean; bySource: Record<string, { ok: boolean; details: string[]; requests: number }> };
export declare function perDay(days: { calls: number }[], total: number, scale: number): number[];
