// Simulates Codex CLI sessions and writes rollouts under <root>/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl,
// in the shapes of formats.md B.2-B.4: session_meta with long base_instructions, turn_context (the model),
// response_item lines (reasoning with encrypted content, function calls and their outputs, messages) and
// event_msg token_count with cumulative totals, where ~25% of the events are re-emitted snapshots
// (same totals, new timestamp) and the first event of a session has info:null. Carries rate_limits.
// Also returns the ground truth: per model, the sum of the real per-call usage (= the cumulative deltas).
import { join } from 'node:path';
import { ChunkWriter } from './chunkWriter.mjs';

export const MODELS = [['gpt-5.3-codex', 45], ['gpt-5.2-codex', 20], ['gpt-5-codex', 15], ['gpt-5.1-codex-max', 15], ['gpt-5.4', 5]];
export const ORIGINATORS = [['codex_cli_rs', 60], ['codex_vscode', 30], ['codex_exec', 10]];
export const REPOS = ['agentmeter', 'web-shop', 'infra', 'api-gateway', 'billing', 'search', 'cli-tools', 'analytics', 'chat', 'crawler'];
const pad = (n) => String(n).padStart(2, '0');

export function emptyTotals() {
  return { calls: 0, input: 0, cached: 0, output: 0, reasoning: 0 };
}

export function usageJson(u) {
  return `{"input_tokens":${u.input},"cached_input_tokens":${u.cached},"output_tokens":${u.output},"reasoning_output_tokens":${u.reasoning},"total_tokens":${u.input + u.output}}`;
}

/** rate_limits as Codex writes them (5-hour and weekly windows). */
export function rateLimitsJson(rng, ms) {
  const p = 300 * 60_000, wk = 10_080 * 60_000;
  const pReset = Math.floor(ms / p) * p + p, wReset = Math.floor(ms / wk) * wk + wk;
  const pUsed = Math.min(100, Math.round(((ms % p) / p) * rng.int(20, 110) * 10) / 10);
  const wUsed = Math.min(100, Math.round(((ms % wk) / wk) * rng.int(30, 95) * 10) / 10);
  return `{"limit_id":"codex","limit_name":null,"primary":{"used_percent":${pUsed},"window_minutes":300,"resets_at":${Math.floor(pReset / 1000)}},` +
    `"secondary":{"used_percent":${wUsed},"window_minutes":10080,"resets_at":${Math.floor(wReset / 1000)}},"credits":null,"plan_type":"plus"}`;
}

/**
 * @param {{ rng: any, pool: any, root: string, targetBytes: number, startMs: number, days: number }} o
 */
/**
 * A rollout's `session_meta` payload (Codex's own fields; the originator, CLI version, commit and branch drawn from
 * `rng` in this order, so both generators that use it stay byte for byte what they were).
 */
export function sessionMetaJson(rng, pool, { id, ts, cwd, repo, baseInstructions }) {
  return `{"id":"${id}","timestamp":"${new Date(ts).toISOString()}","cwd":"${cwd}","originator":"${rng.weighted(ORIGINATORS)}",` +
    `"cli_version":"0.${rng.int(95, 118)}.0","source":"cli","model_provider":"openai","base_instructions":{"text":"${baseInstructions}"},` +
    `"git":{"commit_hash":"${rng.hex(40)}","branch":"${rng.weighted([['main', 60], [`feat/${pool.phrase(1)}`, 40]])}","repository_url":"git@example.invalid:dev/${repo}.git"}}`;
}

