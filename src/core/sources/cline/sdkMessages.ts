import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DocumentParser, FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import { normaliseSdkTokens } from './sdkTokens';

/**
 * `<sessions>/<sessionId>/<stem>.messages.json` of the SDK-based Cline (the VS Code extension since the SDK migration,
 * cline/cline 94f5a47a, and the Cline CLI). All citations: cline/cline @ 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4.
 *
 * The file (sdk/packages/core/src/services/session-data.ts `buildMessagesFilePayload`; contract
 * sdk/packages/core/docs/messages-contract-v1.md) is one JSON object
 * `{ version: 1, updated_at, agent: "lead"|"subagent"|"teammate", sessionId, taskType?, origin, messages[], system_prompt? }`,
 * REWRITTEN WHOLE after every turn with a plain `writeFileSync` (session/stores/session-manifest-store.ts
 * `persistSessionMessages`): a read may catch it truncated → `incomplete`, read again on its next change.
 * The lead agent's file is `<sessionId>.messages.json`; a subagent's / teammate's is `<agentId>[__<teamTaskId>]`
 * `.messages.json` in its root session's folder (services/session-artifacts.ts `subagentArtifactPaths`).
 *
 * A message: `{ id, role: "user"|"assistant", content: [blocks], ts?, modelInfo?: { id, provider, family? },
 * metrics?: { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cost? } }`. The agent loop creates one
 * assistant message per model call (sdk/packages/agents/src/agent-runtime.ts: `createMessage` gives
 * `id: "msg_<nanoid(8)>"`, `createdAt: Date.now()` when the reply has streamed; `metrics = usageDelta(usage before
 * the call, usage after)` — that one request's usage, absent when it reported none), persisted with `ts = createdAt`
 * (runtime/config/agent-message-codec.ts `agentMessageToMessageWithMetadata`). When a run's messages carry no
 * per-call metrics, the run's total is stamped on its last assistant message (session-data.ts
 * `withLatestAssistantTurnMetadata`). Either way: ONE record per assistant message with `metrics`, 1 request.
 *
 * Keys: `sdk:<message id>`. The id is kept across resumes and forks (agent-message-codec.ts
 * `messageToAgentMessages`: `baseId = message.id`; a CLI fork starts its new session with the parent's messages,
 * apps/cli/src/runtime/interactive/session-runtime.ts), so a request copied into a fork is counted once.
 * Compaction does not remove them from this file (the compacted view is a sidecar `<id>.compaction.json`,
 * session-manifest-store.ts `persistSessionCompactionState`: "Canonical history is unchanged"); a message that does
 * disappear (checkpoint restore, older SDK compaction) was billed: 'keep'.
 *
 * A classic task resumed in the SDK extension keeps its task id as session id and is started with its
 * api_conversation_history converted to messages, followed by a user message LEGACY_RESUME_MODEL_WARNING; the last
 * converted assistant message is stamped with the WHOLE classic task's totals (`historyItem.tokensIn + cacheReads +
 * cacheWrites`, …; apps/vscode/src/sdk/legacy-task-handling.ts `legacyApiHistoryToSdkMessages`, sdk-task-resume.ts
 * `prepareTaskResumeStartInput`). Those requests are already counted, one by one under `<taskId>:<ts>`, from the
 * classic `ui_messages.json` (vscodeTaskLogs/parser.ts); the stamped sum has no per-request times, so it cannot be
 * given the same keys: every assistant message before the warning is NOT counted here.
 *
 * Project: `workspace_root` (else `cwd`) of the session's manifest `<sessionId>/<sessionId>.json`
 * (session/models/session-manifest.ts; the same columns as sessions.db's `sessions` table, which holds no usage:
 * sdk/packages/shared/src/db/sqlite-db.ts). Its `model` / `provider` are the fallback for a message without
 * `modelInfo`.
 */
export const LEGACY_RESUME_MODEL_WARNING =
  'Warning: this is a legacy conversation, which means tool names may have changed. Please use the most up-to-date tools you are aware of.';

export const sdkMessagesParser: DocumentParser = { kind: 'document', vanished: 'keep', parseDocument: parseSdkMessages };

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

interface Manifest {
  workspace?: string;
  model?: string;
  provider?: string;
}

