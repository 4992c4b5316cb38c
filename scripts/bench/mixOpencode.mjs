// A year of OpenCode sessions for the add-on corpus (mixCorpus.mjs): planned here (deterministic, with the truth),
// written into `<home>/.local/share/opencode/opencode.db` by mixOpencodeDb.ts (sql.js, OpenCode's schema as in
// src/core/sources/opencode/fixtures/schema.ts).
import { sessionTimes, splitCalls } from './yearCalendar.mjs';
import { count } from './mixTruth.mjs';

const MODELS = [[['claude-sonnet-4-5', 'anthropic'], 6], [['gpt-5', 'openai'], 3], [['gemini-2.5-pro', 'google'], 1]];
const TOOLS = ['read', 'edit', 'bash', 'grep', 'glob', 'write'];
const id = (rng, prefix) => `${prefix}_${rng.hex(12)}${rng.b58(14)}`;

/**
 * Sessions of ~15 assistant messages (a tenth of them subagent sessions with a parent), each message 1–3 model
 * calls (steps), each step a `step-finish` part with its own tokens as the current OpenCode writes them
 * (opencode/tokens.ts): `input` without cache, `output` WITHOUT reasoning, `total` = input + output + reasoning +
 * cache.read + cache.write; the message's own `tokens` are the last step's.
 * Truth (opencode/record.ts): per message one request per step; input, cacheRead, cacheWrite summed;
 * output = output + reasoning; reasoning summed.
 */
export function planOpencodeYear({ rng, pool, days, messagesByDay, truth }) {
  const sessions = [];
  const dirs = Array.from({ length: 6 }, (_, i) => `/home/dev/oc/${pool.phrase(1)}-${i}`);
  days.forEach((day, i) => {
    const n = messagesByDay[i];
    if (n === 0) return;
    let parent;
    for (const msgs of splitCalls(rng, n, Math.ceil(n / 15))) {
      const times = sessionTimes(rng, day, msgs, () => rng.logUniform(10_000, 200_000));
      const sub = parent && rng.chance(0.1);
      const s = { id: id(rng, 'ses'), directory: sub ? parent.directory : rng.pick(dirs), title: pool.phrase(rng.int(3, 8)), time: times[0] - 5_000, messages: [] };
      if (sub) s.parentID = parent.id;
      else parent = s;
      const [modelID, providerID] = rng.weighted(MODELS);
      for (const created of times) {
        const steps = [];
        let t = created;
        for (let k = rng.int(1, 3); k > 0; k--) {
          t += rng.int(2_000, 15_000);
          const input = rng.logUniform(5, 6_000);
          const output = rng.logUniform(20, 3_000);
          const reasoning = providerID === 'anthropic' ? 0 : rng.chance(0.6) ? rng.logUniform(20, 2_500) : 0;
          const read = rng.chance(0.85) ? rng.logUniform(2_000, 120_000) : 0;
          const write = providerID === 'anthropic' && rng.chance(0.5) ? rng.logUniform(100, 15_000) : 0;
          const tokens = { total: input + output + reasoning + read + write, input, output, reasoning, cache: { read, write } };
          const tool = k > 1 || rng.chance(0.4) ? { partId: id(rng, 'prt'), name: rng.pick(TOOLS), path: `${s.directory}/src/${pool.phrase(1)}.ts` } : undefined;
          steps.push({ partId: id(rng, 'prt'), tokens, cost: Math.round(input * 3 + (output + reasoning) * 15 + read * 0.3 + write * 3.75) / 1e6, time: t, ...(tool ? { tool } : {}) });
          count(truth, { requests: 1, input, output: output + reasoning, cacheRead: read, cacheWrite: write, reasoning });
        }
        s.messages.push({ id: id(rng, 'msg'), userId: id(rng, 'msg'), created, modelID, providerID, prompt: pool.phrase(rng.int(4, 20)), steps });
      }
      sessions.push(s);
    }
  });
  return sessions;
}
