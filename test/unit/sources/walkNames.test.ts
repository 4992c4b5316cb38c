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
  // the rule as it was written with split: first part, and the part before `subagents/` when there are four parts or more
  const bySplit = (rel: string, path: string) => {
    const parts = rel.split(sep);
    const parent = parts.length >= 3 ? parts[parts.length - 2] : '';
    return { project: parts.length > 1 ? parts[0] : '(none)', session: parent === 'subagents' && parts.length >= 4 ? parts[parts.length - 3] : stemOf(path, '.jsonl') };
  };
  const rels = [
    'a.jsonl', 'p/a.jsonl', 'p/s/subagents/x.jsonl', 'p/subagents/x.jsonl', 'p/q/r/s.jsonl', 'p/s/subagents/deep/x.jsonl', 'p//subagents/x.jsonl',
    'p/s/subagentsX/x.jsonl', 'p/s/Xsubagents/x.jsonl', 'p/a/b/s/subagents/x.JSONL', 'subagents/x.jsonl', 'p/subagents/subagents/x.jsonl', '/x.jsonl',
  ].map((r) => r.split('/').join(sep));
  for (const rel of rels) {
    const path = join(sep, 'root', 'projects', rel);
    assert.deepEqual(claudeFileKeys(rel, path), bySplit(rel, path), rel);
  }
});
