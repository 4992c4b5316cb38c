import type { FileInfo, KeyedUsage, LinesParser, SourceOutput } from '../plugin';
import { storeBeside } from './discovery';

/**
 * GitHub Copilot CLI's `events.jsonl` (closed source; shapes from the CLI's own generated event types, published in
 * github/copilot-sdk nodejs/src/generated/session-events.ts @cc0438d, and from peers that parse real files:
 * getagentseal/codeburn src/providers/copilot.ts @ed8fa3a, Piebald-AI/splitrail src/analyzers/copilot_cli.rs @56e4be4).
 *
 * Every line is an event `{ type, data, id (UUID v4), timestamp (ISO 8601), parentId }` (session-events.ts, e.g.
 * `ShutdownEvent`). The per-request usage event `assistant.usage` is `ephemeral: true` — "not persisted to the
 * session event log on disk" — so the only usage on disk is the `session.shutdown` event's
 * `data.modelMetrics: { [model]: { requests: { count, cost }, usage: { inputTokens, outputTokens, cacheReadTokens,
 * cacheWriteTokens, reasoningTokens? } } }` (`ShutdownData`, `ShutdownModelMetric`, `ShutdownModelMetricUsage`).
 *
 * How the CLI keeps these counters (read in the CLI's own bundled code, npm `@github/copilot`; from 1.0.66 the
 * JS is inside the platform package's single-executable blob, `@github/copilot-linux-x64`, asset `copilot.tgz`):
 * - The session's usage tracker (`UsageMetricsTracker`, app.js: `processEvent` / `processUsageEvent`) adds up each
 *   live `assistant.usage`; `_performShutdown` writes its totals as the shutdown's `modelMetrics`. On resume the
 *   session is rebuilt from its events.jsonl (`Session.fromEvents` → `usageMetricsTracker.processEvent` per event),
 *   where `assistant.usage` never is (ephemeral: the events writer skips `s.ephemeral`).
 * - Up to CLI 1.0.65 the tracker has no `session.shutdown` case (read in 1.0.30, 1.0.60, 1.0.62, 1.0.63, 1.0.64,
 *   1.0.65; shutdowns carry the metrics since 0.0.422, the CLI's changelog.json): a resumed session starts from zero
 *   and its next shutdown holds THAT LEG ONLY.
 * - From CLI 1.0.66 `processShutdown` replaces the tracker's totals with the replayed shutdown's (read in 1.0.66,
 *   1.0.70); from 1.0.75 the tracker is native (`prebuilds/linux-x64/runtime.node`), and driving it
 *   (`sessionReplaceEventsSyncJson` with a logged shutdown, then `sessionProcessUsageEventJson`,
 *   `sessionUsageMetricsSnapshotJson`) shows the same in 1.0.75, 1.0.78 and 1.0.80: a resumed session's next
 *   shutdown holds the last shutdown's totals PLUS the new leg — CUMULATIVE. A leg that ended without a shutdown
 *   (killed) is in neither. (1.0.89 and 1.0.102 replay inside the native runtime and were not driven; 1.0.102's
 *   schema describes the shutdown's totals as subsuming the preceding usage receipts.)
 * - A compaction does not restart the counters in any of these versions: `processCompactionComplete` only adds the
 *   summarising call's nano-AIU (1.0.60–1.0.70), and the native trackers keep their totals across a recorded
 *   `session.compaction_complete`. (codeburn reports a 1.0.78 session whose one shutdown covered only its
 *   post-compaction requests; not reproduced from the code. Such a shutdown, below the previous one, is taken whole.)
 * - `session.usage_checkpoint` (1.0.66+: under an AI-credit session limit; from 1.0.80 also the prompt-cache state at
 *   shutdown) carries nano-AIU, premium requests and cache state, no tokens, up to 1.0.89 (its schema): not used.
 *   The 1.0.102 schema adds token totals to it (`accountingSnapshot`, `providerModelMetrics`, "subsumes preceding usage
 *   receipts") and a per-call `session.usage_record`: not read yet (1.0.102 was not driven; the session store holds
 *   the same requests).
 * - The event of a resume says which kind of CLI wrote it: from 1.0.66 every `session.resume` is emitted with
 *   `sessionLimits: getSessionLimits() ?? null` (the key is always there; up to 1.0.65 it never is).
 *
 * Rules:
 * - `inputTokens` includes the cache: input not read from / written to cache = inputTokens − cacheReadTokens −
 *   cacheWriteTokens (inference; codeburn checked it against the per-request `token_details` rows of
 *   ~/.copilot/session-store.db, copilot.ts "input_tokens is cache-INCLUSIVE (input + cache_read + cache_write)";
 *   splitrail subtracts the cache reads too).
 * - `reasoningTokens` is inside `outputTokens` (the SDK documents the per-request field as "Number of output tokens
 *   used for reasoning"): output = outputTokens, reasoning = reasoningTokens (display only).
 * - Each shutdown is counted as its difference from the previous one of the same model, one record per model, keyed
 *   `<sessionId>:<model>:<shutdown event id>` and dated at the shutdown (the requests of a leg are not dated on disk;
 *   the leg's whole usage lands in the 15-minute bucket of its shutdown).
 * - A resume restarted the counters (so the next shutdown is taken whole) when its event has no `sessionLimits` and
 *   the session was not started by CLI 1.0.66 or later (`session.start`'s `copilotVersion`; a session is resumed by
 *   the CLI that started it or a newer one). A total that went down is taken whole as well (a guard: no CLI read
 *   writes one).
 * - A session with model activity after its last shutdown (killed, crashed, or still running) has no usage on disk
 *   for that part: it is reported in `unknownUsageSessions`, never as 0.
 * - Project = `session.start`'s `data.context.cwd` (`WorkingDirectoryContext.cwd`), else `session.resume`'s; branch =
 *   `context.branch`. Model names are the `modelMetrics` keys as logged ('claude-sonnet-4.5', 'gpt-5').
 * - `requests` = the difference of `requests.count`; the metrics are per model and include subagents' requests
 *   (`agentMetrics` splits them per agent on newer CLIs; not used, so `subagent` is not set) and tools are not
 *   attributed (a whole leg is not one request).
 *
 * One place per session: when the Copilot home holds `session-store.db` (per-request rows, storeParser.ts), this
 * parser reports nothing for its sessions — the store's parser counts each session either from its rows (a session
 * the store holds) or from its shutdowns with this same code (`parseEventLines`, a session the store lacks), under the
 * same keys. See storeParser.ts.
 */

