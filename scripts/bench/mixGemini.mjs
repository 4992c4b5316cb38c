// A year of Gemini CLI and Qwen Code sessions for the add-on corpus (mixCorpus.mjs), in their on-disk formats as the
// fixtures under src/core/sources/gemini/fixtures and src/core/sources/qwen/fixtures show them (the shapes and the
// citations of the agents' source code are there; the token rules are src/core/sources/gemini/tokens.ts).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { count, writeLog } from './mixTruth.mjs';
import { sessionTimes, splitCalls } from './yearCalendar.mjs';

const GEMINI_MODELS = [['gemini-2.5-pro', 5], ['gemini-2.5-flash', 4], ['gemini-3-pro-preview', 1]];
const QWEN_MODELS = [['qwen3-coder-plus', 7], ['qwen3-coder-flash', 3]];
const TOOLS = ['read_file', 'replace', 'run_shell_command', 'glob', 'search_file_content', 'write_file'];
const iso = (ms) => new Date(ms).toISOString();
const gap = (rng) => () => rng.logUniform(4_000, 150_000);

/** Raw usage of one response: prompt (cache hits inside), cached, candidates, thoughts, tool-use prompt. */
function rawUsage(rng) {
  const prompt = rng.logUniform(3_000, 180_000);
  const cached = rng.chance(0.8) ? Math.floor(prompt * (0.5 + 0.45 * rng.next())) : 0;
  const candidates = rng.logUniform(20, 4_000);
  const thoughts = rng.chance(0.5) ? rng.logUniform(30, 3_000) : 0;
  const tool = rng.chance(0.03) ? rng.logUniform(100, 2_000) : 0;
  return { prompt, cached, candidates, thoughts, tool };
}

/**
 * Gemini CLI: `<home>/.gemini/tmp/<project slug>/chats/session-<time>-<id8>.jsonl` (+ `.project_root`); a session's
 * metadata line, user messages, `$set` updates, and per call a `type:'gemini'` message with its `tokens` — a third of
 * them first written with `tokens: null` and appended again under the same id with the tokens (the store keeps the
 * last); some sessions' last calls in a subagent's log `chats/<session id>/<subagent session id>.jsonl`.
 * Truth (gemini/tokens.ts `normalise`, thoughts apart from candidates): input = prompt − cached + tool,
 * output = candidates + thoughts, cacheRead = cached, reasoning = thoughts; one request per message.
 */
export function writeGeminiYear({ rng, pool, home, days, callsByDay, truth }) {
  const projects = Array.from({ length: 12 }, (_, i) => `proj-${i.toString(36)}-${pool.phrase(1)}`);
  const tmp = join(home, '.gemini', 'tmp');
  for (const p of projects) writeLog({ files: 0, bytes: 0 }, join(tmp, p, '.project_root'), `/home/dev/${p}\n`);
  days.forEach((day, i) => {
    const n = callsByDay[i];
    if (n === 0) return;
    for (const calls of splitCalls(rng, n, Math.ceil(n / 20))) {
      const slug = rng.pick(projects);
      const times = sessionTimes(rng, day, calls, gap(rng));
      const sessionId = rng.uuid();
      const projectHash = createHash('sha256').update(`/home/dev/${slug}`).digest('hex');
      const chats = join(tmp, slug, 'chats');
      const stamp = iso(times[0] - 2_000).slice(0, 16).replace(':', '-');
      const sub = calls >= 4 && rng.chance(0.1) ? Math.min(3, calls - 1) : 0;
      const main = [JSON.stringify({ sessionId, projectHash, startTime: iso(times[0] - 2_000), lastUpdated: iso(times[0] - 2_000) })];
      const subId = rng.uuid();
      const subStart = iso((sub ? times[calls - sub] : times[0]) - 500);
      const subLines = [JSON.stringify({ sessionId: subId, projectHash, startTime: subStart, lastUpdated: subStart, kind: 'subagent', directories: [`/home/dev/${slug}`] })];
      times.forEach((t, k) => {
        const lines = k >= calls - sub ? subLines : main;
        if (k === 0 || rng.chance(0.35)) {
          lines.push(JSON.stringify({ id: rng.uuid(), timestamp: iso(t - 1_500), type: 'user', content: [{ text: pool.phrase(rng.int(4, 16)) }] }));
          lines.push(JSON.stringify({ $set: { lastUpdated: iso(t - 1_499) } }));
        }
        const u = rawUsage(rng);
        const model = rng.weighted(GEMINI_MODELS);
        const total = u.prompt + u.candidates + u.thoughts + u.tool;
        const tool = rng.chance(0.6) ? rng.pick(TOOLS) : undefined;
        const id = rng.uuid();
        const msg = {
          id, timestamp: iso(t), type: 'gemini', content: tool ? '' : pool.phrase(rng.int(8, 40)),
          ...(tool ? { toolCalls: [{ id: `${tool}-${t}-0`, name: tool, args: { absolute_path: `/home/dev/${slug}/src/${pool.phrase(1)}.ts` }, status: 'success', timestamp: iso(t), resultDisplay: '', renderOutputAsMarkdown: true }] } : {}),
          thoughts: u.thoughts ? [{ subject: pool.phrase(3), description: pool.phrase(rng.int(6, 20)), timestamp: iso(t - 800) }] : [],
        };
        if (rng.chance(1 / 3)) lines.push(JSON.stringify({ ...msg, tokens: null, model }));
        lines.push(JSON.stringify({ ...msg, model, tokens: { input: u.prompt, output: u.candidates, cached: u.cached, thoughts: u.thoughts, tool: u.tool, total } }));
        lines.push(JSON.stringify({ $set: { lastUpdated: iso(t + 1) } }));
        count(truth, { requests: 1, input: u.prompt - u.cached + u.tool, output: u.candidates + u.thoughts, cacheRead: u.cached, reasoning: u.thoughts });
      });
      writeLog(truth, join(chats, `session-${stamp}-${sessionId.slice(0, 8)}.jsonl`), `${main.join('\n')}\n`);
      if (sub) writeLog(truth, join(chats, sessionId, `${subId}.jsonl`), `${subLines.join('\n')}\n`);
    }
  });
}