export function generateCodex(o) {
  const { rng, pool, root, targetBytes, startMs, days } = o;
  const stats = { bytes: 0, files: 0, lines: 0, tokenCountEvents: 0, reemitted: 0, nullInfo: 0, truthByModel: {} };
  const iso = (ms) => new Date(ms).toISOString();
  const env = (ms, type, payload) => `{"timestamp":"${iso(ms)}","type":"${type}","payload":${payload}}`;
  const baseInstructions = pool.text(22_000);

  const rateLimits = (ms) => rateLimitsJson(rng, ms);

  function writeSession() {
    let ts = startMs + Math.floor(rng.next() * (days - 1) * 86_400_000);
    const d = new Date(ts);
    const id = rng.uuid();
    const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const path = join(root, 'sessions', String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()),
      `rollout-${stamp}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}-${id}.jsonl`);
    const w = new ChunkWriter(path);
    stats.files++;
    const repo = rng.pick(REPOS);
    const cwd = `/home/dev/src/${repo}`;
    const line = (s) => { stats.bytes += w.line(s); stats.lines++; };
    line(env(ts, 'session_meta', sessionMetaJson(rng, pool, { id, ts, cwd, repo, baseInstructions })));
    let model = rng.weighted(MODELS);
    const total = { input: 0, cached: 0, output: 0, reasoning: 0 };
    let ctx = rng.int(9_000, 16_000);
    let first = true;
    const target = rng.logUniform(100_000, 8_000_000);
    const start = w.bytes;
    while (w.bytes - start < target) {
      ts += rng.int(20_000, 1_200_000);
      if (rng.chance(0.05)) model = rng.weighted(MODELS);
      const turnId = rng.uuid();
      line(env(ts, 'turn_context', `{"turn_id":"${turnId}","cwd":"${cwd}","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write","writable_roots":[],"network_access":false,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":false},` +
        `"model":"${model}","personality":"pragmatic","collaboration_mode":{"mode":"default","settings":{"model":"${model}","reasoning_effort":"medium","developer_instructions":null}},"effort":"medium","summary":"auto","truncation_policy":{"mode":"tokens","limit":10000}}`));
      line(env(ts, 'event_msg', `{"type":"task_started","turn_id":"${turnId}","model_context_window":258400,"collaboration_mode_kind":"default"}`));
      const prompt = pool.text(rng.logUniform(30, 2_500));
      line(env(ts, 'response_item', `{"type":"message","role":"user","content":[{"type":"input_text","text":"${prompt}"}]}`));
      line(env(ts, 'event_msg', `{"type":"user_message","message":"${prompt}","images":[],"local_images":[],"text_elements":[]}`));
      if (first) {
        line(env(ts + 300, 'event_msg', `{"type":"token_count","info":null,"rate_limits":${rateLimits(ts)}}`));
        stats.tokenCountEvents++; stats.nullInfo++;
        first = false;
      }
      const steps = rng.int(1, 12);
      let fresh = Math.round(prompt.length / 3.6) + rng.int(50, 400);
      for (let i = 0; i < steps; i++) {
        ts += rng.int(1_500, 40_000);
        const summary = pool.text(rng.logUniform(40, 600));
        line(env(ts, 'event_msg', `{"type":"agent_reasoning","text":"${summary}"}`));
        line(env(ts, 'response_item', `{"type":"reasoning","summary":[{"type":"summary_text","text":"${summary}"}],"content":null,"encrypted_content":"gAAAAAB${rng.b64(rng.logUniform(400, 9_000))}"}`));
        // one API call: cached ⊂ input, reasoning ⊂ output; totals are cumulative for the file
        ctx += fresh;
        const output = rng.logUniform(30, 5_000);
        const last = { input: ctx, cached: Math.max(0, ctx - fresh - rng.int(0, 2_000)), output, reasoning: Math.round(output * rng.next() * 0.7) };
        last.cached = Math.min(last.cached, last.input);
        total.input += last.input; total.cached += last.cached; total.output += last.output; total.reasoning += last.reasoning;
        stats.truthByModel[model] ??= emptyTotals();
        const t = stats.truthByModel[model];
        t.calls++; t.input += last.input; t.cached += last.cached; t.output += last.output; t.reasoning += last.reasoning;
        ctx += output;
        fresh = 0;
        const lastStep = i === steps - 1;
        if (!lastStep) {
          const callId = `call_${rng.b58(24)}`;
          line(env(ts, 'response_item', `{"type":"function_call","name":"exec_command","arguments":"{\\"cmd\\":\\"${pool.phrase(rng.int(2, 7))}\\",\\"workdir\\":\\"${cwd}\\"}","call_id":"${callId}"}`));
        }
        const info = `{"total_token_usage":${usageJson(total)},"last_token_usage":${usageJson(last)},"model_context_window":258400}`;
        const tcTs = ts + rng.int(10, 400);
        line(env(tcTs, 'event_msg', `{"type":"token_count","info":${info},"rate_limits":${rateLimits(tcTs)}}`));
        stats.tokenCountEvents++;
        if (!lastStep) {
          const out = pool.text(rng.chance(0.01) ? rng.int(60_000, 150_000) : rng.logUniform(60, 24_000));
          ts += rng.int(100, 60_000);
          line(env(ts, 'response_item', `{"type":"function_call_output","call_id":"call_${rng.b58(24)}","output":"Chunk ID: ${rng.hex(6)}\\nWall time: ${rng.int(0, 90)}.${rng.int(0, 9)} seconds\\nProcess exited with code 0\\nOutput:\\n${out}"}`));
          fresh += Math.min(Math.round(out.length / 3.6), 10_000) + rng.int(20, 200);
        } else {
          const answer = pool.text(rng.logUniform(40, 4_000));
          line(env(ts, 'event_msg', `{"type":"agent_message","message":"${answer}","phase":"final"}`));
          line(env(ts, 'response_item', `{"type":"message","role":"assistant","content":[{"type":"output_text","text":"${answer}"}]}`));
        }
        // re-emitted snapshot: the same totals and last usage again after a boundary (never new usage)
        if (rng.chance(0.34)) {
          const rTs = ts + rng.int(50, 3_000);
          line(env(rTs, 'event_msg', `{"type":"token_count","info":${info},"rate_limits":${rateLimits(rTs)}}`));
          stats.tokenCountEvents++; stats.reemitted++;
        }
      }
      line(env(ts + 20, 'event_msg', `{"type":"task_complete","turn_id":"${turnId}","last_agent_message":"${pool.phrase(8)}"}`));
      if (ctx > rng.int(180_000, 240_000)) {
        line(env(ts + 40, 'compacted', `{"message":"${pool.text(rng.int(500, 4_000))}","replacement_history":[]}`));
        line(env(ts + 41, 'event_msg', `{"type":"context_compacted"}`));
        ctx = rng.int(12_000, 30_000);
      }
    }
    w.close();
  }

  while (stats.bytes < targetBytes) writeSession();
  return stats;
}