function readManifest(messagesPath: string): Manifest {
  const dir = dirname(messagesPath);
  try {
    const m = JSON.parse(readFileSync(join(dir, `${basename(dir)}.json`), 'utf8')) as Record<string, unknown>;
    return { workspace: str(m.workspace_root) ?? str(m.cwd), model: str(m.model), provider: str(m.provider) };
  } catch {
    return {};
  }
}

function hasLegacyWarning(content: unknown): boolean {
  if (typeof content === 'string') return content.includes(LEGACY_RESUME_MODEL_WARNING);
  if (!Array.isArray(content)) return false;
  return content.some((b) => b && typeof b === 'object' && typeof (b as { text?: unknown }).text === 'string' && (b as { text: string }).text.includes(LEGACY_RESUME_MODEL_WARNING));
}

function toolsOf(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  const tools: string[] = [];
  for (const b of content) {
    if (b && typeof b === 'object' && (b as { type?: unknown }).type === 'tool_use') {
      const name = str((b as { name?: unknown }).name);
      if (name) tools.push(name);
    }
  }
  return tools;
}

export function parseSdkMessages(text: string, file: FileInfo): SourceOutput & { incomplete?: boolean } {
  const out: SourceOutput & { incomplete?: boolean } = { records: [], malformed: 0 };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // empty or cut off mid-write (plain writeFileSync): read again on the next change, nothing counted before is lost
    out.incomplete = true;
    return out;
  }
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || !Array.isArray(d.messages)) {
    out.malformed++;
    return out;
  }
  const messages = d.messages as unknown[];
  const session = str(d.sessionId) ?? (file.session || basename(dirname(file.path)));
  const subagent = d.agent === 'subagent' || d.agent === 'teammate';

  let legacyEnd = -1;
  messages.forEach((m, i) => {
    if (m && typeof m === 'object' && hasLegacyWarning((m as { content?: unknown }).content)) legacyEnd = i;
  });

  let manifest: Manifest | undefined;
  const seen = new Map<string, number>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!m || typeof m !== 'object') {
      out.malformed++;
      continue;
    }
    const msg = m as Record<string, unknown>;
    if (msg.role !== 'assistant' || msg.metrics === undefined) continue;
    if (i < legacyEnd) continue; // a resumed classic task's history: counted from its ui_messages.json
    const metrics = msg.metrics as Record<string, unknown> | null;
    const ts = msg.ts;
    if (!metrics || typeof metrics !== 'object' || typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
      out.malformed++;
      continue;
    }
    manifest ??= readManifest(file.path);
    const mi = msg.modelInfo as { id?: unknown; provider?: unknown } | undefined;
    const model = str(mi?.id) ?? manifest.model ?? '';
    const provider = str(mi?.provider) ?? manifest.provider;
    const t = normaliseSdkTokens({
      inputTokens: n(metrics.inputTokens),
      outputTokens: n(metrics.outputTokens),
      cacheReadTokens: n(metrics.cacheReadTokens),
      cacheWriteTokens: n(metrics.cacheWriteTokens),
    });
    const id = str(msg.id);
    const rec: KeyedUsage = {
      key: id ? `sdk:${id}` : `sdk:${session}:${ts}`,
      ts,
      model,
      project: manifest.workspace ?? (file.project || '(unknown)'),
      session,
      branch: '',
      input: t.input,
      output: t.output,
      cacheWrite5m: t.cacheWrite,
      cacheWrite1h: 0,
      cacheRead: t.cacheRead,
      reasoning: Math.min(n(metrics.reasoningTokenCount), t.output),
      webSearch: 0,
      requests: 1,
      tier: 'standard',
      tools: toolsOf(msg.content),
    };
    if (typeof metrics.cost === 'number' && Number.isFinite(metrics.cost)) rec.agentCostUsd = metrics.cost;
    if (provider) rec.provider = provider;
    if (subagent) rec.subagent = true;
    const dup = seen.get(rec.key);
    if (dup !== undefined) out.records[dup] = rec; // the same message twice: the later copy wins
    else {
      seen.set(rec.key, out.records.length);
      out.records.push(rec);
    }
  }
  if (manifest?.workspace) out.projects = [{ project: manifest.workspace, displayPath: manifest.workspace }];
  return out;
}
