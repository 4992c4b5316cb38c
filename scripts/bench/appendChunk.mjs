// Builds the ~100 KB appends for the warm-refresh measurement: new lines that continue an existing log file
// (same session, new API calls; Codex: cumulative totals continued from the file's last token_count).
import { readFileSync } from 'node:fs';
import * as L from './claudeLines.mjs';

function lastLines(path, n) {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').filter((l) => l.length > 0).slice(-n);
}

/** @param {ReturnType<import('./prng.mjs').createRng>} rng @param {any} pool */
export function claudeAppend(rng, pool, target, bytes = 100_000) {
  const meta = lastLines(target, 200).map((l) => { try { return JSON.parse(l); } catch { return null; } })
    .filter((o) => o?.sessionId && o.cwd && o.timestamp).pop();
  const s = { sessionId: meta.sessionId, cwd: meta.cwd, version: meta.version ?? '2.1.50', branch: meta.gitBranch ?? 'main', sidechain: false, agentId: null, slug: null };
  let ts = Date.parse(meta.timestamp) + 60_000;
  let parent = meta.uuid ?? null;
  const iso = () => {
    ts += rng.int(300, 20_000);
    return new Date(ts).toISOString();
  };
  const out = [];
  let size = 0, calls = 0;
  const push = (line) => { out.push(line); size += Buffer.byteLength(line) + 1; };
  const prompt = rng.uuid();
  push(L.userPromptLine(s, parent, prompt, iso(), pool.text(400)));
  parent = prompt;
  while (size < bytes) {
    const call = { model: 'claude-sonnet-4-5-20250929', messageId: `msg_01${rng.b58(22)}`, requestId: `req_011C${rng.b58(20)}` };
    const u = { input: rng.int(1, 9), cw5m: rng.int(500, 6_000), cw1h: 0, cacheRead: rng.int(40_000, 120_000), output: rng.int(40, 2_000), webSearch: 0 };
    const toolId = `toolu_01${rng.b58(22)}`;
    const blocks = [`{"type":"text","text":"${pool.text(300)}"}`, `{"type":"tool_use","id":"${toolId}","name":"Bash","input":{"command":"npm test","description":"run tests"}}`];
    blocks.forEach((b, i) => {
      const last = i === blocks.length - 1;
      const uuid = rng.uuid();
      push(L.assistantLine(s, parent, uuid, iso(), call, b, last ? 'tool_use' : null, last ? u : { ...u, output: rng.int(1, 8) }));
      parent = uuid;
    });
    calls++;
    const c = pool.text(rng.int(4_000, 16_000));
    const uuid = rng.uuid();
    push(L.toolResultLine(s, parent, uuid, iso(), toolId, parent, c, `{"stdout":"${c}","stderr":"","interrupted":false,"isImage":false}`));
    parent = uuid;
  }
  return { text: `${out.join('\n')}\n`, calls };
}

/** @param {ReturnType<import('./prng.mjs').createRng>} rng @param {any} pool */
export function codexAppend(rng, pool, target, bytes = 100_000) {
  const events = lastLines(target, 400).map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
  const lastTc = events.filter((e) => e.type === 'event_msg' && e.payload?.type === 'token_count' && e.payload.info).pop();
  const t = lastTc ? { ...lastTc.payload.info.total_token_usage } : { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 };
  let ts = Date.parse(events[events.length - 1].timestamp) + 60_000;
  const iso = () => {
    ts += rng.int(300, 20_000);
    return new Date(ts).toISOString();
  };
  const env = (type, payload) => `{"timestamp":"${iso()}","type":"${type}","payload":${payload}}`;
  const usage = (u) => `{"input_tokens":${u.input_tokens},"cached_input_tokens":${u.cached_input_tokens},"output_tokens":${u.output_tokens},"reasoning_output_tokens":${u.reasoning_output_tokens},"total_tokens":${u.input_tokens + u.output_tokens}}`;
  const out = [];
  let size = 0, calls = 0;
  const push = (line) => { out.push(line); size += Buffer.byteLength(line) + 1; };
  push(env('turn_context', `{"cwd":"/home/dev/src/agentmeter","approval_policy":"on-request","model":"gpt-5.3-codex","effort":"medium","summary":"auto"}`));
  while (size < bytes) {
    const input = rng.int(60_000, 150_000), cached = input - rng.int(500, 5_000), output = rng.int(50, 3_000);
    const last = { input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: Math.round(output / 3) };
    for (const k of Object.keys(last)) t[k] += last[k];
    push(env('response_item', `{"type":"reasoning","summary":[],"content":null,"encrypted_content":"gAAAAAB${rng.b64(2_000)}"}`));
    push(env('event_msg', `{"type":"token_count","info":{"total_token_usage":${usage(t)},"last_token_usage":${usage(last)},"model_context_window":258400},"rate_limits":null}`));
    calls++;
    push(env('response_item', `{"type":"function_call_output","call_id":"call_${rng.b58(24)}","output":"${pool.text(rng.int(3_000, 12_000))}"}`));
  }
  return { text: `${out.join('\n')}\n`, calls };
}

/**
 * `n` successive changes to a Claude session log, each one API call as Claude Code writes it (a streaming copy with
 * a placeholder output_tokens, then the final line), continuing the file's session, timed from `nowMs` on.
 * @param {ReturnType<import('./prng.mjs').createRng>} rng @param {any} pool
 * @returns {string[]} the text of each change
 */
export function claudeCallAppends(rng, pool, target, n, nowMs) {
  const meta = lastLines(target, 5).map((l) => { try { return JSON.parse(l); } catch { return null; } })
    .filter((o) => o?.sessionId && o.cwd && o.timestamp).pop();
  const s = { sessionId: meta.sessionId, cwd: meta.cwd, version: meta.version ?? '2.1.50', branch: meta.gitBranch ?? 'main', sidechain: false, agentId: null, slug: meta.slug ?? null };
  let parent = meta.uuid ?? null;
  const model = meta.message?.model ?? 'claude-sonnet-4-5-20250929';
  const out = [];
  for (let i = 0; i < n; i++) {
    const call = { model, messageId: `msg_01${rng.b58(22)}`, requestId: `req_011C${rng.b58(20)}` };
    const u = { input: rng.int(1, 9), cw5m: rng.int(500, 6_000), cw1h: 0, cacheRead: rng.int(40_000, 120_000), output: rng.int(40, 2_000), webSearch: 0 };
    const u1 = rng.uuid(), u2 = rng.uuid();
    const ts = nowMs + i * 1_000;
    out.push(
      L.assistantLine(s, parent, u1, new Date(ts - 400).toISOString(), call, `{"type":"text","text":"${pool.text(120)}"}`, null, { ...u, output: rng.int(1, 8) }) + '\n' +
      L.assistantLine(s, u1, u2, new Date(ts).toISOString(), call, `{"type":"tool_use","id":"toolu_01${rng.b58(22)}","name":"Bash","input":{"command":"npm test","description":"run tests"}}`, 'tool_use', u) + '\n',
    );
    parent = u2;
  }
  return out;
}
