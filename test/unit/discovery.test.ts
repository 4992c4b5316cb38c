import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots, listLogFiles, rootDirs, watchTargets } from '../../src/core/discovery';
import * as h from './ingest/helpers';

function tree(): string {
  const home = h.tmpDir('agentmeter-home-');
  mkdirSync(join(home, '.claude/projects'), { recursive: true });
  mkdirSync(join(home, '.config/claude/projects'), { recursive: true });
  mkdirSync(join(home, 'alt/projects'), { recursive: true });
  mkdirSync(join(home, 'noprojects'), { recursive: true });
  mkdirSync(join(home, '.codex/sessions'), { recursive: true });
  mkdirSync(join(home, 'codex2/archived_sessions'), { recursive: true });
  return home;
}

test('Claude defaults: $XDG_CONFIG_HOME/claude (default ~/.config/claude) and ~/.claude', () => {
  const home = tree();
  const r = discoverRoots({ env: {}, home });
  assert.deepEqual(rootDirs(r, 'claude'), [join(home, '.config/claude/projects'), join(home, '.claude/projects')]);
  const x = discoverRoots({ env: { XDG_CONFIG_HOME: join(home, 'alt-xdg') }, home });
  assert.deepEqual(rootDirs(x, 'claude'), [join(home, '.claude/projects')]); // alt-xdg/claude does not exist
  h.cleanup(home);
});

test('CLAUDE_CONFIG_DIR: comma list, trimmed, ~ expanded, projects/ dir itself accepted, skipped with a note, de-duplicated', () => {
  const home = tree();
  const env = { CLAUDE_CONFIG_DIR: ` ~/alt , ${join(home, 'alt/projects')},~/noprojects,, ~/.claude ` };
  const r = discoverRoots({ env, home });
  assert.deepEqual(rootDirs(r, 'claude'), [join(home, 'alt/projects'), join(home, '.claude/projects')]);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0], /noprojects.*no projects\//);
  h.cleanup(home);
});

test('explicit dirs override the environment; "none" disables a source', () => {
  const home = tree();
  const r = discoverRoots({ env: { CLAUDE_CONFIG_DIR: join(home, 'alt'), CODEX_HOME: join(home, 'codex2') }, home, dirs: { claude: [join(home, '.claude')], codex: ['none'] } });
  assert.deepEqual(rootDirs(r, 'claude'), [join(home, '.claude/projects')]);
  assert.deepEqual(rootDirs(r, 'codex'), []);
  const e = discoverRoots({ env: {}, home, dirs: { claude: [] } }); // [] = discovery
  assert.equal(rootDirs(e, 'claude').length, 2);
  h.cleanup(home);
});

test('Codex: CODEX_HOME comma list else ~/.codex, with sessions/ and archived_sessions/; missing homes noted', () => {
  const home = tree();
  const d = discoverRoots({ env: {}, home });
  assert.deepEqual(rootDirs(d, 'codex'), [join(home, '.codex')]);
  // a Codex home is watched in its sessions/ and archived_sessions/ (its history.jsonl is not a rollout)
  const w = watchTargets({ roots: d.roots.filter((x) => x.source === 'codex') });
  assert.deepEqual(w.dirs, [join(home, '.codex/sessions'), join(home, '.codex/archived_sessions')]);
  assert.equal(w.isLog(join(home, '.codex/sessions/2026/01/02/rollout-x.jsonl')), true);
  assert.equal(w.isLog(join(home, '.codex/history.jsonl')), false);
  const r = discoverRoots({ env: { CODEX_HOME: `${join(home, 'codex2')},~/missing` }, home });
  assert.deepEqual(rootDirs(r, 'codex'), [join(home, 'codex2')]);
  assert.match(r.notes[0], /missing/);
  h.cleanup(home);
});

test('listLogFiles: projects, sessions (subagents → parent session), Codex sessions/ copy wins over archived_sessions/', async () => {
  const home = tree();
  const P = join(home, '.claude/projects');
  h.write(join(P, '-home-u-app/aaa.jsonl'), '{}\n');
  h.write(join(P, '-home-u-app/aaa/subagents/agent-x1.jsonl'), '{}\n');
  h.write(join(P, '-home-u-app/agent-old.jsonl'), '{}\n');
  h.write(join(P, '-home-u-app/notes.txt'), 'no');
  h.write(join(home, '.codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-u1.jsonl'), '{}\n');
  h.write(join(home, '.codex/archived_sessions/2026/01/02/rollout-2026-01-02T10-00-00-u1.jsonl'), '{}\n{}\n');
  h.write(join(home, '.codex/archived_sessions/rollout-2025-12-01T10-00-00-u0.jsonl'), '{}\n');
  const files = await listLogFiles(discoverRoots({ env: {}, home }));
  const view = files.map((f) => [f.source, f.path.slice(home.length + 1), f.project, f.session]);
  assert.deepEqual(view, [
    ['claude', '.claude/projects/-home-u-app/aaa.jsonl', '-home-u-app', 'aaa'],
    ['claude', '.claude/projects/-home-u-app/aaa/subagents/agent-x1.jsonl', '-home-u-app', 'aaa'],
    ['claude', '.claude/projects/-home-u-app/agent-old.jsonl', '-home-u-app', 'agent-old'],
    ['codex', '.codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-u1.jsonl', '', 'rollout-2026-01-02T10-00-00-u1'],
    ['codex', '.codex/archived_sessions/rollout-2025-12-01T10-00-00-u0.jsonl', '', 'rollout-2025-12-01T10-00-00-u0'],
  ]);
  assert.ok(files.every((f) => f.size > 0 && f.ino > 0 && f.mtimeMs > 0));
  // directories given with a trailing separator and '..' segments: the same normalised paths, projects and sessions
  const odd = await listLogFiles(discoverRoots({ env: {}, home, dirs: { claude: [`${home}/x/../.claude/`], codex: [`${home}/.codex/./`] } }));
  assert.deepEqual(odd.map((f) => [f.source, f.path, f.project, f.session]), files.map((f) => [f.source, f.path, f.project, f.session]));
  h.cleanup(home);
});

test('listLogFiles follows a project folder that is a symbolic link (each real folder once: no file twice, cycles end)', async () => {
  const home = tree();
  const P = join(home, '.claude/projects');
  const moved = join(home, 'bigdisk/-home-u-video');
  h.write(join(moved, 's1.jsonl'), '{}\n');
  h.write(join(moved, 's1/subagents/agent-a.jsonl'), '{}\n');
  symlinkSync(moved, join(P, '-home-u-video'));
  symlinkSync(join(moved, 's1'), join(moved, 's1/subagents/loop')); // a cycle back into the session folder
  symlinkSync(join(home, 'nowhere'), join(P, '-home-u-gone')); // dangling
  symlinkSync(moved, join(P, '-home-u-zz-alias')); // a second link to the same folder: the first by name is walked
  symlinkSync(P, join(moved, 'up')); // back into the root
  const files = await listLogFiles(discoverRoots({ env: {}, home }));
  assert.deepEqual(
    files.map((f) => [f.path.slice(P.length + 1), f.project, f.session]),
    [
      ['-home-u-video/s1.jsonl', '-home-u-video', 's1'],
      ['-home-u-video/s1/subagents/agent-a.jsonl', '-home-u-video', 's1'],
    ],
  );
  h.cleanup(home);
});
