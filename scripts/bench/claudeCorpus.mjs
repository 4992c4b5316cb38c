// Simulates Claude Code sessions and writes them as real-looking transcripts under <root>/projects/.
// Realism that matters for the benchmark (formats.md A.2-A.4): ~80% of bytes are tool results (text written twice),
// one assistant line per content block with placeholder output_tokens on all but the last copy, agent_progress
// lines embedding subagent usage, subagent files under <session>/subagents/, resumed sessions that copy
// the history of an earlier session into a new file, <synthetic> error lines, 5m/1h cache writes.
// Also returns the ground truth: each distinct API call counted once with its final usage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkWriter } from './chunkWriter.mjs';
import { countClaudeCall } from './claudeTruth.mjs';
import * as L from './claudeLines.mjs';

export const MODELS = [
  ['claude-sonnet-4-5-20250929', 55],
  ['claude-opus-4-6', 35],
  ['claude-haiku-4-5-20251001', 10],
];
export const VERSIONS = ['2.1.39', '2.1.42', '2.1.50', '2.1.63'];
export const TOOLS = [['Bash', 35], ['Read', 30], ['Edit', 12], ['Grep', 12], ['Glob', 5], ['Write', 6]];
export const PROJECT_NAMES = [
  'agentmeter', 'web-shop', 'infra', 'ml.pipeline', 'docs_site', 'api-gateway', 'mobile-app', 'dotfiles',
  'billing', 'search', 'auth_service', 'data-warehouse', 'cli-tools', 'game.engine', 'blog', 'monorepo',
  'payments', 'notifications', 'scheduler', 'kube-configs', 'analytics', 'design-system', 'chat', 'crawler',
];

/**
 * @param {{ rng: any, pool: any, root: string, targetBytes: number, startMs: number, days: number }} o
 * @returns {{ bytes: number, files: number, lines: number, toolResultBytes: number, assistantLines: number,
 *   streamingCopies: number, truthByModel: Record<string, ReturnType<typeof import('./claudeTruth.mjs').emptyClaudeTotals>> }}
 */