interface Totals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  requests: number;
}

/** Totals as the state keeps them: an array in TOTALS order (~60 bytes a model fewer in the index's files table). */
type StoredTotals = number[] | Totals;
const TOTALS = ['input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'requests'] as const;

function totalsOf(v: StoredTotals | undefined): Totals | undefined {
  if (!v) return undefined;
  if (!Array.isArray(v)) return v;
  const n = (i: number) => (typeof v[i] === 'number' ? v[i] : 0);
  return { input: n(0), output: n(1), cacheRead: n(2), cacheWrite: n(3), reasoning: n(4), requests: n(5) };
}

/** The per-file state kept between reads (JSON-serialisable). */
interface CopilotState {
  session?: string;
  project?: string;
  branch?: string;
  /**
   * the last cumulative totals per model since the counters last restarted, each as [input, output, cacheRead,
   * cacheWrite, reasoning, requests] (a state stored before kept them as a Totals object: read as well)
   */
  prev?: Record<string, StoredTotals>;
  /** model activity (a user message, an assistant turn) since the last shutdown: usage not on disk yet */
  pending?: boolean;
  /** shutdowns seen (key fallback when an event has no id) */
  shutdowns?: number;
  /** the session was started by CLI 1.0.66 or later: every resume keeps the counters */
  restores?: boolean;
}

const ACTIVITY = new Set(['user.message', 'assistant.turn_start', 'assistant.message', 'assistant.reasoning', 'tool.execution_start']);

export const copilotEventsParser: LinesParser = {
  kind: 'lines',
  parseLines(buf: Buffer, start: number, file: FileInfo, state: Record<string, unknown>, out: SourceOutput): void {
    // a home with a session store: its parser decides, per session, where the usage comes from (storeParser.ts)
    if (storeBeside(file.path)) return;
    parseEventLines(buf, start, file, state, out);
  },
};

/** The shutdown records (and "usage unknown") of a block of events.jsonl lines, with no store beside it. */
export function parseEventLines(buf: Buffer, start: number, file: FileInfo, rawState: Record<string, unknown>, out: SourceOutput): void {
  const state = rawState as CopilotState;
  let pos = start;
  while (pos < buf.length) {
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = buf.length;
    const line = buf.toString('utf8', pos, nl).trim();
    pos = nl + 1;
    if (line.length === 0) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      out.malformed++;
      continue;
    }
    if (!isObject(event) || typeof event.type !== 'string') {
      out.malformed++;
      continue;
    }
    handleEvent(event, file, state, out);
  }
  // the session's status after this read: activity after its last shutdown = usage not on disk
  if (state.pending) {
    const session = state.session ?? file.session;
    out.unknownUsageSessions ??= [];
    const unknown = out.unknownUsageSessions;
    if (!unknown.includes(session)) unknown.push(session);
  }
}

