// The Codex part of the one-year corpus: a tenth of the Claude calls, as rollouts under sessions/YYYY/MM/DD/ in the
// shapes of codexCorpus.mjs (formats.md B.2-B.4): session_meta, turn_context with the model, reasoning and function
// call items, cumulative token_count events (the first with info:null, ~34% re-emitted snapshots).
// Ground truth per model = the sum of the real per-call usage. One file at a time, so memory stays bounded.
import { join } from 'node:path';
import { ChunkWriter } from './chunkWriter.mjs';
import { emptyTotals, MODELS, rateLimitsJson, REPOS, sessionMetaJson, usageJson } from './codexCorpus.mjs';
import { sessionTimes, splitCalls, YEAR_SHAPE } from './yearCalendar.mjs';

const pad = (n) => String(n).padStart(2, '0');

/**
 * @param {{ rng: any, pool: any, root: string, days: ReturnType<typeof import('./yearCalendar.mjs').yearDays> }} o
 */
export function generateYearCodex(o) {
  const { rng, pool, root, days } = o;
  const stats = { bytes: 0, files: 0, lines: 0, calls: 0, tokenCountEvents: 0, reemitted: 0, nullInfo: 0, callsByDay: {}, truthByModel: {} };
  const iso = (ms) => new Date(ms).toISOString();
  const env = (ms, type, payload) => `{"timestamp":"${iso(ms)}","type":"${type}","payload":${payload}}`;
  const baseInstructions = pool.text(22_000);

  function writeSession(day, calls) {
    const times = sessionTimes(rng, day, calls, () => rng.int(10_000, 120_000));
    let ts = times[0] - rng.int(2_000, 8_000);
    const d = new Date(ts);
    const id = rng.uuid();
    const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const w = new ChunkWriter(join(root, 'sessions', String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate()),
      `rollout-${stamp}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}-${id}.jsonl`));
    stats.files++;
    const repo = rng.pick(REPOS);
    const cwd = `/home/dev/src/${repo}`;
    const line = (s) => { stats.bytes += w.line(s); stats.lines++; };
    line(env(ts, 'session_meta', sessionMetaJson(rng, pool, { id, ts, cwd, repo, baseInstructions })));
    let model = rng.weighted(MODELS);
    const total = { input: 0, cached: 0, output: 0, reasoning: 0 };
    let ctx = rng.int(9_000, 16_000);
    let first = true;
    let i = 0;
    while (i < calls) {
      // one turn of 1-8 calls
      const steps = Math.min(calls - i, rng.int(1, 8));
      if (rng.chance(0.05)) model = rng.weighted(MODELS);
      const turnId = rng.uuid();
      const t0 = times[i] - 1_000;
      line(env(t0, 'turn_context', `{"turn_id":"${turnId}","cwd":"${cwd}","approval_policy":"on-request","model":"${model}","effort":"medium","summary":"auto"}`));
      line(env(t0, 'event_msg', `{"type":"task_started","turn_id":"${turnId}","model_context_window":258400,"collaboration_mode_kind":"default"}`));
      const prompt = pool.text(rng.logUniform(30, 800));
      line(env(t0, 'response_item', `{"type":"message","role":"user","content":[{"type":"input_text","text":"${prompt}"}]}`));
      line(env(t0, 'event_msg', `{"type":"user_message","message":"${prompt}","images":[],"local_images":[],"text_elements":[]}`));
      if (first) {
        line(env(t0 + 300, 'event_msg', `{"type":"token_count","info":null,"rate_limits":${rateLimitsJson(rng, t0)}}`));
        stats.tokenCountEvents++; stats.nullInfo++;
        first = false;
      }
      let fresh = Math.round(prompt.length / 3.6) + rng.int(50, 400);
      for (let k = 0; k < steps; k++, i++) {
        ts = times[i];
        line(env(ts, 'response_item', `{"type":"reasoning","summary":[],"content":null,"encrypted_content":"gAAAAAB${rng.b64(rng.logUniform(80, 600))}"}`));
        ctx += fresh;
        const output = rng.logUniform(30, 4_000);
        const last = { input: ctx, cached: Math.max(0, ctx - fresh - rng.int(0, 2_000)), output, reasoning: Math.round(output * rng.next() * 0.7) };
        total.input += last.input; total.cached += last.cached; total.output += last.output; total.reasoning += last.reasoning;
        stats.truthByModel[model] ??= emptyTotals();
        const t = stats.truthByModel[model];
        t.calls++; t.input += last.input; t.cached += last.cached; t.output += last.output; t.reasoning += last.reasoning;
        stats.calls++;
        stats.callsByDay[day.day] = (stats.callsByDay[day.day] ?? 0) + 1;
        ctx += output;
        fresh = 0;
        const lastStep = k === steps - 1;
        if (!lastStep) line(env(ts, 'response_item', `{"type":"function_call","name":"exec_command","arguments":"{\\"cmd\\":\\"${pool.phrase(rng.int(2, 7))}\\",\\"workdir\\":\\"${cwd}\\"}","call_id":"call_${rng.b58(24)}"}`));
        const info = `{"total_token_usage":${usageJson(total)},"last_token_usage":${usageJson(last)},"model_context_window":258400}`;
        line(env(ts + 50, 'event_msg', `{"type":"token_count","info":${info},"rate_limits":${rateLimitsJson(rng, ts)}}`));
        stats.tokenCountEvents++;
        if (!lastStep) {
          const out = pool.text(rng.logUniform(40, 600));
          line(env(ts + 100, 'response_item', `{"type":"function_call_output","call_id":"call_${rng.b58(24)}","output":"Process exited with code 0\\nOutput:\\n${out}"}`));
          fresh += Math.min(Math.round(out.length / 3.6), 10_000) + rng.int(20, 200);
        } else {
          line(env(ts + 100, 'response_item', `{"type":"message","role":"assistant","content":[{"type":"output_text","text":"${pool.text(rng.logUniform(40, 800))}"}]}`));
        }
        // re-emitted snapshot: the same totals and last usage again (never new usage)
        if (rng.chance(0.34)) {
          line(env(ts + 200, 'event_msg', `{"type":"token_count","info":${info},"rate_limits":${rateLimitsJson(rng, ts)}}`));
          stats.tokenCountEvents++; stats.reemitted++;
        }
      }
      line(env(ts + 300, 'event_msg', `{"type":"task_complete","turn_id":"${turnId}","last_agent_message":"${pool.phrase(8)}"}`));
      if (ctx > rng.int(180_000, 240_000)) {
        line(env(ts + 400, 'compacted', `{"message":"${pool.text(rng.int(500, 2_000))}","replacement_history":[]}`));
        ctx = rng.int(12_000, 30_000);
      }
    }
    w.close();
  }

  for (const day of days) {
    const sessions = Math.max(1, Math.round(day.codexCalls / YEAR_SHAPE.codexCallsPerSession));
    for (const calls of splitCalls(rng, day.codexCalls, sessions)) writeSession(day, calls);
  }
  return stats;
}
