import type { Database } from 'sql.js';
import { allClaudeCalls } from '../../../src/core/store/claudePacks';

/**
 * The stored recent Claude calls as the rows claude_calls held before schema 14, by message.id then stored order:
 * mid, rid (its key, store/claudePacks.ts ridKey), sidechain, ts, dim, input, output, cw5m, cw1h, cache_read,
 * web_search, act.
 */
export function claudeCallRows(db: Database): number[][] {
  return allClaudeCalls(db).map(([mid, k]) => [mid, k.rid, k.side ? 1 : 0, k.ts, k.dim, k.input, k.output, k.cw5m, k.cw1h, k.cacheRead, k.webSearch, k.act]);
}
