// Adds Gemini CLI and Cline logs stamped *today* to a UI session's fixture, in their real on-disk formats (field by
// field as the source plug-ins' own fixtures: src/core/sources/gemini/fixtures, src/core/sources/cline/fixtures).
// The Cline task goes into the editor's own user data (…/User/globalStorage/saoudrizwan.claude-dev/tasks), where
// the extension finds it from its own globalStorage folder; the CLI (the tests' oracle) is pointed there with --dir.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/** Today's timestamps: `minutesAgo` before now, never before local midnight + 1 s. */
function today(minutesAgo, now = Date.now()) {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return Math.max(now - minutesAgo * 60_000, midnight.getTime() + 1000 + minutesAgo);
}

/** A Gemini CLI session (.jsonl, current builds): metadata line, a user message, two replies with `tokens`. */
function writeGemini(home) {
  const sessionId = randomUUID();
  const start = today(30);
  const dir = join(home, '.gemini', 'tmp', 'webshop', 'chats');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(home, '.gemini', 'tmp', 'webshop', '.project_root'), join(home, 'code', 'webshop'));
  const iso = (ms) => new Date(ms).toISOString();
  const lines = [
    { sessionId, projectHash: 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184', startTime: iso(start), lastUpdated: iso(start) },
    { id: randomUUID(), timestamp: iso(start + 1000), type: 'user', content: [{ text: 'Add input validation to the checkout form' }] },
    { id: randomUUID(), timestamp: iso(start + 9000), type: 'gemini', content: '', toolCalls: [{ id: 'read_file-1', name: 'read_file', args: { absolute_path: '/w/checkout.ts' }, status: 'success', timestamp: iso(start + 9000) }],
      thoughts: [], model: 'gemini-2.5-pro', tokens: { input: 24100, output: 310, cached: 16384, thoughts: 540, tool: 0, total: 24950 } },
    { id: randomUUID(), timestamp: iso(start + 21000), type: 'gemini', content: 'Validation added.', thoughts: [], model: 'gemini-2.5-pro',
      tokens: { input: 26890, output: 1260, cached: 24064, thoughts: 180, tool: 0, total: 28330 } },
  ];
  const file = join(dir, `session-${iso(start).slice(0, 16).replace(':', '-')}-${sessionId.slice(0, 8)}.jsonl`);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

/** A Cline task: `ui_messages.json` with two `api_req_started` rows (Anthropic), and its `task_metadata.json`. */
function writeCline(globalStorage, home) {
  const t0 = today(20);
  const tasks = join(globalStorage, 'saoudrizwan.claude-dev', 'tasks', String(t0));
  mkdirSync(tasks, { recursive: true });
  const model = { modelId: 'claude-sonnet-4-5-20250929', providerId: 'anthropic', mode: 'act' };
  const req = (request, tokensIn, tokensOut, cacheWrites, cacheReads, cost) => JSON.stringify({ request, tokensIn, tokensOut, cacheWrites, cacheReads, cost });
  const rows = [
    { ts: t0, type: 'say', say: 'task', text: 'Write tests for the cart total', modelInfo: model },
    { ts: t0 + 50, type: 'say', say: 'api_req_started', text: req(`<task>\nWrite tests for the cart total\n</task>\n\n<environment_details>\n# Current Working Directory (${join(home, 'code', 'webshop')}) Files\nsrc/\n</environment_details>`, 14, 640, 15200, 0, 0.066642), modelInfo: model },
    { ts: t0 + 4000, type: 'say', say: 'tool', text: JSON.stringify({ tool: 'readFile', path: 'src/cart.ts' }), partial: false, modelInfo: model },
    { ts: t0 + 4500, type: 'say', say: 'api_req_started', text: req('[read_file for \'src/cart.ts\'] Result:\n...', 9, 1480, 3100, 15200, 0.038358), modelInfo: model },
    { ts: t0 + 12000, type: 'say', say: 'completion_result', text: 'Tests written.', partial: false, modelInfo: model },
  ];
  writeFileSync(join(tasks, 'ui_messages.json'), JSON.stringify(rows));
  writeFileSync(join(tasks, 'task_metadata.json'), JSON.stringify({ files_in_context: [], model_usage: [{ ts: t0 + 40, model_id: model.modelId, model_provider_id: 'anthropic', mode: 'act' }] }, null, 2));
  return join(globalStorage, 'saoudrizwan.claude-dev');
}

/**
 * Claude Code's stats cache (`stats-cache.json` in the config folder, version 2 as Claude Code writes it: see
 * src/core/sources/claude/fixtures/config/stats-cache.json) knowing five days 20–24 days ago, which no log covers:
 * the dashboard shows them as estimates.
 */
function writeStatsCache(claudeDir, now = Date.now()) {
  const day = (n) => new Date(now - n * 86_400_000).toISOString().slice(0, 10);
  const days = [24, 23, 22, 21, 20].map(day);
  const stats = {
    version: 2,
    lastComputedDate: day(1),
    dailyActivity: days.map((date, i) => ({ date, messageCount: 120 + 17 * i, sessionCount: 2 + (i % 2), toolCallCount: 30 + 5 * i })),
    dailyModelTokens: days.map((date, i) => ({ date, tokensByModel: { 'claude-sonnet-4-5-20250929': 40_000 + 9_000 * i } })),
    modelUsage: {
      'claude-sonnet-4-5-20250929': { inputTokens: 150_000, outputTokens: 350_000, cacheReadInputTokens: 9_000_000, cacheCreationInputTokens: 600_000, webSearchRequests: 0, costUSD: 0, contextWindow: 0, maxOutputTokens: 0 },
    },
    totalSessions: 12,
    totalMessages: 700,
    longestSession: null,
    firstSessionDate: new Date(now - 24 * 86_400_000).toISOString(),
    hourCounts: { 10: 5, 14: 7 },
  };
  writeFileSync(join(claudeDir, 'stats-cache.json'), JSON.stringify(stats, null, 2));
  return days;
}

/**
 * Wraps a fixture: its logs plus a Gemini session and a Cline task of today, and a Claude stats cache of earlier days. Returns the fixture with `cliArgs` that
 * make the CLI read the Cline task where the editor keeps it.
 */
export function withGeminiAndCline(fx, { userDataDir }) {
  const gemini = writeGemini(fx.home);
  const clineDir = writeCline(join(userDataDir, 'User', 'globalStorage'), fx.home);
  const estimatedDays = writeStatsCache(fx.claudeDir);
  return { ...fx, cliArgs: ['--no-cache', '--dir', `cline=${clineDir}`], files: { ...fx.files, gemini, cline: clineDir }, estimatedDays };
}
