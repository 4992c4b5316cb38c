/**
 * The CLI over every plug-in source's fixtures (a home laid out as the agents write): `--by source` rows per source
 * with their ids, the sessions whose usage is unknown, the agents' own cost estimates beside ours, `--source` and
 * `--dir ID=none`, and the `--dir ID=DIR` forms. Figures are compared with what the sources' parsers read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { discoverRoots, listLogFiles } from '../../../src/core/discovery';
import type { KeyedPayload } from '../../../src/core/sources/keyed/keyedParse';
import { sourceDef } from '../../../src/core/sources/registry';
import { cli, ensureBuilt } from '../cli/cliRun';
import { cleanup } from '../ingest/helpers';
import { fixtureHome } from './fixtureHome';

/** Requests and the agents' own cost per source, from the parsers (each key once, the last read wins). */
async function fromParsers(home: string): Promise<Map<string, { requests: number; agentCost: number }>> {
  const byKey = new Map<string, { source: string; requests: number; cost?: number }>();
  for (const f of await listLogFiles(discoverRoots({ env: {}, home }))) {
    const r = await sourceDef(f.source).parse({ path: f.path, source: f.source, format: f.format, project: f.project, session: f.session, offset: 0, state: {} });
    for (const rec of (r.payload as KeyedPayload | undefined)?.records ?? []) byKey.set(`${f.source}\u0000${rec.key}`, { source: f.source, requests: rec.requests, cost: rec.agentCostUsd });
  }
  const out = new Map<string, { requests: number; agentCost: number }>();
  for (const v of byKey.values()) {
    const t = out.get(v.source) ?? { requests: 0, agentCost: 0 };
    t.requests += v.requests;
    t.agentCost += v.cost ?? 0;
    out.set(v.source, t);
  }
  return out;
}

test('CLI --by source over every plug-in source: rows, usage unknown, the agents\' own cost, --source and --dir', async () => {
  ensureBuilt();
  const home = fixtureHome();
  try {
    const want = await fromParsers(home);
    const r = await cli(['report', '--by', 'source', '--format', 'json', '--no-cache'], { HOME: home });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const rows = new Map<string, { requests: number }>(out.rows.map((x: { key: string; requests: number }) => [x.key, x]));
    assert.deepEqual([...rows.keys()].sort(), [...want.keys()].sort());
    for (const [id, w] of want) assert.equal(rows.get(id)!.requests, w.requests, id);
    // Copilot CLI: one session ended without writing its usage (fixtures: session c3d4e5f6…, activity after its shutdown)
    assert.deepEqual(out.unknownUsageSessions, { 'copilot-cli': 1 });
    assert.match(r.stderr, /^agentmeter: warning: Copilot CLI: usage unknown for 1 session\(s\)/m);
    // the agents' own estimates, for the sources that log one
    const own = Object.fromEntries([...want].filter(([, w]) => w.agentCost > 0).map(([id, w]) => [id, Math.round(w.agentCost * 1e6) / 1e6]));
    assert.deepEqual(Object.keys(out.agentCostUSD).sort(), Object.keys(own).sort());
    for (const [id, usd] of Object.entries(own)) assert.ok(Math.abs(out.agentCostUSD[id] - usd) < 1e-6, `${id}: ${out.agentCostUSD[id]} vs ${usd}`);
    const table = await cli(['report', '--by', 'source', '--no-cache'], { HOME: home });
    assert.match(table.stdout, /^The agents' own cost estimates for these days: Cline \$/m);
    // the table names the sources (JSON and CSV keep the ids)
    for (const label of ['Gemini CLI', 'Qwen Code', 'Cline', 'Roo Code', 'Kilo Code', 'Copilot CLI', 'OpenCode']) assert.match(table.stdout, new RegExp(`^${label}\\s+\\d`, 'm'));

    // --source picks sources; --dir ID=none leaves one out; --dir ID=DIR reads another folder
    const some = JSON.parse((await cli(['report', '--by', 'source', '--format', 'json', '--no-cache', '--source', 'gemini,cline,roo', '--dir', 'roo=none'], { HOME: home })).stdout);
    assert.deepEqual(some.rows.map((x: { key: string }) => x.key).sort(), ['cline', 'gemini']);
    const moved = await cli(['report', '--by', 'source', '--format', 'json', '--no-cache', '--source', 'gemini', '--dir', `gemini=${join(home, '.gemini')}`], { HOME: '/nonexistent-home' });
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(JSON.parse(moved.stdout).rows[0].requests, want.get('gemini')!.requests);
    const wrong = await cli(['report', '--no-cache', '--dir', `cline=${join(home, '.gemini')}`], { HOME: home });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^agentmeter: --dir cline: no Cline logs folder in /);
  } finally {
    cleanup(home);
  }
});
