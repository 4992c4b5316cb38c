import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join, sep } from 'node:path';
import { claudeFileKeys } from '../../../src/core/sources/claude/discovery';
import { isJsonl, nameOf, stemOf } from '../../../src/core/sources/walk';

test('isJsonl and stemOf: the extension matches in any case; the stem keeps the name as written', () => {
  assert.equal(isJsonl('a.jsonl'), true);
  assert.equal(isJsonl('a.JSONL'), true);
  assert.equal(isJsonl('a.JsonL'), true);
  assert.equal(isJsonl('a.json'), false);
  assert.equal(isJsonl('a.jsonl.bak'), false);
  assert.equal(stemOf('/p/x/3f2e-Session.jsonl', '.jsonl'), '3f2e-Session');
  assert.equal(stemOf('/p/x/3f2e-Session.JSONL', '.jsonl'), '3f2e-Session');
  assert.equal(stemOf('/p/x/İstanbul.Jsonl', '.jsonl'), 'İstanbul');
  assert.equal(stemOf('/p/x/notes.txt', '.jsonl'), 'notes.txt');
  assert.equal(stemOf('/p/x/rollout.JSON', '.json'), 'rollout');
});

test('nameOf gives what path.basename gives, for listed files and for the unusual paths it leaves to basename', () => {
  for (const p of ['/p/x/a.jsonl', 'a.jsonl', '/p/x/', '/', '', '//', '/p/x//b', 'rel/dir/c.jsonl', '/p/.hidden', '/p/x/name with spaces.jsonl']) {
    assert.equal(nameOf(p), basename(p), JSON.stringify(p));
  }
});

test("claudeFileKeys: project and session as the split of the relative path gives them (subagents' logs → their parent session)", () => {
  // the rule written with split: first part, and the part before the last `subagents` folder that has a session folder
  // before it (Claude Code: <project>/<session>/subagents/[<subdir>/]agent-<id>.jsonl), else the file's stem
  const bySplit = (rel: string, path: string) => {
    const parts = rel.split(sep);
    const folders = parts.slice(0, -1);
    const at = folders.lastIndexOf('subagents');
    return { project: parts.length > 1 ? parts[0] : '(none)', session: at >= 2 ? parts[at - 1] : stemOf(path, '.jsonl') };
  };
  const rels = [
    'a.jsonl', 'p/a.jsonl', 'p/s/subagents/x.jsonl', 'p/subagents/x.jsonl', 'p/q/r/s.jsonl', 'p/s/subagents/deep/x.jsonl', 'p//subagents/x.jsonl',
    'p/s/subagentsX/x.jsonl', 'p/s/Xsubagents/x.jsonl', 'p/a/b/s/subagents/x.JSONL', 'subagents/x.jsonl', 'p/subagents/subagents/x.jsonl', '/x.jsonl',
    'p/s/subagents/workflows/r1a2b3c4/agent-w1.jsonl', 'p/s/subagents/subagents.jsonl', 'p/s/x/subagents.jsonl',
  ].map((r) => r.split('/').join(sep));
  for (const rel of rels) {
    const path = join(sep, 'root', 'projects', rel);
    assert.deepEqual(claudeFileKeys(rel, path), bySplit(rel, path), rel);
  }
  // a Workflow run's agent (Claude Code 2.1.268 / 2.1.337: <session>/subagents/workflows/<runId>/agent-<id>.jsonl)
  const wf = ['-home-u-app', 'b1e2c3d4-aaaa-4bbb-8ccc-0123456789ab', 'subagents', 'workflows', 'r1a2b3c4', 'agent-a9f8e7d6c5b4a3f2.jsonl'].join(sep);
  assert.deepEqual(claudeFileKeys(wf, join(sep, 'root', 'projects', wf)), { project: '-home-u-app', session: 'b1e2c3d4-aaaa-4bbb-8ccc-0123456789ab' });
});
