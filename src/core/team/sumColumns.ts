import type { TokenCounts } from '../types';

/** The token columns of the team database's usage and activity rows, summed (for a GROUP BY), under their names. */
export const SUM_COLUMNS = `sum(input) AS input, sum(output) AS output, sum(cw5m) AS cw5m, sum(cw1h) AS cw1h,
  sum(cache_read) AS cache_read, sum(reasoning) AS reasoning, sum(web_search) AS web_search, sum(requests) AS requests`;

/** Those columns as pg returns them (bigint and numeric come back as strings). */
export interface TokenColumns {
  input: string; output: string; cw5m: string; cw1h: string; cache_read: string; reasoning: string; web_search: string; requests: string;
}

/** A row's token columns as counts (read with Number: token counts stay far below 2^53). */
export function tokenCountsOf(x: TokenColumns): TokenCounts {
  return {
    input: Number(x.input), output: Number(x.output), cacheWrite5m: Number(x.cw5m), cacheWrite1h: Number(x.cw1h),
    cacheRead: Number(x.cache_read), reasoning: Number(x.reasoning), webSearch: Number(x.web_search), requests: Number(x.requests),
  };
}
