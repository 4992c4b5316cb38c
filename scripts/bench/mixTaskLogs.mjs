// A year of Cline and Roo Code tasks for the add-on corpus (mixCorpus.mjs), in the VS Code extensions' on-disk
// format as the fixtures under src/core/sources/{cline,roo}/fixtures show it (src/core/sources/vscodeTaskLogs/
// FIXTURES.md cites the extensions' source for each field): `<user data>/User/globalStorage/<extension id>/tasks/
// <task id>/ui_messages.json` (a JSON array of ClineMessage rows, rewritten whole) and its sibling files.
import { join } from 'node:path';
import { count, writeLog } from './mixTruth.mjs';
import { sessionTimes, splitCalls } from './yearCalendar.mjs';

export const CLINE_ID = 'saoudrizwan.claude-dev';
export const ROO_ID = 'rooveterinaryinc.roo-cline';
const MODELS = [['claude-sonnet-4-5-20250929', 8], ['claude-haiku-4-5-20251001', 2]];
const ROO_MODELS = [['claude-sonnet-4-5', 8], ['claude-haiku-4-5', 2]];
const TOOLS = ['readFile', 'editedExistingFile', 'newFileCreated', 'listFilesTopLevel', 'searchFiles'];
/** Roo Code 3.29.5 (vscodeTaskLogs/tokens.ts ROO_TOTAL_INPUT_SINCE): `tokensIn` includes the cache tokens from then on */
const ROO_TOTAL_INPUT_SINCE = Date.UTC(2025, 10, 1);
const gap = (rng) => () => rng.logUniform(5_000, 120_000);

/** globalStorage of VS Code on Linux under `home` (the sources' default discovery looks there). */
export const globalStorage = (home, extensionId) => join(home, '.config', 'Code', 'User', 'globalStorage', extensionId);

/** One request's raw usage in Anthropic's split: uncached input, output, cache writes, cache reads (never all zero). */
function usage(rng) {
  const cacheReads = rng.chance(0.85) ? rng.logUniform(5_000, 150_000) : 0;
  return { input: rng.logUniform(3, 4_000), output: rng.logUniform(40, 6_000), cacheWrites: rng.chance(0.7) ? rng.logUniform(200, 20_000) : 0, cacheReads };
}
const costOf = (u) => Math.round((u.input * 3 + u.output * 15 + u.cacheWrites * 3.75 + u.cacheReads * 0.3)) / 1e6;

/**
 * Tasks of ~10 requests: per request an `api_req_started` row with its usage (Cline: `tokensIn` = input without cache
 * for the Anthropic provider), a text row and a tool row; `task_metadata.json` with `model_usage`.
 * Truth (vscodeTaskLogs/tokens.ts, provider anthropic): input = tokensIn, output = tokensOut, cacheWrite = cacheWrites,
 * cacheRead = cacheReads; one request per row. Returns the task folders (the bench's per-change update uses one).
 */
export function writeClineYear({ rng, pool, home, days, callsByDay, truth }) {
  const tasksDir = join(globalStorage(home, CLINE_ID), 'tasks');
  const taken = new Set();
  const folders = [];
  days.forEach((day, i) => {
    const n = callsByDay[i];
    if (n === 0) return;
    for (const calls of splitCalls(rng, n, Math.ceil(n / 10))) {
      const times = sessionTimes(rng, day, calls, gap(rng));
      let taskId = times[0] - 1_000;
      while (taken.has(taskId)) taskId++;
      taken.add(taskId);
      const cwd = `/home/dev/${rng.pick(['shop', 'api', 'agentmeter', 'infra', 'docs'])}`;
      const modelId = rng.weighted(MODELS);
      const modelInfo = { modelId, providerId: 'anthropic', mode: rng.chance(0.8) ? 'act' : 'plan' };
      const rows = [{ ts: taskId, type: 'say', say: 'task', text: pool.phrase(rng.int(5, 20)), modelInfo }];
      times.forEach((t, k) => {
        const u = usage(rng);
        const request = k === 0
          ? `<task>\n${rows[0].text}\n</task>\n\n<environment_details>\n# Current Working Directory (${cwd}) Files\nREADME.md\nsrc/\n</environment_details>`
          : `[read_file for 'src/${pool.phrase(1)}.ts'] Result:\n\n${pool.text(rng.logUniform(60, 3_000))}`;
        rows.push({ ts: t, type: 'say', say: 'api_req_started', text: JSON.stringify({ request, tokensIn: u.input, tokensOut: u.output, cacheWrites: u.cacheWrites, cacheReads: u.cacheReads, cost: costOf(u) }), modelInfo });
        rows.push({ ts: t + 1_500, type: 'say', say: 'text', text: pool.phrase(rng.int(5, 30)), partial: false, modelInfo });
        if (rng.chance(0.7)) rows.push({ ts: t + 2_000, type: 'ask', ask: 'tool', text: JSON.stringify({ tool: rng.pick(TOOLS), path: `src/${pool.phrase(1)}.ts`, content: pool.text(rng.logUniform(40, 1_500)), operationIsLocatedInWorkspace: true }), partial: false });
        count(truth, { requests: 1, input: u.input, output: u.output, cacheWrite: u.cacheWrites, cacheRead: u.cacheReads });
      });
      const dir = join(tasksDir, String(taskId));
      writeLog(truth, join(dir, 'ui_messages.json'), JSON.stringify(rows));
      const meta = {
        files_in_context: [],
        model_usage: [{ ts: taskId + 40, model_id: modelId, model_provider_id: 'anthropic', mode: modelInfo.mode }],
        environment_history: [{ ts: taskId + 1, os_name: 'linux', os_version: '6.8.0', os_arch: 'x64', host_name: 'Visual Studio Code', host_version: '1.107.0', cline_version: '3.41.0' }],
      };
      writeLog({ files: 0, bytes: 0 }, join(dir, 'task_metadata.json'), JSON.stringify(meta, null, 2));
      folders.push(dir);
    }
  });
  return folders;
}

