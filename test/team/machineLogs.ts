/**
 * A machine's agent logs in the agents' real formats (Claude Code 2.1.x lines, Codex CLI rollouts; helpers of
 * test/unit/ingest/helpers.ts) over several months, several projects, branches and models, with a streamed copy of
 * some Claude calls (de-dup decides), tool calls (Claude `tool_use` blocks of built-in and MCP tools and Task with a
 * subagent type, some calls a subagent's — isSidechain; Codex `function_call` items) so that cost by activity has
 * every class, and its index built from them as the extension and the CLI build it.
 */
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { loadFacts } from '../../src/core/query/facts';
import { groupFacts } from '../../src/core/report/group';
import { createPriceTable } from '../../src/core/pricing/priceTable';
import { addTokens, zeroTokens, type Fact, type TokenCounts } from '../../src/core/types';
import { append, claudeAssistant, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, write } from '../unit/ingest/helpers';

export interface MachineLogs {
  dir: string;
  claude: string;
  codex: string;
}

/**
 * A Claude reply's content by call number (not from the seeded random numbers, which the other figures keep): text
 * only, or `tool_use` blocks as Claude Code 2.1.x writes them (core/activity.ts classifies them).
 */
function claudeContent(i: number): unknown[] {
  const tool = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use', id: `toolu_${i}_${name}`, name, input });
  switch (i % 8) {
    case 1: return [{ type: 'text', text: 'Editing.' }, tool('Edit', { file_path: '/x.ts', old_string: 'a', new_string: 'b' })];
    case 2: return [tool('Read', { file_path: '/x.ts' }), tool('Grep', { pattern: 'foo' })];
    case 3: return [tool('Bash', { command: 'npm test' })];
    case 4: return [tool('Task', { subagent_type: 'Explore', prompt: 'look around', description: 'explore' })];
    case 5: return [tool('mcp__github__search_issues', { q: 'bug' })];
    case 6: return [tool('WebFetch', { url: 'https://example.com', prompt: 'read' })];
    default: return [{ type: 'text', text: 'ok' }];
  }
}

const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001'];

/** `calls` Claude calls and `sessions` Codex sessions from `startMs`, one every `stepMs`; deterministic per seed. */
export function writeMachineLogs(dir: string, o: { seed: number; startMs: number; stepMs: number; calls: number; sessions?: number }): MachineLogs {
  const claude = join(dir, 'claude');
  const codex = join(dir, 'codex');
  let x = o.seed;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const files = new Map<string, string>();
  for (let i = 0; i < o.calls; i++) {
    const ts = new Date(o.startMs + i * o.stepMs + rnd(60_000)).toISOString();
    const project = ['app', 'api', 'web'][rnd(3)];
    const cwd = `/home/dev/src/${project}`;
    const file = join(claude, 'projects', `-home-dev-src-${project}`, `s${o.seed}-${rnd(4)}.jsonl`);
    const usage = { input: 10 + rnd(500), output: 50 + rnd(4000), cw5m: rnd(3000), cw1h: rnd(3) ? 0 : rnd(9000), cacheRead: rnd(80_000) };
    const id = `msg_${o.seed}_${i}`;
    let text = '';
    // one call in five a subagent's (Claude Code marks its lines isSidechain), its streamed copy too
    const sidechain = i % 5 === 2;
    if (rnd(5) === 0) text += claudeAssistant({ id, ts, model: MODELS[rnd(3)], usage: { ...usage, output: 1 }, cwd, branch: 'main', sidechain });
    text += claudeAssistant({
      id, ts, model: MODELS[i % 3], usage, cwd, branch: ['main', 'feature/x', ''][rnd(3)], content: claudeContent(i), sidechain,
    });
    files.set(file, (files.get(file) ?? '') + text);
  }
  for (const [f, t] of files) write(f, t);
  for (let s = 0; s < (o.sessions ?? 0); s++) {
    const t0 = o.startMs + s * o.stepMs * 7;
    const iso = (ms: number) => new Date(ms).toISOString();
    const d = new Date(t0);
    const file = join(codex, 'sessions', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'),
      String(d.getUTCDate()).padStart(2, '0'), `rollout-${iso(t0).slice(0, 19).replace(/:/g, '-')}-${o.seed}-${s}.jsonl`);
    let text = codexSessionMeta(iso(t0), `/home/dev/src/${['app', 'tool'][s % 2]}`, 'main') + codexTurnContext(iso(t0 + 1000), 'gpt-5-codex');
    // the first turn's reply runs a command (a Codex CLI rollout's function_call item)
    text += `${JSON.stringify({ timestamp: iso(t0 + 30_000), type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{"command":["npm","test"]}', call_id: `call_${s}` } })}\n`;
    const total = { input: 0, cached: 0, output: 0, reasoning: 0 };
    for (let k = 1; k <= 4; k++) {
      const last = { input: 1000 + rnd(9000), cached: rnd(900), output: 100 + rnd(900), reasoning: rnd(90) };
      total.input += last.input;
      total.cached += last.cached;
      total.output += last.output;
      total.reasoning += last.reasoning;
      text += codexTokenCount(iso(t0 + k * 60_000), { ...total }, last);
    }
    write(file, text);
  }
  return { dir, claude, codex };
}

export async function indexMachine(logs: MachineLogs, db?: Database): Promise<Database> {
  return (await indexOnce(rootsFor({ claude: logs.claude, codex: logs.codex }), db)).db;
}

export { append };

export const prices = createPriceTable();

/** A machine's local report by day (UTC), as `agentmeter report --by day --timezone UTC` computes it. */
export function localDays(db: Database) {
  return groupFacts(loadFacts(db), 'day', { timeZone: 'UTC', prices });
}

export function sumTokens(facts: readonly Fact[]): TokenCounts {
  const t = zeroTokens();
  for (const f of facts) addTokens(t, f);
  return t;
}
