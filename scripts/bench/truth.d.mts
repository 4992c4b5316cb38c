// Types for truth.mjs (used by the TypeScript unit test of the generator).
import type { CorpusManifest } from './corpus.mjs';
export declare function listFiles(dir: string, out?: string[]): string[];
export declare function sumTruth(manifest: CorpusManifest, source: 'claude' | 'codex'): Record<string, number>;
export interface StoredRow { source: string; requests: number; input: number; output: number; cw5m: number; cw1h: number; cacheRead: number; reasoning: number }
export declare function compareTotals(rows: StoredRow[], manifest: CorpusManifest, parts: { claude: boolean; codex: boolean }): { ok: boolean; summary: string; details: string[] };
export declare function longContextPremium(manifest: CorpusManifest): { wholeRequest: number; perField: number };
export declare function truthCost(manifest: CorpusManifest): { claude: number; codex: number };
/** Anthropic's price of one web search, USD ($10 per 1,000). */
export declare const CLAUDE_WEB_SEARCH_USD: number;
