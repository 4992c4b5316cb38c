/**
 * 5-hour billing blocks with ccusage's semantics (its `session-blocks.ts`):
 * - entries sorted by time; a block starts at its first entry's timestamp floored to the UTC hour;
 * - an entry at or after the block's end (start + 5 h), or more than 5 h after the previous entry, starts a new block;
 * - an idle stretch longer than 5 h between blocks is emitted as a gap block (last entry + 5 h … next entry);
 * - `endMs = startMs + 5 h`; `actualEndMs` = the last entry; a block is active while now − lastEntry < 5 h and
 *   now < endMs;
 * - burn rate = tokens per minute and USD per hour over the active span (first → last entry);
 *   the active block is projected to its end at that rate.
 * This is a heuristic: Anthropic tracks the real window server-side.
 *
 * A fact is one 15-minute UTC bucket of one dims tuple, so the decision is taken per bucket: block starts fall on
 * whole UTC hours and 5 h later is a bucket boundary, so a bucket that starts at or after the block's end opens a
 * new block with all its entries, and the block's last entry is always before its end. ccusage decides per entry
 * with `>` (an entry exactly at start + 5 h:00.000 stays in the old block); here an entry at exactly that
 * millisecond opens the next block — the only case where the two differ. The gap rule (`>` 5 h since the previous
 * entry) is exact at bucket level: it is checked with the bucket's earliest entry against the latest entry of the
 * earlier buckets, and entries within a bucket are less than 15 minutes apart. A gap implies the bucket starts at
 * or after the block's end, so a gap always comes with a new block.
 *
 * Block windows depend on all earlier entries back to the last gap of more than 5 h, so blocks must be cut on the
 * whole history (or from a block's start, see `store/claudeBlocks.ts`) and filtered by start afterwards
 * (`blocksStartingIn`), never cut on date-filtered facts.
 */
import type { PriceTable } from '../pricing/priceTable';
import { zeroTokens, type Fact, type LimitReset } from '../types';
import { RowAccumulator, rowFromTokens, type ReportRow } from './rows';

export const BLOCK_MS = 5 * 60 * 60 * 1000;
const HOUR_MS = 3_600_000;

export interface BurnRate {
  tokensPerMinute: number;
  /** null when the block has unpriced usage */
  costPerHour: number | null;
}

export interface BlockProjection {
  totalTokens: number;
  costUSD: number | null;
  remainingMinutes: number;
}

export interface BlockRow extends ReportRow {
  startMs: number;
  endMs: number;
  /** Last entry, null for gap blocks. */
  actualEndMs: number | null;
  isGap: boolean;
  isActive: boolean;
  burnRate: BurnRate | null;
  projection: BlockProjection | null;
  /** Reset time written by Claude Code ("usage limit reached|<epoch>") during this block, if any. */
  usageLimitResetMs: number | null;
}

export type { LimitReset } from '../types';

export interface BlockOptions {
  prices: PriceTable;
  /** Default Date.now(). */
  nowMs?: number;
  limitResets?: readonly LimitReset[];
  /** Default 5 h; must be a multiple of 15 minutes (the bucket-level decision relies on it). */
  durationMs?: number;
}

const SYNTHETIC = '<synthetic>';

/** One block as cut from the entries: its window start, first and last entry, and its facts in cutting order. */
export interface CutBlock {
  startMs: number;
  firstEntryMs: number;
  lastEntryMs: number;
  /** More than `durationMs` idle before this block's first entry (a gap block goes before it). */
  gapBefore: boolean;
  /** The block's facts (no `<synthetic>`), in the order they were cut: by first entry, then last entry. */
  facts: Fact[];
}

/**
 * Cuts facts into blocks (the rules above). `computeBlocks` builds its rows from this; the stored blocks
 * (core/store/claudeBlocks.ts) are cut by the same code so both agree to the last token and cent.
 */
export function cutBlocks(facts: readonly Fact[], durationMs: number = BLOCK_MS): CutBlock[] {
  const sorted = facts.filter((f) => f.model !== SYNTHETIC).sort((a, b) => a.firstMs - b.firstMs || a.lastMs - b.lastMs);
  const out: CutBlock[] = [];
  let cur: CutBlock | null = null;
  for (const f of sorted) {
    const gap: boolean = cur !== null && f.firstMs - cur.lastEntryMs > durationMs;
    if (cur && (f.bucketStartMs >= cur.startMs + durationMs || gap)) cur = null;
    if (!cur) {
      cur = { startMs: Math.floor(f.firstMs / HOUR_MS) * HOUR_MS, firstEntryMs: f.firstMs, lastEntryMs: f.lastMs, gapBefore: gap, facts: [] };
      out.push(cur);
    }
    cur.facts.push(f);
    if (f.lastMs > cur.lastEntryMs) cur.lastEntryMs = f.lastMs;
  }
  return out;
}

