// The per-change measurements of `--year --mix` on the other sources: one Gemini CLI message appended to a session
// log, and one Cline request row updated in place (its `ui_messages.json` rewritten whole with the row's grown usage,
// as Cline does while a response streams: task/utils.ts `updateApiReqMsg`, same row, same ts).
import { readFileSync } from 'node:fs';

/** `n` appends of one Gemini message each (with its `$set` line), in the session's format (mixGemini.mjs). */
export function geminiAppends(rng, target, n, nowMs) {
  const model = /"model":"([^"]+)"/.exec(readFileSync(target, 'utf8').slice(-4_000))?.[1] ?? 'gemini-2.5-pro';
  const out = [];
  for (let i = 0; i < n; i++) {
    const ts = new Date(nowMs + i * 1_000).toISOString();
    const prompt = rng.int(20_000, 90_000);
    const cached = Math.floor(prompt * 0.8);
    const tokens = { input: prompt, output: rng.int(40, 900), cached, thoughts: rng.int(0, 400), tool: 0 };
    const msg = { id: rng.uuid(), timestamp: ts, type: 'gemini', content: 'Done: the tests pass.', thoughts: [], model, tokens: { ...tokens, total: tokens.input + tokens.output + tokens.thoughts } };
    out.push(`${JSON.stringify(msg)}\n${JSON.stringify({ $set: { lastUpdated: ts } })}\n`);
  }
  return out;
}

/** `n` successive versions of a Cline task's ui_messages.json, each with its last request row's output grown. */
export function clineUpdates(target, n) {
  const rows = JSON.parse(readFileSync(target, 'utf8'));
  const row = rows.filter((r) => r.say === 'api_req_started').pop();
  const info = JSON.parse(row.text);
  const out = [];
  for (let i = 0; i < n; i++) {
    info.tokensOut += 100;
    info.cost = Math.round((info.cost + 0.0015) * 1e6) / 1e6;
    row.text = JSON.stringify(info);
    out.push(JSON.stringify(rows));
  }
  return out;
}
