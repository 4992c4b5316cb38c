import { basename, dirname } from 'node:path';
import type { DocumentParser, FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import type { ClineFamily } from './family';
import { modelInUseAt, modelNearAfter, readSiblings, type ModelAt } from './siblings';
import { normaliseTokens } from './tokens';
import { toolOfRow } from './tools';

/**
 * `tasks/<taskId>/ui_messages.json` of Cline, Roo Code and Kilo Code: a JSON array of ClineMessage rows
 * (`{ ts, type: "say"|"ask", say?, ask?, text?, partial?, modelInfo? }`), rewritten whole on every change
 * (cline/cline apps/vscode/src/core/storage/disk.ts `saveClineMessages`, atomic temp-file + rename in newer
 * versions, a plain write in older ones — so a read may catch it truncated: `incomplete`).
 *
 * One record per usage row:
 *  - `say: "api_req_started"`: one API request. Its `text` is a JSON string `{ request?, tokensIn, tokensOut,
 *    cacheWrites, cacheReads, cost, cancelReason?, streamingFailedMessage?, apiProtocol? (Roo) }`, written as a
 *    placeholder when the request starts and UPDATED IN PLACE (same row, same ts) as usage chunks arrive and when the
 *    stream ends or is cancelled (cline/cline apps/vscode/src/core/task/index.ts `updateApiReqMsgFromMetrics`,
 *    task/utils.ts `updateApiReqMsg` @ b2b29678a2aa0500371faf418a7ad49a175b7af3; Roo src/core/task/Task.ts
 *    `updateApiReqMsg` @ cb836567180a3ff1da6d082f3178b90c3bd22a70). Key `<taskId>:<ts of the row>`: the same
 *    request read again (grown, or from a copy of the task) replaces what was counted.
 *  - `say: "deleted_api_reqs"` (Cline only; Roo's `api_req_deleted` is not counted, see family.ts `vanished`):
 *    a checkpoint restore removes the rows after the restore point and adds one row with their summed metrics
 *    (cline/cline apps/vscode/src/integrations/checkpoints/index.ts, summed by shared/getApiMetrics.ts): its
 *    tokens count, as 0 requests. Cline's parser is 'replace': the removed rows leave the store and this row
 *    brings their tokens back (dated at the restore).
 *  - `say: "subagent_usage"` (the SDK-based Cline, shared/ExtensionMessage.ts ClineSubagentUsageInfo @ 21cb8d25):
 *    a subagent batch's summed usage; 0 requests, subagent.
 *
 * Requests: a row with no usage field at all is a request still streaming (or abandoned before any usage: Cline
 * itself drops it on resume, task/index.ts resumeTaskFromHistory) — not counted until it has usage. A row with
 * all-zero tokens and a `cancelReason` / `streamingFailedMessage` is an attempt that failed or was cancelled before
 * the provider reported anything (task/index.ts writes exactly that for a failed first chunk before an automatic
 * retry, which then reuses the row) — NOT counted as a request. A cancelled / failed row that carries tokens is
 * counted with them (the provider billed them). A finished row with all-zero usage and no cancel reason counts as 1
 * request with 0 tokens (the provider returned no usage). Retry notices (`error_retry`, `api_req_retried`,
 * `api_req_failed`, Roo `api_req_retry_delayed`) carry no usage and are not requests.
 */
export function uiMessagesParser(family: ClineFamily): DocumentParser {
  return { kind: 'document', vanished: family.vanished, parseDocument: (text, file) => parseUiMessages(family, text, file) };
}

interface UsageRow {
  ts: number;
  kind: 'api_req_started' | 'deleted_api_reqs' | 'subagent_usage';
  info: Record<string, unknown>;
  model?: string;
  provider?: string;
  tools: string[];
  toolTs: Set<number>;
  /** a legacy api_req_finished row was merged in */
  finished?: boolean;
}

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const WORKSPACE = /# Current (?:Working|Workspace) Directory \(([^)\n]{1,1000})\) Files/;

export function parseUiMessages(family: ClineFamily, text: string, file: FileInfo): SourceOutput & { incomplete?: boolean } {
  const out: SourceOutput & { incomplete?: boolean } = { records: [], malformed: 0 };
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    // empty or cut off mid-rewrite: read again on the next change, nothing counted before is lost
    out.incomplete = true;
    return out;
  }
  if (!Array.isArray(rows)) {
    out.malformed++;
    return out;
  }
  const taskId = file.session || basename(dirname(file.path));

  const usage: UsageRow[] = [];
  let current: UsageRow | undefined;
  let workspace: string | undefined;
  for (const row of rows) {
    if (!row || typeof row !== 'object') {
      out.malformed++;
      continue;
    }
    const r = row as Record<string, unknown>;
    const ts = r.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
      out.malformed++;
      continue;
    }
    const say = r.type === 'say' ? r.say : undefined;
    if (say === 'api_req_started' || (say === 'deleted_api_reqs' && family.vanished === 'replace') || say === 'subagent_usage') {
      let info: unknown;
      try {
        info = typeof r.text === 'string' && r.text ? JSON.parse(r.text) : {};
      } catch {
        info = undefined;
      }
      if (!info || typeof info !== 'object') {
        out.malformed++;
        continue;
      }
      const i = info as Record<string, unknown>;
      if (!workspace && typeof i.request === 'string') workspace = WORKSPACE.exec(i.request)?.[1];
      const mi = r.modelInfo as { modelId?: unknown; providerId?: unknown } | undefined;
      const entry: UsageRow = {
        ts,
        kind: say,
        info: i,
        model: typeof mi?.modelId === 'string' && mi.modelId ? mi.modelId : undefined,
        provider: typeof mi?.providerId === 'string' && mi.providerId ? mi.providerId : undefined,
        tools: [],
        toolTs: new Set(),
      };
      usage.push(entry);
      if (say === 'api_req_started') current = entry;
      continue;
    }
    if (say === 'api_req_finished') {
      // Legacy Cline (before usage was written into api_req_started): the usage is in a following
      // `api_req_finished` row, merged into its api_req_started as cline/cline apps/vscode/src/shared/
      // combineApiRequests.ts does (@ 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4).
      try {
        const fin = typeof r.text === 'string' && r.text ? JSON.parse(r.text) : undefined;
        if (current && !current.finished && fin && typeof fin === 'object') {
          Object.assign(current.info, fin);
          current.finished = true;
        }
      } catch {
        out.malformed++;
      }
      continue;
    }
    if (!current) continue;
    const tool = toolOfRow(r.type, r.type === 'ask' ? r.ask : r.say, r.text);
    if (!tool || current.toolTs.has(ts)) continue;
    if (tool === 'attempt_completion' && current.tools.includes(tool)) continue;
    current.toolTs.add(ts);
    current.tools.push(tool);
  }

  const needsModel = usage.some((u) => !u.model);
  const sib = usage.length > 0 ? readSiblings(file.path, taskId, { model: needsModel, workspace: !workspace }) : undefined;
  if (!workspace) workspace = sib?.workspace;
  const project = workspace ?? (file.project || '(unknown)');
  if (workspace) out.projects = [{ project: workspace, displayPath: workspace }];

  const seen = new Map<string, number>();
  for (const u of usage) {
    const i = u.info;
    const has = isNum(i.tokensIn) || isNum(i.tokensOut) || isNum(i.cacheWrites) || isNum(i.cacheReads) || isNum(i.cost);
    if (!has) continue; // still streaming (placeholder) or abandoned before any usage
    const raw = { tokensIn: n(i.tokensIn), tokensOut: n(i.tokensOut), cacheWrites: n(i.cacheWrites), cacheReads: n(i.cacheReads) };
    const total = raw.tokensIn + raw.tokensOut + raw.cacheWrites + raw.cacheReads;
    const failed = typeof i.cancelReason === 'string' || typeof i.streamingFailedMessage === 'string';
    if (total === 0 && n(i.cost) === 0 && (failed || u.kind !== 'api_req_started')) continue;

    let at: ModelAt | undefined = u.model ? { ts: u.ts, model: u.model, provider: u.provider } : undefined;
    if (!at && sib) at = modelInUseAt(sib.modelUsage, u.ts) ?? modelNearAfter(sib.historyModels, u.ts);
    const model = at?.model ?? sib?.taskModel ?? '';
    const provider = u.provider ?? at?.provider;
    const apiProtocol = typeof i.apiProtocol === 'string' ? i.apiProtocol : undefined;
    const t = normaliseTokens(family, raw, { provider, apiProtocol, ts: u.ts });

    const rec: KeyedUsage = {
      key: `${taskId}:${u.ts}`,
      ts: u.ts,
      model,
      project,
      session: taskId,
      branch: '',
      input: t.input,
      output: t.output,
      cacheWrite5m: t.cacheWrite,
      cacheWrite1h: 0,
      cacheRead: t.cacheRead,
      reasoning: 0,
      webSearch: 0,
      requests: u.kind === 'api_req_started' ? 1 : 0,
      tier: 'standard',
      tools: u.tools,
    };
    if (isNum(i.cost)) rec.agentCostUsd = i.cost as number;
    if (provider) rec.provider = provider;
    if (u.kind === 'subagent_usage' || sib?.subtask) rec.subagent = true;
    const dup = seen.get(rec.key);
    if (dup !== undefined) out.records[dup] = rec; // the same row twice: the later copy wins
    else {
      seen.set(rec.key, out.records.length);
      out.records.push(rec);
    }
  }
  return out;
}
