// Types for claudeTruth.mjs.
export interface ClaudeTruth {
  calls: number; input: number; output: number; cw5m: number; cw1h: number; cacheRead: number; webSearch: number; longRequests: number;
  long: { input: number; cw5m: number; cw1h: number; cacheRead: number; output: number };
  abovePerField: { input: number; cacheWrite: number; cacheRead: number; output: number };
  longByDay: Record<string, { input: number; cw5m: number; cw1h: number; cacheRead: number; output: number }>;
}
export interface ClaudeUsage { input: number; cw5m: number; cw1h: number; cacheRead: number; output: number; webSearch: number }
export declare function emptyClaudeTotals(): ClaudeTruth;
export declare function countClaudeCall(truthByModel: Record<string, ClaudeTruth>, model: string, u: ClaudeUsage, atMs?: number): void;
