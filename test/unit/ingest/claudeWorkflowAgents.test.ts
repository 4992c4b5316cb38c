/**
 * A Workflow run's agents (Claude Code 2.1.268 and 2.1.337): each agent's transcript is written below the session's
 * `subagents/` folder in the run's subdir, `<project>/<session>/subagents/workflows/<runId>/agent-<id>.jsonl` (their
 * bundled code: `bre(r)` joins `…,"subagents","workflows",r`, and `cy(t)` puts `agent-${t}.jsonl` in the agent's
 * transcript subdir below `subagents`). Such a file belongs to its parent session and its calls are a subagent's,
 * as for a file directly in `subagents/`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadFacts } from '../../../src/core/query/facts';
import { loadActivityFacts } from '../../../src/core/query/activityFacts';
import { isSubagentFile } from '../../../src/core/sources/claude';
import * as h from './helpers';

const SESSION = 'b1e2c3d4-aaaa-4bbb-8ccc-0123456789ab';

test("a Workflow agent's transcript counts under its parent session, as a subagent's calls", async () => {
  const dir = h.tmpDir();
  try {
    const project = join(dir, 'c/projects/-home-u-app');
    h.write(join(project, `${SESSION}.jsonl`), h.claudeAssistant({ id: 'msg_main', ts: '2026-12-01T09:00:00.000Z', session: SESSION, usage: { input: 4, output: 30, cacheRead: 1000 } }));
    const agent = join(project, SESSION, 'subagents', 'workflows', 'r1a2b3c4', 'agent-a9f8e7d6c5b4a3f2.jsonl');
    // a workflow agent's line carries the parent's sessionId; no isSidechain here, so the file's place decides
    h.write(agent, h.claudeAssistant({ id: 'msg_wf', ts: '2026-12-01T09:01:00.000Z', session: SESSION, usage: { input: 6, output: 50, cacheRead: 2000 }, content: [{ type: 'tool_use', id: 'toolu_wf', name: 'Read', input: { file_path: 'a.ts' } }] }));
    assert.equal(isSubagentFile(agent), true);
    assert.equal(isSubagentFile(join(project, `${SESSION}.jsonl`)), false);
    const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, Date.parse('2026-12-02T00:00:00Z'));
    const sessions = new Set(loadFacts(db, {}).map((f) => f.session));
    assert.deepEqual([...sessions], [SESSION]);
    const inSession = loadFacts(db, { session: SESSION });
    assert.deepEqual([inSession.reduce((n, f) => n + f.requests, 0), inSession.reduce((n, f) => n + f.output, 0)], [2, 80]);
    const acts = new Map<string, number>();
    for (const f of loadActivityFacts(db)) acts.set(f.activity ?? '', (acts.get(f.activity ?? '') ?? 0) + f.output);
    assert.equal(acts.get('subagent/exploring'), 50);
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
