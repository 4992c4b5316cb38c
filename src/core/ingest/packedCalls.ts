import type { Tier } from '../types';
import { stringTable } from './stringTable';
import type { ClaudeCallRecord } from './records';

/** Numbers per call: mid, rid, ts, input, output, cw5m, cw1h, cacheRead, webSearch. */
const NUM = 9;
/** Strings per call: model, branch, tier, activity. */
const STR = 4;

/**
 * A file's Claude call records as columns: what a parse worker hands to the indexing thread. A structured clone of
 * one object per call (14 named fields) cost the worker ~2.3 s to write and the indexing thread about as much to
 * read on a year of heavy use (1.5 M calls); these columns are three typed arrays, moved to the indexing thread
 * without a copy (`packedTransfer`), and a short table of the distinct strings. Exact: the numbers as doubles.
 */
export interface PackedClaudeCalls {
  readonly packed: 'claude-calls';
  readonly n: number;
  /** NUM numbers per call */
  readonly num: Float64Array;
  /** STR indexes into `strings` per call (-1: activity absent) */
  readonly str: Int32Array;
  /** 1 for a sidechain copy */
  readonly side: Uint8Array;
  readonly strings: string[];
}

export function packClaudeCalls(calls: readonly ClaudeCallRecord[]): PackedClaudeCalls {
  const n = calls.length;
  const num = new Float64Array(NUM * n);
  const str = new Int32Array(STR * n);
  const side = new Uint8Array(n);
  const { strings, at } = stringTable();
  for (let i = 0; i < n; i++) {
    const c = calls[i];
    const f = NUM * i;
    num[f] = c.mid;
    num[f + 1] = c.rid;
    num[f + 2] = c.ts;
    num[f + 3] = c.input;
    num[f + 4] = c.output;
    num[f + 5] = c.cw5m;
    num[f + 6] = c.cw1h;
    num[f + 7] = c.cacheRead;
    num[f + 8] = c.webSearch;
    const s = STR * i;
    str[s] = at(c.model);
    str[s + 1] = at(c.branch);
    str[s + 2] = at(c.tier);
    str[s + 3] = at(c.activity);
    side[i] = c.sidechain ? 1 : 0;
  }
  return { packed: 'claude-calls', n, num, str, side, strings };
}

/** Call i of the columns, as the parser made it. */
export function claudeCallAt(p: PackedClaudeCalls, i: number): ClaudeCallRecord {
  const c = readClaudeCall(p, i, { mid: 0, rid: 0, sidechain: false, ts: 0, model: '', branch: '', tier: 'standard', input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0 });
  if (c.activity === undefined) delete c.activity;
  return c;
}

/**
 * Call i of the columns written into `out` (every field; `activity` undefined when absent): one object reused for
 * a file's calls instead of one made per call.
 */
export function readClaudeCall(p: PackedClaudeCalls, i: number, out: ClaudeCallRecord): ClaudeCallRecord {
  const f = NUM * i;
  const s = STR * i;
  const num = p.num;
  const a = p.str[s + 3];
  out.mid = num[f];
  out.rid = num[f + 1];
  out.sidechain = p.side[i] === 1;
  out.ts = num[f + 2];
  out.model = p.strings[p.str[s]];
  out.branch = p.strings[p.str[s + 1]];
  out.tier = p.strings[p.str[s + 2]] as Tier;
  out.input = num[f + 3];
  out.output = num[f + 4];
  out.cw5m = num[f + 5];
  out.cw1h = num[f + 6];
  out.cacheRead = num[f + 7];
  out.webSearch = num[f + 8];
  out.activity = a >= 0 ? p.strings[a] : undefined;
  return out;
}

/** The buffers of a payload's packed calls, to move rather than copy them to another thread ([] for any other payload). */
export function packedTransfer(payload: unknown): ArrayBuffer[] {
  const calls = (payload as { calls?: Partial<PackedClaudeCalls> } | null | undefined)?.calls;
  if (calls?.packed !== 'claude-calls' || !calls.num || !calls.str || !calls.side) return [];
  return [calls.num.buffer as ArrayBuffer, calls.str.buffer as ArrayBuffer, calls.side.buffer as ArrayBuffer];
}