/**
 * Roo Code tasks (uuid folders): `api_req_started` rows with `apiProtocol: 'anthropic'` and, as Roo Code writes it
 * since 3.29.5 (2025-11-01, vscodeTaskLogs/tokens.ts), `tokensIn` = input + cache writes + cache reads (before that
 * day the provider's input without cache, as Roo Code wrote it then); the model in
 * `api_conversation_history.json`'s environment details, the workspace in `history_item.json`.
 * Truth: input = tokensIn − cacheWrites − cacheReads, output = tokensOut, cacheWrite, cacheRead; one request per row.
 */
export function writeRooYear({ rng, pool, home, days, callsByDay, truth }) {
  const tasksDir = join(globalStorage(home, ROO_ID), 'tasks');
  days.forEach((day, i) => {
    const n = callsByDay[i];
    if (n === 0) return;
    for (const calls of splitCalls(rng, n, Math.ceil(n / 10))) {
      const times = sessionTimes(rng, day, calls, gap(rng));
      const taskId = rng.uuid();
      const ws = `/home/dev/${rng.pick(['roo-app', 'billing', 'site', 'ml'])}`;
      const model = rng.weighted(ROO_MODELS);
      const task = pool.phrase(rng.int(5, 20));
      const rows = [{ ts: times[0] - 1_000, type: 'say', say: 'text', text: task }];
      const history = [];
      let tokensIn = 0, tokensOut = 0, cacheWrites = 0, cacheReads = 0, totalCost = 0;
      times.forEach((t, k) => {
        const u = usage(rng);
        // Roo Code before 3.29.5 wrote the provider's input (without cache) instead
        const tokensInRow = t >= ROO_TOTAL_INPUT_SINCE ? u.input + u.cacheWrites + u.cacheReads : u.input;
        rows.push({ ts: t, type: 'say', say: 'api_req_started', text: JSON.stringify({ apiProtocol: 'anthropic', tokensIn: tokensInRow, tokensOut: u.output, cacheWrites: u.cacheWrites, cacheReads: u.cacheReads, cost: costOf(u) }) });
        if (rng.chance(0.7)) rows.push({ ts: t + 2_000, type: 'ask', ask: 'tool', text: JSON.stringify({ tool: rng.pick(TOOLS), path: `src/${pool.phrase(1)}.ts`, isOutsideWorkspace: false, content: `${ws}/src/x.ts` }), partial: false });
        const env = `<environment_details>\n# VSCode Visible Files\nsrc/index.ts\n\n# Current Time\n${new Date(t).toISOString()}\n\n# Current Mode\n<slug>code</slug>\n<name>💻 Code</name>\n<model>${model}</model>\n${k === 0 ? `\n# Current Workspace Directory (${ws}) Files\nsrc/index.ts\n` : ''}</environment_details>`;
        history.push({ role: 'user', content: [{ type: 'text', text: k === 0 ? `<task>\n${task}\n</task>` : pool.text(rng.logUniform(60, 2_000)) }, { type: 'text', text: env }], ts: t + 700 });
        history.push({ role: 'assistant', content: [{ type: 'text', text: pool.phrase(rng.int(5, 25)) }], ts: t + 3_000 });
        count(truth, { requests: 1, input: u.input, output: u.output, cacheWrite: u.cacheWrites, cacheRead: u.cacheReads });
        tokensIn += tokensInRow; tokensOut += u.output; cacheWrites += u.cacheWrites; cacheReads += u.cacheReads; totalCost += costOf(u);
      });
      const dir = join(tasksDir, taskId);
      writeLog(truth, join(dir, 'ui_messages.json'), JSON.stringify(rows));
      writeLog({ files: 0, bytes: 0 }, join(dir, 'api_conversation_history.json'), JSON.stringify(history));
      writeLog({ files: 0, bytes: 0 }, join(dir, 'history_item.json'), JSON.stringify({ id: taskId, number: 1, ts: rows[0].ts, task, tokensIn, tokensOut, cacheWrites, cacheReads, totalCost, workspace: ws, mode: 'code', status: 'completed' }));
      writeLog({ files: 0, bytes: 0 }, join(dir, 'task_metadata.json'), JSON.stringify({ files_in_context: [] }, null, 2));
    }
  });
}
