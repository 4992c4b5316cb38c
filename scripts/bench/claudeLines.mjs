// Builders for Claude Code 2.1.x transcript lines, in the shapes of formats.md A.2-A.3 (one JSON object a line).
// Every string argument must already be JSON-safe (ids, paths, pool text).

/** Fields every transcript line of a session carries. */
export function linePrefix(s, parentUuid) {
  return (
    `{"parentUuid":${parentUuid ? `"${parentUuid}"` : 'null'},"isSidechain":${s.sidechain},"userType":"external",` +
    `"cwd":"${s.cwd}","sessionId":"${s.sessionId}","version":"${s.version}","gitBranch":"${s.branch}"` +
    (s.agentId ? `,"agentId":"${s.agentId}"` : '') +
    (s.slug ? `,"slug":"${s.slug}"` : '')
  );
}

/**
 * message.usage as Claude Code writes it. `u` = { input, cw5m, cw1h, cacheRead, output, webSearch }.
 * The 5m/1h split always sums to cache_creation_input_tokens.
 */
export function usageJson(u) {
  return (
    `{"input_tokens":${u.input},"cache_creation_input_tokens":${u.cw5m + u.cw1h},"cache_read_input_tokens":${u.cacheRead},` +
    `"cache_creation":{"ephemeral_5m_input_tokens":${u.cw5m},"ephemeral_1h_input_tokens":${u.cw1h}},` +
    `"output_tokens":${u.output},"server_tool_use":{"web_search_requests":${u.webSearch},"web_fetch_requests":0},` +
    `"service_tier":"standard","inference_geo":"not_available"}`
  );
}

/** One assistant line = one content block of an API response; all blocks share message.id, requestId and usage. */
export function assistantLine(s, parentUuid, uuid, iso, call, block, stopReason, usage) {
  return (
    linePrefix(s, parentUuid) +
    `,"message":{"model":"${call.model}","id":"${call.messageId}","type":"message","role":"assistant","content":[${block}],` +
    `"stop_reason":${stopReason ? `"${stopReason}"` : 'null'},"stop_sequence":null,"usage":${usageJson(usage)}},` +
    `"requestId":"${call.requestId}","type":"assistant","uuid":"${uuid}","timestamp":"${iso}"}`
  );
}

export function userPromptLine(s, parentUuid, uuid, iso, text) {
  return (
    linePrefix(s, parentUuid) +
    `,"type":"user","message":{"role":"user","content":"${text}"},"uuid":"${uuid}","timestamp":"${iso}","permissionMode":"default"}`
  );
}

/** A tool result: the text is written twice, in message.content and in toolUseResult (as real logs do). */
export function toolResultLine(s, parentUuid, uuid, iso, toolUseId, sourceUuid, content, toolUseResult) {
  return (
    linePrefix(s, parentUuid) +
    `,"type":"user","message":{"role":"user","content":[{"tool_use_id":"${toolUseId}","type":"tool_result","content":"${content}","is_error":false}]},` +
    `"uuid":"${uuid}","timestamp":"${iso}","toolUseResult":${toolUseResult},"sourceToolAssistantUUID":"${sourceUuid}"}`
  );
}

/** progress line; `data` is the JSON of the data object (agent_progress embeds a subagent message with its usage). */
export function progressLine(s, parentUuid, uuid, iso, data, toolUseId, parentToolUseId) {
  return (
    linePrefix(s, parentUuid) +
    `,"type":"progress","data":${data},"toolUseID":"${toolUseId}","parentToolUseID":"${parentToolUseId}","uuid":"${uuid}","timestamp":"${iso}"}`
  );
}

export function systemLine(s, parentUuid, uuid, iso, subtype, extra) {
  return `${linePrefix(s, parentUuid)},"type":"system","subtype":"${subtype}"${extra},"isMeta":false,"uuid":"${uuid}","timestamp":"${iso}"}`;
}

export function fileHistorySnapshotLine(messageUuid, iso) {
  return `{"type":"file-history-snapshot","messageId":"${messageUuid}","snapshot":{"messageId":"${messageUuid}","trackedFileBackups":{},"timestamp":"${iso}"},"isSnapshotUpdate":false}`;
}

export function queueOperationLine(s, iso, operation, content) {
  return `{"type":"queue-operation","operation":"${operation}","timestamp":"${iso}","sessionId":"${s.sessionId}"${content ? `,"content":"${content}"` : ''}}`;
}

/** Client-written API error line: model <synthetic>, zero usage, nulls that ccusage rejects. */
export function syntheticErrorLine(s, parentUuid, uuid, iso, messageUuid) {
  return (
    linePrefix(s, parentUuid) +
    `,"type":"assistant","uuid":"${uuid}","timestamp":"${iso}","message":{"id":"${messageUuid}","container":null,"model":"<synthetic>","role":"assistant",` +
    `"stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,` +
    `"cache_read_input_tokens":0,"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":null,` +
    `"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0}},` +
    `"content":[{"type":"text","text":"API Error: 529 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"overloaded_error\\",\\"message\\":\\"Overloaded\\"}}"}]},` +
    `"isApiErrorMessage":true}`
  );
}
