// A year of GitHub Copilot CLI sessions for the add-on corpus (mixCorpus.mjs): `<home>/.copilot/session-state/<id>/
// events.jsonl`, one event a line `{type, data, id, timestamp, parentId}` as the fixtures under
// src/core/sources/copilotCli/fixtures show them (their README and copilotCli/eventsParser.ts cite the shapes).
import { join } from 'node:path';
import { count, writeLog } from './mixTruth.mjs';
import { sessionTimes } from './yearCalendar.mjs';

const MODELS = [['claude-sonnet-4.5', 6], ['gpt-5', 3], ['claude-haiku-4.5', 1]];
const iso = (ms) => new Date(ms).toISOString();

/**
 * Sessions of 2–6 user turns, each turn 1–4 model requests (the per-request usage is not on disk: `assistant.usage`
 * is ephemeral), closed by a `session.shutdown` whose `modelMetrics` hold the session's CUMULATIVE usage per model
 * (inputTokens include the cache reads and writes; reasoningTokens are inside outputTokens). A quarter of the
 * sessions are resumed (`session.resume`) for more turns and shut down again with the grown totals.
 * Truth (eventsParser.ts): per model, the last shutdown's totals — requests = count, input = inputTokens −
 * cacheReadTokens − cacheWriteTokens, output = outputTokens, cacheRead, cacheWrite, reasoning = reasoningTokens.
 */
export function writeCopilotYear({ rng, pool, home, days, sessionsByDay, truth }) {
  const root = join(home, '.copilot', 'session-state');
  days.forEach((day, i) => {
    const sessions = sessionsByDay[i];
    if (sessions === 0) return;
    for (let s = 0; s < sessions; s++) {
      const sessionId = rng.uuid();
      const legs = rng.chance(0.25) ? 2 : 1;
      const turnsPerLeg = Array.from({ length: legs }, () => rng.int(2, 6));
      const turnTimes = sessionTimes(rng, day, turnsPerLeg.reduce((a, b) => a + b, 0) + legs, () => rng.logUniform(30_000, 400_000));
      const cwd = `/home/dev/work/${rng.pick(['agentmeter', 'shop', 'infra', 'cli-tools'])}`;
      const context = { cwd, gitRoot: cwd, branch: rng.pick(['main', 'main', 'dev']), repository: `dev/${cwd.split('/').pop()}`, hostType: 'github', repositoryHost: 'github.com', headCommit: rng.hex(7), baseCommit: rng.hex(7) };
      let model = rng.weighted(MODELS);
      const lines = [];
      let parentId = null;
      const ev = (t, type, data) => {
        const id = rng.uuid();
        lines.push(JSON.stringify({ type, data, id, timestamp: iso(t), parentId }));
        parentId = id;
      };
      /** cumulative per model since the session started */
      const metrics = {};
      let k = 0;
      for (let leg = 0; leg < legs; leg++) {
        const t0 = turnTimes[k++];
        if (leg === 0) ev(t0, 'session.start', { sessionId, version: 1, producer: 'copilot-agent', copilotVersion: '1.0.80', startTime: iso(t0), selectedModel: model, context });
        else ev(t0, 'session.resume', { resumeTime: iso(t0), eventCount: lines.length, selectedModel: model, context });
        let t = t0;
        for (let turn = 0; turn < turnsPerLeg[leg]; turn++) {
          t = Math.max(t + 1_000, turnTimes[k++]);
          if (rng.chance(0.1)) model = rng.weighted(MODELS);
          const interactionId = `i-${rng.hex(6)}`;
          ev(t, 'user.message', { content: pool.phrase(rng.int(4, 16)), transformedContent: pool.phrase(rng.int(4, 16)), attachments: [], interactionId });
          ev(t + 20, 'assistant.turn_start', { turnId: String(turn), interactionId });
          const requests = rng.int(1, 4);
          metrics[model] ??= { count: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
          const m = metrics[model];
          let tt = t + 20;
          for (let r = 0; r < requests; r++) {
            const uncached = rng.logUniform(200, 8_000);
            const read = rng.chance(0.85) ? rng.logUniform(5_000, 90_000) : 0;
            const write = model.startsWith('claude') && rng.chance(0.5) ? rng.logUniform(200, 12_000) : 0;
            const out = rng.logUniform(30, 3_000);
            const reasoning = model === 'gpt-5' ? Math.floor(out * rng.next() * 0.6) : 0;
            m.count++; m.inputTokens += uncached + read + write; m.outputTokens += out; m.cacheReadTokens += read; m.cacheWriteTokens += write; m.reasoningTokens += reasoning;
            tt += rng.int(2_000, 20_000);
            const tool = rng.chance(0.7) ? rng.pick(['edit', 'view', 'bash', 'grep']) : undefined;
            const callId = `call_${rng.hex(6)}`;
            ev(tt, 'assistant.message', { messageId: `m-${rng.hex(6)}`, content: pool.phrase(rng.int(4, 30)), outputTokens: out, interactionId, toolRequests: tool ? [{ toolCallId: callId, name: tool, arguments: { path: `src/${pool.phrase(1)}.ts` }, type: 'function' }] : [], model });
            if (tool) {
              ev(tt, 'tool.execution_start', { toolCallId: callId, toolName: tool, arguments: { path: `src/${pool.phrase(1)}.ts` } });
              ev(tt + 300, 'tool.execution_complete', { toolCallId: callId, success: true, result: { content: pool.text(rng.logUniform(20, 1_500)) } });
            }
          }
          ev(tt + 500, 'assistant.turn_end', { turnId: String(turn) });
          t = tt + 500;
        }
        const modelMetrics = {};
        for (const [name, x] of Object.entries(metrics)) {
          modelMetrics[name] = { requests: { count: x.count, cost: x.count }, usage: { inputTokens: x.inputTokens, outputTokens: x.outputTokens, cacheReadTokens: x.cacheReadTokens, cacheWriteTokens: x.cacheWriteTokens, reasoningTokens: x.reasoningTokens } };
        }
        const premium = Object.values(metrics).reduce((n, x) => n + x.count, 0);
        ev(t + 2_000, 'session.shutdown', { shutdownType: 'routine', totalPremiumRequests: premium, totalApiDurationMs: premium * 6_000, sessionStartTime: turnTimes[0], codeChanges: { linesAdded: rng.int(0, 200), linesRemoved: rng.int(0, 80), filesModified: [] }, modelMetrics, currentModel: model, currentTokens: rng.int(10_000, 90_000) });
      }
      for (const x of Object.values(metrics)) {
        count(truth, { requests: x.count, input: x.inputTokens - x.cacheReadTokens - x.cacheWriteTokens, output: x.outputTokens, cacheRead: x.cacheReadTokens, cacheWrite: x.cacheWriteTokens, reasoning: x.reasoningTokens });
      }
      writeLog(truth, join(root, sessionId, 'events.jsonl'), `${lines.join('\n')}\n`);
    }
  });
}
