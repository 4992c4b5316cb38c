import { appendFileSync, mkdirSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rng } from '../rng';
import { claudeAssistant, write, type ClaudeUsage } from '../ingest/helpers';

/**
 * A generated Claude Code history in the real log format: months of days with work sessions, nights and weekends
 * off (pauses > 5 h), unattended agents calling every 1.5–4.5 h (chains that never pause), several models (one
 * unpriced, `<synthetic>` lines, fast mode, long context), streamed copies corrected by their final copy (in the
 * same file or in a later session's file), and "usage limit reached" API errors. One file per session, its mtime
 * at its last line, so a newest-first index reads the history backwards. Calls ask for tools as Claude Code writes
 * them (one line per content block: a streamed copy shows a thinking block, the final copy the call's tool), chosen
 * by the call's number so the random draws — and so every figure — are the same as without them; the activity
 * (core/activity.ts) only splits the rows.
 */
const MIN = 60_000;
const H = 60 * MIN;

const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5', 'claude-opus-4-6', 'claude-experimental-x'];

export interface HistoryFile {
  path: string;
  lines: string[];
  lastMs: number;
}

const iso = (t: number) => new Date(t).toISOString();

/** The content block of a call's final copy, by call number: every activity class, a subagent type, two MCP servers. */
const BLOCKS: unknown[] = [
  { type: 'text', text: 'Done.' },
  { type: 'tool_use', id: 'toolu_e', name: 'Edit', input: { file_path: 'a.ts', old_string: 'a', new_string: 'b' } },
  { type: 'tool_use', id: 'toolu_r', name: 'Read', input: { file_path: 'a.ts' } },
  { type: 'tool_use', id: 'toolu_b', name: 'Bash', input: { command: 'npm test' } },
  { type: 'tool_use', id: 'toolu_t', name: 'Task', input: { description: 'd', prompt: 'p', subagent_type: 'Explore' } },
  { type: 'tool_use', id: 'toolu_w', name: 'WebFetch', input: { url: 'https://example.com' } },
  { type: 'tool_use', id: 'toolu_m', name: 'mcp__github__create_issue', input: { title: 't' } },
  { type: 'tool_use', id: 'toolu_n', name: 'mcp__linear__list_issues', input: {} },
  { type: 'tool_use', id: 'toolu_g', name: 'Grep', input: { pattern: 'x' } },
];
const THINKING = { type: 'thinking', thinking: 'Let me look.', signature: 'sig' };

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function usageOf(r: () => number, model: string): ClaudeUsage {
  const u: ClaudeUsage = {
    input: 1 + Math.floor(r() * 6000),
    output: 5 + Math.floor(r() * (r() < 0.1 ? 40_000 : 3000)),
    cacheRead: Math.floor(r() * 120_000),
  };
  const w = r();
  if (w < 0.3) u.cw5m = Math.floor(r() * 20_000);
  else if (w < 0.4) u.cw1h = Math.floor(r() * 30_000);
  if (r() < 0.04) u.cacheRead = 210_000 + Math.floor(r() * 50_000); // long context (> 200k input)
  if (model === 'claude-opus-4-6' && r() < 0.3) u.speed = 'fast';
  if (r() < 0.02) u.webSearch = 1 + Math.floor(r() * 3);
  return u;
}

/**
 * The files of `days` days of history from `startIso` (deterministic for a seed), oldest session first. `tools: false`
 * writes text blocks only (one activity: what an index written before activity was recorded holds per dims tuple).
 */
