// The Claude part of the one-year corpus: every API call written as two assistant lines, as Claude Code writes a
// response of two content blocks (formats.md A.3): a streaming copy with a placeholder output_tokens, then the final
// line with the real usage (same message.id and requestId). Sessions follow the calendar of yearCalendar.mjs and
// are written one file at a time through a ChunkWriter, so memory stays bounded whatever the scale.
import { join } from 'node:path';
import { ChunkWriter } from './chunkWriter.mjs';
import { MODELS, PROJECT_NAMES, TOOLS, VERSIONS } from './claudeCorpus.mjs';
import * as L from './claudeLines.mjs';
import { countClaudeCall } from './claudeTruth.mjs';
import { sessionTimes, splitCalls, YEAR_SHAPE } from './yearCalendar.mjs';

const MORE_PROJECTS = [
  'ledger', 'edge-proxy', 'etl.jobs', 'website', 'terraform', 'ios-app', 'android_app', 'recommender',
  'feature-flags', 'observability', 'support-bot', 'invoice.pdf', 'queue-workers', 'sdk-js', 'sdk_python', 'benchmarks',
];

/** The 40 projects: name, cwd, its folder under projects/ (Claude Code's path encoding) and a weight. */
export function yearProjects(root, count = YEAR_SHAPE.projects) {
  return [...PROJECT_NAMES, ...MORE_PROJECTS].slice(0, count).map((name, i) => {
    const cwd = `/home/dev/${i % 3 === 0 ? 'work' : 'src'}/${name}`;
    return { name, cwd, dir: join(root, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-')), weight: 1 + ((i * 7) % 5) };
  });
}

/**
 * @param {{ rng: any, pool: any, root: string, days: ReturnType<typeof import('./yearCalendar.mjs').yearDays> }} o
 */
export function generateYearClaude(o) {
  const { rng, pool, root, days } = o;
  const stats = {
    bytes: 0, files: 0, lines: 0, calls: 0, assistantLines: 0, streamingCopies: 0, toolResultBytes: 0, resumedFiles: 0, subagentFiles: 0,
    projects: 0, callsByDay: {}, truthByModel: {},
  };
  const projects = yearProjects(root);
  const projectPairs = projects.map((p) => [p, p.weight]);
  const used = new Set();
  const iso = (ms) => new Date(ms).toISOString();

  function toolUse(s) {
    const name = rng.weighted(TOOLS);
    let input;
    if (name === 'Bash') input = `{"command":"${pool.phrase(rng.int(2, 8))}","description":"${pool.phrase(4)}"}`;
    else if (name === 'Grep' || name === 'Glob') input = `{"pattern":"${pool.phrase(1)}","path":"${s.cwd}/src"}`;
    else if (name === 'Edit') input = `{"file_path":"${s.cwd}/src/${pool.phrase(1)}.ts","old_string":"${pool.text(rng.int(5, 30))}","new_string":"${pool.text(rng.int(5, 40))}"}`;
    else if (name === 'Write') input = `{"file_path":"${s.cwd}/src/${pool.phrase(1)}.ts","content":"${pool.text(rng.int(10, 60))}"}`;
    else input = `{"file_path":"${s.cwd}/src/${pool.phrase(1)}.ts"}`;
    return `{"type":"tool_use","id":"toolu_01${rng.b58(22)}","name":"${name}","input":${input}}`;
  }

  /** Usage of the session's next call: the context grows by what the tools returned, with auto-compaction. */
  function nextUsage(s) {
    const fresh = s.ctx === 0;
    const cw = fresh ? rng.int(8_000, 22_000) : rng.logUniform(60, 9_000);
    const u = { input: fresh ? rng.int(2, 3_000) : rng.int(1, 12), cacheRead: s.ctx, cw5m: 0, cw1h: 0, output: rng.logUniform(12, 4_000), webSearch: rng.chance(0.004) ? rng.int(1, 3) : 0 };
    if (s.ttl === '1h') u.cw1h = cw;
    else if (s.ttl === '5m') u.cw5m = cw;
    else { u.cw1h = Math.round(cw * rng.next()); u.cw5m = cw - u.cw1h; }
    s.ctx += cw + u.output;
    // a few requests go past 200k before compaction: the long-context tier of Sonnet 4.5
    if (s.ctx > rng.int(150_000, 230_000)) s.ctx = rng.int(15_000, 40_000);
    return u;
  }

  function writeSession(day, calls) {
    const project = rng.weighted(projectPairs);
    used.add(project.name);
    const sessionId = rng.uuid();
    const w = new ChunkWriter(join(project.dir, `${sessionId}.jsonl`));
    stats.files++;
    const model = rng.weighted(MODELS);
    const s = {
      sessionId, cwd: project.cwd, version: rng.pick(VERSIONS),
      branch: rng.weighted([['main', 50], ['develop', 15], [`feature/${pool.phrase(1)}`, 35]]),
      slug: `${pool.phrase(1)}-${pool.phrase(1)}-${pool.phrase(1)}`.replace(/[^a-z-]/g, ''),
      sidechain: false, agentId: null, parent: null, ctx: 0, ttl: rng.weighted([['5m', 45], ['1h', 40], ['mixed', 15]]),
    };
    const times = sessionTimes(rng, day, calls, () => rng.int(5_000, 60_000));
    for (let i = 0; i < calls; i++) {
      const call = { model: rng.chance(0.06) ? 'claude-haiku-4-5-20251001' : model, messageId: `msg_01${rng.b58(22)}`, requestId: `req_011C${rng.b58(20)}` };
      const u = nextUsage(s);
      const first = rng.chance(0.2)
        ? `{"type":"thinking","thinking":"${pool.text(rng.logUniform(10, 80))}","signature":"${rng.b64(rng.int(20, 60))}"}`
        : `{"type":"text","text":"${pool.text(rng.logUniform(5, 60))}"}`;
      const tools = i < calls - 1 && rng.chance(0.8);
      const second = tools ? toolUse(s) : `{"type":"text","text":"${pool.text(rng.logUniform(5, 80))}"}`;
      // the streaming copy: the first block, a placeholder output_tokens, no stop reason, a moment before the final line
      const u1 = rng.uuid(), u2 = rng.uuid();
      stats.bytes += w.line(L.assistantLine(s, s.parent, u1, iso(times[i] - rng.int(200, 3_000)), call, first, null, { ...u, output: rng.int(1, Math.min(31, u.output)) }));
      stats.bytes += w.line(L.assistantLine(s, u1, u2, iso(times[i]), call, second, tools ? 'tool_use' : 'end_turn', u));
      s.parent = u2;
      stats.lines += 2; stats.assistantLines += 2; stats.streamingCopies++; stats.calls++;
      countClaudeCall(stats.truthByModel, call.model, u, times[i]);
    }
    w.close();
  }

  for (const day of days) {
    const sessions = Math.max(1, Math.round(day.calls / YEAR_SHAPE.callsPerSession));
    for (const calls of splitCalls(rng, day.calls, sessions)) writeSession(day, calls);
    stats.callsByDay[day.day] = day.calls;
  }
  stats.projects = used.size;
  return stats;
}