function handleEvent(event: Record<string, unknown>, file: FileInfo, state: CopilotState, out: SourceOutput): void {
  const data = isObject(event.data) ? event.data : {};
  switch (event.type) {
    case 'session.start':
    case 'session.resume': {
      if (event.type === 'session.start') {
        if (typeof data.sessionId === 'string' && data.sessionId) state.session ??= data.sessionId;
        if (restoresOnResume(data.copilotVersion)) state.restores = true;
      } else if (!state.restores && !('sessionLimits' in data)) {
        state.prev = {}; // resumed by CLI 1.0.65 or older: its counters start again from zero
      }
      const context = isObject(data.context) ? data.context : undefined;
      if (context && typeof context.cwd === 'string' && context.cwd && state.project === undefined) {
        state.project = context.cwd;
        if (typeof context.branch === 'string') state.branch = context.branch;
      }
      return;
    }
    case 'session.shutdown':
      shutdown(event, data, file, state, out);
      return;
    default:
      if (ACTIVITY.has(event.type as string)) state.pending = true;
  }
}

function shutdown(event: Record<string, unknown>, data: Record<string, unknown>, file: FileInfo, state: CopilotState, out: SourceOutput): void {
  const metrics = data.modelMetrics;
  const ts = typeof event.timestamp === 'string' ? Date.parse(event.timestamp) : NaN;
  if (!isObject(metrics) || !Number.isFinite(ts)) {
    out.malformed++;
    return;
  }
  state.shutdowns = (state.shutdowns ?? 0) + 1;
  const session = state.session ?? file.session;
  const eventKey = typeof event.id === 'string' && event.id ? event.id : `${event.timestamp}#${state.shutdowns}`;
  state.prev ??= {};
  const prevAll = state.prev;
  for (const [model, metric] of Object.entries(metrics)) {
    if (!isObject(metric) || !isObject(metric.usage)) {
      out.malformed++;
      continue;
    }
    const u = metric.usage;
    const now: Totals = {
      input: count(u.inputTokens),
      output: count(u.outputTokens),
      cacheRead: count(u.cacheReadTokens),
      cacheWrite: count(u.cacheWriteTokens),
      reasoning: count(u.reasoningTokens),
      requests: isObject(metric.requests) ? count(metric.requests.count) : 0,
    };
    // cumulative since the counters last started; a total below the previous one means they restarted
    const last = totalsOf(prevAll[model]);
    const prev = last && now.input >= last.input ? last : undefined;
    prevAll[model] = TOTALS.map((k) => now[k]);
    const d = (k: keyof Totals) => Math.max(0, now[k] - (prev ? prev[k] : 0));
    const delta: Totals = { input: d('input'), output: d('output'), cacheRead: d('cacheRead'), cacheWrite: d('cacheWrite'), reasoning: d('reasoning'), requests: d('requests') };
    if (delta.input + delta.output + delta.cacheRead + delta.cacheWrite + delta.reasoning + delta.requests === 0) continue;
    const record: KeyedUsage = {
      key: `${session}:${model}:${eventKey}`,
      ts,
      model,
      project: state.project ?? '(unknown)',
      session,
      branch: state.branch ?? '',
      input: Math.max(0, delta.input - delta.cacheRead - delta.cacheWrite),
      output: delta.output,
      cacheWrite5m: delta.cacheWrite,
      cacheWrite1h: 0,
      cacheRead: delta.cacheRead,
      reasoning: Math.min(delta.reasoning, delta.output),
      webSearch: 0,
      requests: delta.requests,
    };
    out.records.push(record);
  }
  state.pending = false;
}

/** CLI 1.0.66 and later restore the counters from the last shutdown on resume (a prerelease counts as its release). */
function restoresOnResume(version: unknown): boolean {
  const m = typeof version === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return major !== 1 ? major > 1 : minor !== 0 ? minor > 0 : patch >= 66;
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