export function claudeHistory(seed: number, startIso: string, days: number, opts: { tools?: boolean } = {}): HistoryFile[] {
  const tools = opts.tools ?? true;
  const r = rng(seed);
  const start = Date.parse(startIso);
  const files: HistoryFile[] = [];
  let callNo = 0;
  let sessionNo = 0;
  const session = (first: number, times: number[], model: string, project: string) => {
    const sid = `s${seed}-${sessionNo++}`;
    const file: HistoryFile = { path: join('projects', project, `${sid}.jsonl`), lines: [], lastMs: first };
    for (const t of times) {
      const id = `msg_${seed}_${callNo++}`;
      const m = r() < 0.1 ? pick(r, MODELS) : model;
      const u = usageOf(r, m);
      const block = tools ? BLOCKS[callNo % BLOCKS.length] : BLOCKS[0];
      const line = (ts: number, usage: ClaudeUsage, content: unknown = block) =>
        claudeAssistant({ id, ts: iso(ts), model: m, usage, session: sid, cwd: `/home/u/${project}`, content: [content] });
      const s = r();
      if (s < 0.15) file.lines.push(line(t, { ...u, output: 1 }, THINKING)); // streamed copy first, final copy below
      if (s < 0.02 && files.length > 0) {
        // the final copy lands in the previous session's file (read later or earlier than this one)
        files[files.length - 1].lines.push(line(t, u));
      } else {
        file.lines.push(line(t, u));
      }
      if (r() < 0.01) file.lines.push(claudeAssistant({ id: `syn_${callNo}`, ts: iso(t + 1000), model: '<synthetic>', usage: {}, session: sid }));
      if (r() < 0.005) {
        file.lines.push(`${JSON.stringify({
          type: 'assistant', isApiErrorMessage: true, timestamp: iso(t + 2000), sessionId: sid,
          message: { id: `err_${callNo}`, model: '<synthetic>', content: [{ type: 'text', text: `Claude AI usage limit reached|${Math.floor((t + 3 * H) / 1000)}` }], usage: { input_tokens: 0, output_tokens: 0 } },
        })}\n`);
      }
      file.lastMs = Math.max(file.lastMs, t);
    }
    files.push(file);
  };
  for (let d = 0; d < days; d++) {
    const day = start + d * 24 * H;
    const weekend = new Date(day).getUTCDay() % 6 === 0;
    const kind = r();
    if (weekend && kind < 0.7) continue;
    if (kind < 0.12) {
      // an unattended agent: a call every 1.5–4.5 h around the clock, never a 5-hour pause
      const times: number[] = [];
      for (let t = day + Math.floor(r() * 3 * H); t < day + 24 * H; t += 90 * MIN + Math.floor(r() * 3 * H)) times.push(t);
      session(day, times, 'claude-sonnet-4-5-20250929', 'agent');
      continue;
    }
    const sessions = 1 + Math.floor(r() * 3);
    for (let k = 0; k < sessions; k++) {
      const from = day + (7 + Math.floor(r() * 14)) * H + Math.floor(r() * 60) * MIN + Math.floor(r() * 60_000);
      const until = from + Math.floor((0.5 + r() * 5.5) * H);
      const times: number[] = [];
      for (let t = from; t < until; t += MIN + Math.floor(r() * 20 * MIN) + Math.floor(r() * 1000)) times.push(t);
      session(from, times, pick(r, MODELS.slice(0, 4)), `proj${Math.floor(r() * 4)}`);
    }
  }
  return files.sort((a, b) => a.lastMs - b.lastMs);
}

/** The latest timestamp written in the files. */
export function lastTimestamp(files: readonly HistoryFile[]): number {
  let last = 0;
  for (const f of files) for (const l of f.lines) last = Math.max(last, Date.parse(JSON.parse(l).timestamp));
  return last;
}

/** Writes the files under `root` (a Claude config dir), each with its mtime at its last line. */
export function writeHistory(root: string, files: readonly HistoryFile[]): void {
  for (const f of files) {
    const p = write(join(root, f.path), f.lines.join(''));
    utimesSync(p, new Date(f.lastMs), new Date(f.lastMs));
  }
}

/** Appends the first `upTo` (a fraction) of every file's lines not written yet (`written`: lines per path so far), mtime at the file's last line. */
export function writeUpTo(dir: string, files: readonly HistoryFile[], written: Map<string, number>, upTo: number): void {
  for (const f of files) {
    const n = Math.ceil(f.lines.length * upTo);
    const from = written.get(f.path) ?? 0;
    if (n <= from) continue;
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    appendFileSync(p, f.lines.slice(from, n).join(''));
    utimesSync(p, new Date(f.lastMs), new Date(f.lastMs));
    written.set(f.path, n);
  }
}
