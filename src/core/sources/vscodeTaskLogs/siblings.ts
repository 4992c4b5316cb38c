import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What a task's OTHER files say (the model, its provider, the workspace folder), read synchronously from disk by the
 * ui_messages.json parser. The DocumentParser contract hands over only the text of ui_messages.json; these files are
 * its siblings in the same `tasks/<taskId>/` folder (or, for Cline's task history, two folders up), only ever read,
 * never written. Each read is cached by (path, size, mtime) and only what is needed is kept (a few numbers and
 * strings per request), so re-parsing a growing ui_messages.json does not re-read an unchanged 10 MB history.
 * Any read or parse failure gives "nothing known" (never throws).
 */

export interface ModelAt {
  ts: number;
  model: string;
  provider?: string;
}

export interface TaskSiblings {
  /** model in use over time, from task_metadata.json `model_usage` (Cline), sorted by ts */
  modelUsage: ModelAt[];
  /** models per API-history message, sorted by ts (Cline: assistant `modelInfo`; Roo/Kilo: `<model>` in environment details) */
  historyModels: ModelAt[];
  /** the task's workspace folder when a sibling records it */
  workspace?: string;
  /** model recorded for the whole task (Cline's task history `modelId`) */
  taskModel?: string;
  /** the task was started by another task (Roo / Kilo `new_task` subtasks: history_item.json `parentTaskId`) */
  subtask?: boolean;
}

const MAX_SIBLING_BYTES = 64 * 1024 * 1024;
const MAX_CACHED = 256;
const cache = new Map<string, { size: number; mtimeMs: number; value: unknown }>();

/** Reads and derives one file, cached by its stamp; undefined when it is missing, too large or unreadable. */
function derived<T>(path: string, derive: (json: unknown) => T): T | undefined {
  let size: number;
  let mtimeMs: number;
  try {
    // a missing sibling is the usual case (Cline has no history_item.json, most homes no taskHistory.json): no exception
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > MAX_SIBLING_BYTES) return undefined;
    size = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    return undefined;
  }
  const key = path; // one derivation per file name
  const hit = cache.get(key);
  if (hit && hit.size === size && hit.mtimeMs === mtimeMs) return hit.value as T;
  let value: T | undefined;
  try {
    value = derive(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    value = undefined;
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, { size, mtimeMs, value });
  return value;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * task_metadata.json (Cline): `{ files_in_context, model_usage: [{ ts, model_id, model_provider_id, mode }],
 * environment_history }` (cline/cline apps/vscode/src/core/context/context-tracking/ContextTrackerTypes.ts
 * @ b2b29678a2aa0500371faf418a7ad49a175b7af3; an entry is added by ModelContextTracker.recordModelUsage before each
 * API request, task/index.ts). Roo's and Kilo's task_metadata.json hold only `files_in_context`.
 */
function modelUsage(json: unknown): ModelAt[] {
  const list = (json as { model_usage?: unknown })?.model_usage;
  if (!Array.isArray(list)) return [];
  const out: ModelAt[] = [];
  for (const e of list) {
    const model = str(e?.model_id);
    const ts = num(e?.ts);
    if (model && ts !== undefined) out.push({ ts, model, provider: str(e?.model_provider_id) });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

const MODEL_TAG = /<model>([^<\n]{1,200})<\/model>/;
const WORKSPACE = /# Current (?:Working|Workspace) Directory \(([^)\n]{1,1000})\) Files/;

/**
 * api_conversation_history.json: an array of Anthropic-style messages with `ts`.
 * Cline: assistant messages carry `modelInfo: { modelId, providerId, mode }` (task/index.ts, e.g. the
 * addToApiConversationHistory call after a stream, @ b2b29678a2aa0500371faf418a7ad49a175b7af3).
 * Roo / Kilo: the user message of each request ends with environment details holding `<model>${modelId}</model>`
 * (RooCodeInc/Roo-Code src/core/environment/getEnvironmentDetails.ts @ cb836567180a3ff1da6d082f3178b90c3bd22a70)
 * and, on the first request, `# Current Workspace Directory (<cwd>) Files` (Cline: `# Current Working Directory`).
 */
function historyModels(json: unknown): { models: ModelAt[]; workspace?: string } {
  if (!Array.isArray(json)) return { models: [] };
  const models: ModelAt[] = [];
  let workspace: string | undefined;
  for (const m of json) {
    const ts = num(m?.ts);
    const info = m?.modelInfo;
    if (ts !== undefined && str(info?.modelId)) {
      models.push({ ts, model: str(info.modelId)!, provider: str(info?.providerId) });
      continue;
    }
    if (m?.role !== 'user') continue;
    const content = Array.isArray(m.content) ? m.content : typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : [];
    for (const block of content) {
      const text = typeof block?.text === 'string' ? block.text : undefined;
      if (!text) continue;
      if (ts !== undefined) {
        const model = MODEL_TAG.exec(text)?.[1]?.trim();
        if (model) models.push({ ts, model });
      }
      if (!workspace) workspace = WORKSPACE.exec(text)?.[1];
    }
  }
  return { models: models.sort((a, b) => a.ts - b.ts), workspace };
}

/**
 * history_item.json (Roo, Kilo): the task's HistoryItem with `workspace` and, for a subtask, `parentTaskId`
 * (Roo packages/types/src/history.ts, written by src/core/task-persistence/TaskHistoryStore.ts @ cb836567).
 */
function historyItem(json: unknown): { workspace?: string; subtask: boolean } {
  const h = json as { workspace?: unknown; parentTaskId?: unknown };
  return { workspace: str(h?.workspace), subtask: str(h?.parentTaskId) !== undefined };
}

/**
 * Cline `<storage>/state/taskHistory.json`: HistoryItem[] with `id`, `cwdOnTaskInitialization`, `modelId`
 * (cline/cline apps/vscode/src/shared/HistoryItem.ts, core/storage/disk.ts getTaskHistoryStateFilePath
 * @ b2b29678a2aa0500371faf418a7ad49a175b7af3). Older Cline kept the history in VS Code's own state database only.
 */
function taskHistory(json: unknown): Map<string, { cwd?: string; model?: string }> {
  const out = new Map<string, { cwd?: string; model?: string }>();
  if (!Array.isArray(json)) return out;
  for (const h of json) {
    const id = str(h?.id);
    if (id) out.set(id, { cwd: str(h?.cwdOnTaskInitialization), model: str(h?.modelId) });
  }
  return out;
}

export interface SiblingNeeds {
  /** a request has no model of its own: look in task_metadata.json and the API history */
  model: boolean;
  /** the workspace is not known from ui_messages.json */
  workspace: boolean;
}

/** The siblings of one `tasks/<taskId>/ui_messages.json`, reading only what `needs` asks for. */
export function readSiblings(uiMessagesPath: string, taskId: string, needs: SiblingNeeds): TaskSiblings {
  const dir = dirname(uiMessagesPath);
  const out: TaskSiblings = { modelUsage: [], historyModels: [] };
  const item = derived(join(dir, 'history_item.json'), historyItem);
  out.subtask = item?.subtask;
  if (!needs.model && !needs.workspace) return out;
  if (needs.workspace) out.workspace = item?.workspace;
  const cline = derived(join(dir, '..', '..', 'state', 'taskHistory.json'), taskHistory)?.get(taskId);
  if (!out.workspace) out.workspace = cline?.cwd;
  out.taskModel = cline?.model;
  if (needs.model) out.modelUsage = derived(join(dir, 'task_metadata.json'), modelUsage) ?? [];
  if ((needs.model && out.modelUsage.length === 0) || !out.workspace) {
    const h = derived(join(dir, 'api_conversation_history.json'), historyModels);
    if (h) {
      out.historyModels = h.models;
      if (!out.workspace) out.workspace = h.workspace;
    }
  }
  return out;
}

/** The model in use at `ts` by task_metadata.json: the last entry recorded at or before it (else the first). */
export function modelInUseAt(list: readonly ModelAt[], ts: number): ModelAt | undefined {
  let found: ModelAt | undefined;
  for (const e of list) {
    if (e.ts <= ts) found = e;
    else break;
  }
  return found ?? list[0];
}

/**
 * The model of the API-history message that belongs to a request started at `ts`: the request's own messages are
 * written just after its `api_req_started` row, so the first one at or after `ts`, else the last before it.
 */
export function modelNearAfter(list: readonly ModelAt[], ts: number): ModelAt | undefined {
  for (const e of list) if (e.ts >= ts) return e;
  return list[list.length - 1];
}

/** For tests: forget cached sibling reads. */
export function clearSiblingCache(): void {
  cache.clear();
}