/**
 * Qwen Code: `<home>/.qwen/projects/<sanitized cwd>/chats/<sessionId>.jsonl`, one ChatRecord a line (uuid chain,
 * cwd, gitBranch): user records, per call the UI telemetry record of the response (a copy of the main
 * conversation's usage: not counted) and the `assistant` record with the API's `usageMetadata` (OpenAI-compatible:
 * candidates include the thoughts, total = prompt + candidates), tool results; now and then a subagent's telemetry
 * record (its only record on disk: counted, as a subagent call).
 * Truth (gemini/tokens.ts with Qwen's convention): input = prompt − cached, output = candidates, cacheRead = cached,
 * reasoning = thoughts.
 */
export function writeQwenYear({ rng, pool, home, days, callsByDay, truth }) {
  const cwds = Array.from({ length: 8 }, (_, i) => `/home/dev/work/${pool.phrase(1)}-${i}`);
  const root = join(home, '.qwen', 'projects');
  days.forEach((day, i) => {
    const n = callsByDay[i];
    if (n === 0) return;
    for (const calls of splitCalls(rng, n, Math.ceil(n / 25))) {
      const cwd = rng.pick(cwds);
      const sessionId = rng.uuid();
      const branch = rng.pick(['main', 'main', 'develop', `feature/${pool.phrase(1)}`]);
      const lines = [];
      let parent = null;
      const rec = (t, type, extra) => {
        const uuid = rng.uuid();
        lines.push(JSON.stringify({ uuid, parentUuid: parent, sessionId, timestamp: iso(t), type, cwd, version: '0.12.3', gitBranch: branch, ...extra }));
        parent = uuid;
      };
      for (const t of sessionTimes(rng, day, calls, gap(rng))) {
        if (lines.length === 0 || rng.chance(0.35)) rec(t - 2_000, 'user', { message: { role: 'user', parts: [{ text: pool.phrase(rng.int(4, 16)) }] } });
        const u = rawUsage(rng);
        const thoughts = Math.min(u.thoughts, u.candidates);
        const model = rng.weighted(QWEN_MODELS);
        const subagent = rng.chance(0.05);
        const ev = {
          'event.name': 'qwen-code.api_response', 'event.timestamp': iso(t), response_id: `chatcmpl-${rng.hex(8)}`, model, duration_ms: rng.int(800, 30_000), status_code: 200,
          input_token_count: u.prompt, output_token_count: u.candidates, cached_content_token_count: u.cached, thoughts_token_count: subagent ? 0 : thoughts, tool_token_count: 0,
          total_token_count: u.prompt + u.candidates, prompt_id: `${sessionId}########${lines.length}`, auth_type: 'qwen-oauth',
        };
        if (subagent) {
          const agent = `general-purpose-${rng.hex(4)}`;
          rec(t, 'system', { subtype: 'ui_telemetry', systemPayload: { uiEvent: { ...ev, subagent_id: agent, subagent_type: 'general-purpose', subagent_task_name: pool.phrase(4) } } });
          count(truth, { requests: 1, input: u.prompt - u.cached, output: u.candidates, cacheRead: u.cached, reasoning: 0 });
          continue;
        }
        rec(t, 'system', { subtype: 'ui_telemetry', systemPayload: { uiEvent: ev } });
        const tool = rng.chance(0.6) ? rng.pick(TOOLS) : undefined;
        const callId = `call_${rng.hex(8)}`;
        const parts = [...(thoughts ? [{ text: pool.phrase(rng.int(6, 20)), thought: true }] : []), { text: pool.phrase(rng.int(5, 30)) },
          ...(tool ? [{ functionCall: { id: callId, name: tool, args: { absolute_path: `${cwd}/src/${pool.phrase(1)}.ts` } } }] : [])];
        rec(t + 5, 'assistant', { model, message: { role: 'model', parts }, usageMetadata: { promptTokenCount: u.prompt, candidatesTokenCount: u.candidates, thoughtsTokenCount: thoughts, totalTokenCount: u.prompt + u.candidates, cachedContentTokenCount: u.cached } });
        count(truth, { requests: 1, input: u.prompt - u.cached, output: u.candidates, cacheRead: u.cached, reasoning: thoughts });
        if (tool) {
          rec(t + 120, 'tool_result', { message: { role: 'user', parts: [{ functionResponse: { id: callId, name: tool, response: { output: pool.text(rng.logUniform(50, 4_000)) } } }] }, toolCallResult: { callId, status: 'success', resultDisplay: '', error: null } });
        }
      }
      writeLog(truth, join(root, cwd.replace(/[^a-zA-Z0-9]/g, '-'), 'chats', `${sessionId}.jsonl`), `${lines.join('\n')}\n`);
    }
  });
}