export function generateClaude(o) {
  const { rng, pool, root, targetBytes, startMs, days } = o;
  const stats = { bytes: 0, files: 0, lines: 0, toolResultBytes: 0, assistantLines: 0, streamingCopies: 0, resumedFiles: 0, subagentFiles: 0, truthByModel: {} };
  const projects = PROJECT_NAMES.map((name, i) => {
    const cwd = `/home/dev/${i % 3 === 0 ? 'work' : 'src'}/${name}`;
    return { cwd, dir: join(root, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-')), weight: 1 + ((i * 7) % 5), last: null };
  });
  const projectPairs = projects.map((p) => [p, p.weight]);
  const iso = (ms) => new Date(ms).toISOString();

  const countTruth = (model, u) => countClaudeCall(stats.truthByModel, model, u);

  function toolResult(name, s) {
    // content size: mostly small, a tail of large outputs, a few near 500 KB (the line is ~1 MB: written twice)
    const r = rng.next();
    const n = r < 0.0015 ? rng.int(400_000, 500_000) : r < 0.04 ? rng.int(40_000, 200_000) : rng.logUniform(80, 40_000);
    const c = pool.text(n);
    const file = `${s.cwd}/src/${pool.phrase(1)}.ts`;
    let tur;
    if (name === 'Bash') tur = `{"stdout":"${c}","stderr":"","interrupted":false,"isImage":false}`;
    else if (name === 'Edit' || name === 'Write') tur = `{"filePath":"${file}","oldString":"${pool.text(80)}","newString":"${pool.text(120)}","originalFile":"${c}","structuredPatch":[],"userModified":false,"replaceAll":false}`;
    else if (name === 'Grep') tur = `{"mode":"content","numFiles":${rng.int(1, 40)},"filenames":[],"content":"${c}","numLines":${rng.int(1, 900)}}`;
    else tur = `{"type":"text","file":{"filePath":"${file}","content":"${c}","numLines":${rng.int(1, 2000)},"startLine":1,"totalLines":${rng.int(1, 4000)}}}`;
    return { c, tur, tokens: Math.min(Math.round(c.length / 3.6), 25_000) };
  }

  function toolInput(name, s) {
    if (name === 'Bash') return `{"command":"${pool.phrase(rng.int(2, 8))}","description":"${pool.phrase(4)}"}`;
    if (name === 'Grep' || name === 'Glob') return `{"pattern":"${pool.phrase(1)}","path":"${s.cwd}/src"}`;
    if (name === 'Edit') return `{"file_path":"${s.cwd}/src/${pool.phrase(1)}.ts","old_string":"${pool.text(rng.int(40, 600))}","new_string":"${pool.text(rng.int(40, 900))}"}`;
    if (name === 'Write') return `{"file_path":"${s.cwd}/src/${pool.phrase(1)}.ts","content":"${pool.text(rng.int(300, 6000))}"}`;
    return `{"file_path":"${s.cwd}/src/${pool.phrase(1)}.ts"}`;
  }

  /** Usage of the next API call of a session; grows the context like a real conversation, with compaction. */
  function nextUsage(s, newTokens) {
    const fresh = s.ctx === 0;
    const cw = fresh ? rng.int(8_000, 22_000) : newTokens + rng.int(50, 900);
    const u = {
      input: fresh ? rng.int(2, 3_000) : rng.int(1, 12),
      cacheRead: s.ctx,
      cw5m: 0, cw1h: 0,
      output: rng.logUniform(12, 6_000),
      webSearch: rng.chance(0.004) ? rng.int(1, 3) : 0,
    };
    if (s.ttl === '1h') u.cw1h = cw;
    else if (s.ttl === '5m') u.cw5m = cw;
    else { u.cw1h = Math.round(cw * rng.next()); u.cw5m = cw - u.cw1h; }
    s.ctx += cw + u.output;
    return u;
  }

  /**
   * Writes one API response as one line per content block. Returns the last line's uuid and the tool uses.
   * @param {boolean} mustUseTools
   */
  function writeResponse(w, s, model, newTokens, mustUseTools, onAssistant) {
    const call = { model, messageId: `msg_01${rng.b58(22)}`, requestId: `req_011C${rng.b58(20)}` };
    const u = nextUsage(s, newTokens);
    const blocks = [];
    if (rng.chance(0.35)) blocks.push(`{"type":"thinking","thinking":"${pool.text(rng.logUniform(80, 5_000))}","signature":"${rng.b64(rng.int(200, 600))}"}`);
    if (rng.chance(0.65) || !mustUseTools) blocks.push(`{"type":"text","text":"${pool.text(rng.logUniform(20, 3_000))}"}`);
    const tools = [];
    const nTools = mustUseTools ? rng.weighted([[1, 60], [2, 25], [3, 10], [4, 5]]) : 0;
    for (let i = 0; i < nTools; i++) {
      const name = s.allowTask && rng.chance(0.012) ? 'Task' : rng.weighted(TOOLS);
      const id = `toolu_01${rng.b58(22)}`;
      const input = name === 'Task'
        ? `{"description":"${pool.phrase(4)}","prompt":"${pool.text(rng.int(200, 2_000))}","subagent_type":"general-purpose"}`
        : toolInput(name, s);
      tools.push({ name, id });
      blocks.push(`{"type":"tool_use","id":"${id}","name":"${name}","input":${input}}`);
    }
    for (let i = 0; i < blocks.length; i++) {
      const last = i === blocks.length - 1;
      // streaming copies: every block but the last carries a placeholder output_tokens
      const lineUsage = last ? u : { ...u, output: rng.int(1, Math.min(31, u.output)) };
      const uuid = rng.uuid();
      s.ts += rng.int(200, 6_000);
      const line = L.assistantLine(s, s.parent, uuid, iso(s.ts), call, blocks[i], last ? (nTools ? 'tool_use' : 'end_turn') : null, lineUsage);
      stats.bytes += w.line(line);
      stats.lines++; stats.assistantLines++;
      if (!last) stats.streamingCopies++;
      if (onAssistant) onAssistant(call, blocks[i], lineUsage, uuid, s.ts);
      s.parent = uuid;
    }
    countTruth(model, u);
    return { tools, usage: u, call };
  }

  /** A Task subagent: its own file under <session>/subagents/, mirrored into the parent by agent_progress lines. */
  function writeSubagent(w, s, taskToolId, model) {
    const agentId = `a${rng.hex(7)}`;
    const sw = new ChunkWriter(join(s.projectDir, s.sessionId, 'subagents', `agent-${agentId}.jsonl`));
    stats.files++; stats.subagentFiles++;
    const sub = { ...s, sidechain: true, agentId, parent: null, ctx: 0, ttl: '5m', allowTask: false };
    const promptUuid = rng.uuid();
    stats.bytes += sw.line(L.userPromptLine(sub, null, promptUuid, iso(sub.ts), pool.text(rng.int(200, 2_000)))); stats.lines++;
    sub.parent = promptUuid;
    const steps = rng.int(2, 12);
    let last = null, newTokens = 0, toolCount = 0;
    for (let i = 0; i < steps; i++) {
      const r = writeResponse(sw, sub, model, newTokens, i < steps - 1, (call, block, lineUsage, uuid, ts) => {
        const embedded = `{"type":"assistant","message":{"model":"${call.model}","id":"${call.messageId}","type":"message","role":"assistant","content":[${block}],"stop_reason":null,"stop_sequence":null,"usage":${L.usageJson(lineUsage)}},"requestId":"${call.requestId}","uuid":"${uuid}","timestamp":"${iso(ts)}"}`;
        const data = `{"type":"agent_progress","message":${embedded},"normalizedMessages":[],"prompt":"","agentId":"${agentId}"}`;
        const pu = rng.uuid();
        stats.bytes += w.line(L.progressLine(s, s.parent, pu, iso(ts + 5), data, `agent_msg_01${rng.b58(20)}`, taskToolId));
        stats.lines++;
      });
      last = r;
      newTokens = 0;
      for (const t of r.tools) {
        toolCount++;
        const tr = toolResult(t.name, sub);
        sub.ts += rng.int(300, 20_000);
        const uuid = rng.uuid();
        const n = sw.line(L.toolResultLine(sub, sub.parent, uuid, iso(sub.ts), t.id, sub.parent, tr.c, tr.tur));
        stats.bytes += n; stats.toolResultBytes += n; stats.lines++;
        sub.parent = uuid;
        newTokens += tr.tokens;
      }
    }
    sw.close();
    s.ts = Math.max(s.ts, sub.ts) + rng.int(100, 2_000);
    const u = last.usage;
    const total = u.input + u.cw5m + u.cw1h + u.cacheRead + u.output;
    const text = pool.text(rng.int(300, 4_000));
    const tur = `{"status":"completed","prompt":"${pool.phrase(6)}","agentId":"${agentId}","content":[{"type":"text","text":"${text}"}],"totalDurationMs":${rng.int(5_000, 600_000)},"totalTokens":${total},"totalToolUseCount":${toolCount},"usage":${L.usageJson(u)}}`;
    return { c: text, tur, tokens: Math.round(text.length / 3.6) };
  }

  function writeSession(project) {
    const sessionId = rng.uuid();
    const path = join(project.dir, `${sessionId}.jsonl`);
    const w = new ChunkWriter(path);
    stats.files++;
    const model = rng.weighted(MODELS);
    const s = {
      sessionId, cwd: project.cwd, projectDir: project.dir, version: rng.pick(VERSIONS),
      branch: rng.weighted([['main', 50], ['develop', 15], [`feature/${pool.phrase(1)}`, 35]]),
      slug: `${pool.phrase(1)}-${pool.phrase(1)}-${pool.phrase(1)}`.replace(/[^a-z-]/g, ''),
      sidechain: false, agentId: null, parent: null, ctx: 0,
      ttl: rng.weighted([['5m', 45], ['1h', 40], ['mixed', 15]]), allowTask: true,
      ts: startMs + Math.floor(rng.next() * (days - 1) * 86_400_000),
    };
    const startLines = stats.lines;
    // a resumed session starts with a copy of an earlier session's history (same message.id/requestId)
    if (project.last && project.last.bytes < 12_000_000 && rng.chance(0.12)) {
      const old = readFileSync(project.last.path, 'utf8').replaceAll(project.last.sessionId, sessionId);
      w.parts.push(old); w.pending += old.length; w.bytes += Buffer.byteLength(old);
      stats.bytes += Buffer.byteLength(old);
      stats.lines += project.last.lines;
      stats.resumedFiles++;
      s.ts = Math.max(s.ts, project.last.endMs + rng.int(60_000, 86_400_000));
    }
    const startBytes = w.bytes;
    const target = rng.logUniform(150_000, 30_000_000);
    while (w.bytes - startBytes < target) {
      // one turn: prompt, then API calls alternating with tool results, ending with a text answer
      s.ts += rng.int(10_000, 900_000);
      const promptUuid = rng.uuid();
      stats.bytes += w.line(L.fileHistorySnapshotLine(promptUuid, iso(s.ts)));
      if (rng.chance(0.05)) stats.bytes += w.line(L.queueOperationLine(s, iso(s.ts), 'enqueue', pool.phrase(5)));
      stats.bytes += w.line(L.userPromptLine(s, s.parent, promptUuid, iso(s.ts), pool.text(rng.logUniform(20, 3_000))));
      stats.lines += 2;
      s.parent = promptUuid;
      const steps = rng.int(1, 14);
      let newTokens = rng.int(20, 800);
      for (let i = 0; i < steps; i++) {
        if (rng.chance(0.003)) {
          const uuid = rng.uuid();
          stats.bytes += w.line(L.syntheticErrorLine(s, s.parent, uuid, iso(s.ts), rng.uuid())); stats.lines++;
          s.parent = uuid;
        }
        const callModel = rng.chance(0.06) ? 'claude-haiku-4-5-20251001' : model;
        const r = writeResponse(w, s, callModel, newTokens, i < steps - 1, null);
        const sourceUuid = s.parent;
        newTokens = 0;
        for (const t of r.tools) {
          let tr;
          if (t.name === 'Task') tr = writeSubagent(w, s, t.id, rng.chance(0.5) ? 'claude-haiku-4-5-20251001' : model);
          else {
            tr = toolResult(t.name, s);
            if (t.name === 'Bash' && rng.chance(0.3)) {
              const data = `{"type":"bash_progress","output":"${pool.text(200)}","fullOutput":"${pool.text(rng.int(200, 2_000))}","elapsedTimeSeconds":${rng.int(1, 60)},"totalLines":${rng.int(1, 80)}}`;
              stats.bytes += w.line(L.progressLine(s, s.parent, rng.uuid(), iso(s.ts + 1_000), data, `bash-progress-${rng.int(0, 9)}`, t.id));
              stats.lines++;
            }
          }
          s.ts += rng.int(300, 30_000);
          const uuid = rng.uuid();
          const n = w.line(L.toolResultLine(s, s.parent, uuid, iso(s.ts), t.id, sourceUuid, tr.c, tr.tur));
          stats.bytes += n; stats.toolResultBytes += n; stats.lines++;
          s.parent = uuid;
          newTokens += tr.tokens;
        }
      }
      stats.bytes += w.line(L.systemLine(s, s.parent, rng.uuid(), iso(s.ts + 50), 'turn_duration', `,"durationMs":${rng.int(2_000, 900_000)}`));
      stats.lines++;
      // auto-compaction once the context is full (a few requests go past 200k first: the long-context tier)
      if (s.ctx > rng.int(150_000, 230_000)) {
        stats.bytes += w.line(L.systemLine(s, s.parent, rng.uuid(), iso(s.ts + 100), 'compact_boundary', `,"content":"Conversation compacted","compactMetadata":{"trigger":"auto","preTokens":${s.ctx}}`));
        stats.lines++;
        s.ctx = rng.int(15_000, 40_000);
      }
    }
    w.close();
    project.last = { path, sessionId, bytes: w.bytes, lines: stats.lines - startLines, endMs: s.ts };
  }

  while (stats.bytes < targetBytes) writeSession(rng.weighted(projectPairs));
  return stats;
}
