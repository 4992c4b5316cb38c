import type { CodexUsageRecord } from './records';
import { stringTable } from './stringTable';

/** Numbers per event: h, ts, input, output, cacheRead, reasoning, cacheWrite. */
const NUM = 7;
/** Strings per event: model, project, branch, activity. */
const STR = 4;
const FALLBACK_MODEL = 1;
const REPLAYED = 2;
const FAST = 4;
const FLEX = 8;

/**
 * A file's counted Codex events as columns: what a parse worker hands to the indexing thread, as the Claude calls
 * (packedCalls.ts). A structured clone of one object per event (12 named fields) cost the worker and the indexing
 * thread about as much as parsing the events' lines; these columns are two typed arrays (a copy of bytes), a byte
 * of flags per event and a short table of the distinct strings (a file has a few models and one project). Exact:
 * the numbers as doubles.
 */
export interface PackedCodexEvents {
  readonly packed: 'codex-events';
  readonly n: number;
  /** NUM numbers per event */
  readonly num: Float64Array;
  /** STR indexes into `strings` per event (-1: activity absent) */
  readonly str: Int32Array;
  /** FALLBACK_MODEL | REPLAYED | FAST | FLEX per event */
  readonly flags: Uint8Array;
  readonly strings: string[];
}

export function packCodexEvents(events: readonly CodexUsageRecord[]): PackedCodexEvents {
  const n = events.length;
  const num = new Float64Array(NUM * n);
  const str = new Int32Array(STR * n);
  const flags = new Uint8Array(n);
  const { strings, at } = stringTable();
  for (let i = 0; i < n; i++) {
    const e = events[i];
    const f = NUM * i;
    num[f] = e.h;
    num[f + 1] = e.ts;
    num[f + 2] = e.input;
    num[f + 3] = e.output;
    num[f + 4] = e.cacheRead;
    num[f + 5] = e.reasoning;
    num[f + 6] = e.cacheWrite;
    const s = STR * i;
    str[s] = at(e.model);
    str[s + 1] = at(e.project);
    str[s + 2] = at(e.branch);
    str[s + 3] = at(e.activity);
    flags[i] = (e.fallbackModel ? FALLBACK_MODEL : 0) | (e.replayed ? REPLAYED : 0) | (e.fast ? FAST : 0) | (e.flex ? FLEX : 0);
  }
  return { packed: 'codex-events', n, num, str, flags, strings };
}

/** Event i of the columns, as the parser made it. */
export function codexEventAt(p: PackedCodexEvents, i: number): CodexUsageRecord {
  const f = NUM * i;
  const s = STR * i;
  const num = p.num;
  const a = p.str[s + 3];
  const e: CodexUsageRecord = {
    h: num[f],
    ts: num[f + 1],
    model: p.strings[p.str[s]],
    fallbackModel: (p.flags[i] & FALLBACK_MODEL) !== 0,
    replayed: (p.flags[i] & REPLAYED) !== 0,
    project: p.strings[p.str[s + 1]],
    branch: p.strings[p.str[s + 2]],
    input: num[f + 2],
    output: num[f + 3],
    cacheRead: num[f + 4],
    cacheWrite: num[f + 6],
    reasoning: num[f + 5],
  };
  if (a >= 0) e.activity = p.strings[a];
  if ((p.flags[i] & FAST) !== 0) e.fast = true;
  if ((p.flags[i] & FLEX) !== 0) e.flex = true;
  return e;
}
