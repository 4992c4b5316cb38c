import { cpSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Database } from 'sql.js';
import { discoverRoots, type Roots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadFacts, type FactFilter } from '../../../src/core/query/facts';
import { openIndexDatabase } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { addTokens, zeroTokens, type TokenCounts } from '../../../src/core/types';

/** Test helpers: build Claude/Codex lines in the real formats (formats note A.3, B.3) and index temp trees. */

export function tmpDir(prefix = 'agentmeter-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
export function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}
export function append(path: string, text: string | Buffer): void {
  appendFileSync(path, text);
}

export interface ClaudeUsage {
  input?: number;
  output?: number;
  cacheCreate?: number;
  cw5m?: number;
  cw1h?: number;
  cacheRead?: number;
  webSearch?: number;
  speed?: string;
}

/** One Claude Code assistant line (2.1.x shape) with a top-level message.usage. */
export function claudeAssistant(o: {
  id?: string;
  req?: string | null;
  ts: string;
  model?: string;
  usage: ClaudeUsage;
  sidechain?: boolean;
  cwd?: string;
  branch?: string;
  session?: string;
  content?: unknown[];
}): string {
  const u = o.usage;
  const usage: Record<string, unknown> = {
    input_tokens: u.input ?? 0,
    cache_creation_input_tokens: u.cacheCreate ?? (u.cw5m ?? 0) + (u.cw1h ?? 0),
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: u.output ?? 0,
    service_tier: 'standard',
  };
  if (u.cw5m !== undefined || u.cw1h !== undefined) usage.cache_creation = { ephemeral_5m_input_tokens: u.cw5m ?? 0, ephemeral_1h_input_tokens: u.cw1h ?? 0 };
  if (u.webSearch !== undefined) usage.server_tool_use = { web_search_requests: u.webSearch, web_fetch_requests: 0 };
  if (u.speed !== undefined) usage.speed = u.speed;
  const line: Record<string, unknown> = {
    parentUuid: `p-${o.id ?? 'x'}`,
    isSidechain: o.sidechain ?? false,
    userType: 'external',
    cwd: o.cwd ?? '/home/u/proj',
    sessionId: o.session ?? 'sess',
    version: '2.1.39',
    gitBranch: o.branch ?? 'main',
    message: { id: o.id, type: 'message', role: 'assistant', model: o.model ?? 'claude-sonnet-4-5-20250929', content: o.content ?? [{ type: 'text', text: 'ok' }], stop_reason: null, stop_sequence: null, usage },
    type: 'assistant',
    uuid: `u-${o.id ?? 'x'}-${o.ts}-${u.output ?? 0}`,
    timestamp: o.ts,
  };
  if (o.req !== null) line.requestId = o.req ?? `req_${o.id ?? 'x'}`;
  return `${JSON.stringify(line)}\n`;
}

export function claudeUser(ts: string, text = 'hello', cwd = '/home/u/proj'): string {
  return `${JSON.stringify({ parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId: 'sess', version: '2.1.39', gitBranch: 'main', type: 'user', message: { role: 'user', content: text }, uuid: 'uu', timestamp: ts })}\n`;
}

export interface CodexTotals {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

export function codexSessionMeta(ts: string, cwd: string, branch = 'main', extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ timestamp: ts, type: 'session_meta', payload: { id: `id-${ts}`, timestamp: ts, cwd, originator: 'codex_cli_rs', cli_version: '0.104.0', source: 'cli', model_provider: 'openai', git: { commit_hash: 'abc', branch, repository_url: 'x' }, ...extra } })}\n`;
}
export function codexTurnContext(ts: string, model: string): string {
  return `${JSON.stringify({ timestamp: ts, type: 'turn_context', payload: { cwd: '/x', approval_policy: 'on-request', sandbox_policy: { type: 'workspace-write' }, model, effort: 'medium', summary: 'auto' } })}\n`;
}
function usageObj(t: CodexTotals) {
  return { input_tokens: t.input, cached_input_tokens: t.cached, output_tokens: t.output, reasoning_output_tokens: t.reasoning, total_tokens: t.input + t.output };
}
export function codexTokenCount(ts: string, total: CodexTotals | null, last?: CodexTotals, rateLimits?: unknown): string {
  const info = total ? { total_token_usage: usageObj(total), last_token_usage: usageObj(last ?? total), model_context_window: 258400 } : null;
  return `${JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'token_count', info, rate_limits: rateLimits ?? null } })}\n`;
}
export function codexResponseItem(ts: string, text: string): string {
  return `${JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] } })}\n`;
}

export async function freshDb(): Promise<Database> {
  const SQL = await loadSqlJs();
  return openIndexDatabase(SQL, undefined).db;
}

export function rootsFor(opts: { claude?: string; codex?: string }): Roots {
  return discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: [opts.claude ?? 'none'], codex: [opts.codex ?? 'none'] } });
}

/** Indexes the tree once (in-process) and returns the db. */
export async function indexOnce(roots: Roots, db?: Database, now?: number): Promise<{ db: Database; indexer: Indexer }> {
  const d = db ?? (await freshDb());
  const indexer = new Indexer({ db: d, roots, now: now ? () => now : undefined });
  await indexer.refresh();
  return { db: d, indexer };
}

/** Sum of all facts (optionally filtered). */
export function totals(db: Database, f: FactFilter = {}): TokenCounts {
  const t = zeroTokens();
  for (const fact of loadFacts(db, f)) addTokens(t, fact);
  return t;
}

/**
 * n Claude files under `<dir>/c/projects/p<k>/s.jsonl`: call k is streamed in file k (placeholder output 1) and
 * final in file k+1 (output 100 + k), so de-dup across files decides the totals (call n-1 exists only streamed).
 */
export function writeCallsAcrossFiles(dir: string, n: number): void {
  for (let k = 0; k < n; k++) {
    let text = claudeAssistant({ id: `call${k}`, ts: '2026-04-01T10:00:00Z', usage: { input: 2, output: 1 } });
    if (k > 0) text += claudeAssistant({ id: `call${k - 1}`, ts: '2026-04-01T10:00:00Z', usage: { input: 2, output: 100 + k - 1 } });
    write(join(dir, `c/projects/p${k}/s.jsonl`), text);
  }
}

/** dist/ingest-worker.js as esbuild bundles it, built once (per test process) into a temp dir. */
let workerBuild: Promise<string> | undefined;
export function bundledWorker(): Promise<string> {
  workerBuild ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'agentmeter-worker-'));
    const script = join(out, 'ingest-worker.js');
    await esbuild.build({ entryPoints: [join(__dirname, '../../../src/core/ingest/worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'silent' });
    return script;
  })();
  return workerBuild;
}

/**
 * A copy of test/fixtures/basic's Claude and Codex logs under `<dir>/logs` that a test may append to: their roots and
 * the Claude session file of project alpha.
 */
export function basicLogsCopy(dir: string): { roots: Roots; claudeFile: string } {
  cpSync(join(__dirname, '../../fixtures/basic'), join(dir, 'logs'), { recursive: true });
  const projectDir = join(dir, 'logs/claude/projects/-home-dev-alpha');
  const claudeFile = join(projectDir, readdirSync(projectDir).find((n) => n.endsWith('.jsonl'))!);
  return { roots: rootsFor({ claude: join(dir, 'logs/claude'), codex: join(dir, 'logs/codex') }), claudeFile };
}