export function computeBlocks(facts: readonly Fact[], opts: BlockOptions): BlockRow[] {
  const now = opts.nowMs ?? Date.now();
  const duration = opts.durationMs ?? BLOCK_MS;
  const blocks: BlockRow[] = [];
  let prevLastEntry = 0;
  for (const b of cutBlocks(facts, duration)) {
    if (b.gapBefore) blocks.push(gapBlock(prevLastEntry + duration, b.firstEntryMs));
    const acc = new RowAccumulator();
    for (const f of b.facts) acc.add(f);
    blocks.push(finishBlock(acc, b.startMs, b.firstEntryMs, b.lastEntryMs, duration, now, opts));
    prevLastEntry = b.lastEntryMs;
  }
  return blocks;
}

/** A block's row from its accumulated usage and window (`isActive`, burn rate and projection as of `now`). */
export function finishBlock(
  acc: RowAccumulator,
  start: number,
  firstEntry: number,
  lastEntry: number,
  duration: number,
  now: number,
  opts: BlockOptions,
): BlockRow {
  const row = acc.toRow(new Date(start).toISOString(), opts.prices);
  const endMs = start + duration;
  const isActive = now - lastEntry < duration && now < endMs;
  const spanMinutes = (lastEntry - firstEntry) / 60_000;
  const burnRate: BurnRate | null =
    spanMinutes > 0
      ? {
          tokensPerMinute: row.totalTokens / spanMinutes,
          costPerHour: row.costUSD === null ? null : (row.costUSD / spanMinutes) * 60,
        }
      : null;
  let projection: BlockProjection | null = null;
  if (isActive && burnRate) {
    const remainingMinutes = Math.max(0, (endMs - now) / 60_000);
    projection = {
      totalTokens: Math.round(row.totalTokens + burnRate.tokensPerMinute * remainingMinutes),
      costUSD:
        row.costUSD === null || burnRate.costPerHour === null ? null : row.costUSD + (burnRate.costPerHour * remainingMinutes) / 60,
      remainingMinutes: Math.round(remainingMinutes),
    };
  }
  let reset: number | null = null;
  for (const r of opts.limitResets ?? []) {
    if (r.observedMs >= start && r.observedMs < endMs && (reset === null || r.resetMs > reset)) reset = r.resetMs;
  }
  return { ...row, startMs: start, endMs, actualEndMs: lastEntry, isGap: false, isActive, burnRate, projection, usageLimitResetMs: reset };
}

function gapBlock(startMs: number, endMs: number): BlockRow {
  const row = rowFromTokens(`gap-${new Date(startMs).toISOString()}`, zeroTokens(), {
    source: null,
    model: null,
    costUSD: 0,
    pricedCostUSD: 0,
    unpricedTokens: 0,
    models: [],
    unpricedModels: [],
    unpricedWebSearches: [],
  });
  return { ...row, startMs, endMs, actualEndMs: null, isGap: true, isActive: false, burnRate: null, projection: null, usageLimitResetMs: null };
}

/**
 * The blocks (and gap blocks) whose start lies in `[sinceMs, untilMs)` (either side open): how a date range selects
 * blocks (ccusage filters blocks by their start date). Blocks are cut on all entries first, so a block keeps its
 * window and all its usage whatever range is asked for.
 */
export function blocksStartingIn<T extends { startMs: number }>(blocks: readonly T[], sinceMs?: number, untilMs?: number): T[] {
  return blocks.filter((b) => (sinceMs === undefined || b.startMs >= sinceMs) && (untilMs === undefined || b.startMs < untilMs));
}

/** The active block, if any. */
export function activeBlock(blocks: readonly BlockRow[]): BlockRow | undefined {
  return blocks.find((b) => b.isActive);
}

/**
 * Blocks cut separately per source (Claude's and Codex's 5-hour windows belong to different accounts and never
 * merge), each block and gap tagged with its source, ordered by start. Limit resets are Claude's only.
 */
export function computeBlocksPerSource(facts: readonly Fact[], opts: BlockOptions): BlockRow[] {
  const out: BlockRow[] = [];
  for (const source of new Set(facts.map((f) => f.source))) {
    const mine = facts.filter((f) => f.source === source);
    if (!mine.length) continue;
    const blocks = computeBlocks(mine, source === 'claude' ? opts : { ...opts, limitResets: undefined });
    for (const b of blocks) out.push({ ...b, source });
  }
  return out.sort((a, b) => a.startMs - b.startMs || (a.source ?? '').localeCompare(b.source ?? ''));
}
