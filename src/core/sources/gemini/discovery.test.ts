import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { geminiDiscovery, isGeminiLog } from './discovery';
import { fixture } from './testKit';

const LEGACY_HASH = '072d0106ac74d55ef4fa4c53cc0a05fa626dc22795a44a6f25a6b2c06fc2c432'; // sha256('/home/dev/proj/legacy-cli')
const PARENT = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';

function put(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** A home laid out as Gemini CLI lays it out (storage.ts, projectRegistry.ts, chatRecordingService.ts). */
function geminiHome(home: string): string {
  const g = join(home, '.gemini');
  put(join(g, 'projects.json'), JSON.stringify({ projects: { '/home/dev/proj/webapp': 'webapp', '/home/dev/proj/legacy-cli': 'legacy-cli' } }, null, 2));
  const web = join(g, 'tmp', 'webapp');
  put(join(web, '.project_root'), '/home/dev/proj/webapp');
  put(join(web, 'chats', 'session-2026-03-02T09-14-4f1c2a9e.jsonl'), fixture(__dirname, 'session-2026-03-02T09-14-4f1c2a9e.jsonl'));
  put(join(web, 'chats', 'session-2026-03-03T14-02-9c0d1e2f.jsonl'), fixture(__dirname, 'session-2026-03-03T14-02-9c0d1e2f.jsonl'));
  put(join(web, 'chats', PARENT, 'a7b8c9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d.jsonl'), fixture(__dirname, 'subagent-a7b8c9d0.jsonl'));
  put(join(web, 'chats', 'session-2026-03-01T08-00-11112222.jsonl.unreadable-1772352000000'), 'x');
  put(join(web, 'chats', 'session-2026-03-01T08-00-11112222.jsonl.tmp-4242'), 'x');
  put(join(web, 'shell_history'), 'ls\n');
  // a legacy hash folder (no .project_root: the path comes from the registry's sha256)
  put(join(g, 'tmp', LEGACY_HASH, 'chats', 'session-2025-09-18T16-40-3e4f5a6b.json'), fixture(__dirname, 'session-2025-09-18T16-40-3e4f5a6b.json'));
  // a folder the registry does not know: its name is the project
  put(join(g, 'tmp', 'scratch', 'chats', 'session-2026-03-05T12-00-77778888.jsonl'), '');
  put(join(g, 'tmp', 'bin', 'rg'), 'binary');
  return g;
}

function withHome(fn: (home: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const home = mkdtempSync(join(tmpdir(), 'agentmeter-gemini-'));
    try {
      await fn(home);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };
}

test('gemini discovery: ~/.gemini/tmp by default; each session log with its project path, session and format', withHome(async (home) => {
  const g = geminiHome(home);
  const d = geminiDiscovery.roots({ env: {}, home });
  assert.deepEqual(d.roots, [join(g, 'tmp')]);
  assert.deepEqual(d.searched, [join(g, 'tmp'), join(home, '.cache', '.gemini', 'tmp')]);
  const files = await geminiDiscovery.list(d.roots[0]);
  const rel = files.map((f) => ({ ...f, path: f.path.slice(g.length + 1) }));
  assert.deepEqual(rel, [
    { path: `tmp/${LEGACY_HASH}/chats/session-2025-09-18T16-40-3e4f5a6b.json`, project: '/home/dev/proj/legacy-cli', session: 'session-2025-09-18T16-40-3e4f5a6b', format: 'json' },
    { path: 'tmp/scratch/chats/session-2026-03-05T12-00-77778888.jsonl', project: 'scratch', session: 'session-2026-03-05T12-00-77778888', format: 'jsonl' },
    { path: `tmp/webapp/chats/${PARENT}/a7b8c9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d.jsonl`, project: '/home/dev/proj/webapp', session: PARENT, format: 'jsonl' },
    { path: 'tmp/webapp/chats/session-2026-03-02T09-14-4f1c2a9e.jsonl', project: '/home/dev/proj/webapp', session: 'session-2026-03-02T09-14-4f1c2a9e', format: 'jsonl' },
    { path: 'tmp/webapp/chats/session-2026-03-03T14-02-9c0d1e2f.jsonl', project: '/home/dev/proj/webapp', session: 'session-2026-03-03T14-02-9c0d1e2f', format: 'jsonl' },
  ]);
  // the watcher's cheap test agrees with list()
  for (const f of files) assert.equal(isGeminiLog(f.path), true, f.path);
  for (const other of ['chats/session-2026-03-01T08-00-11112222.jsonl.unreadable-1772352000000', 'chats/session-2026-03-01T08-00-11112222.jsonl.tmp-4242', 'shell_history', 'logs.json', 'checkpoint-a.json']) {
    assert.equal(isGeminiLog(join(g, 'tmp', 'webapp', other)), false, other);
  }
}));

test('gemini discovery: GEMINI_CLI_HOME replaces the home (its .gemini/tmp)', withHome(async (home) => {
  const alt = join(home, 'alt-home');
  const g = geminiHome(alt);
  geminiHome(home);
  const d = geminiDiscovery.roots({ env: { GEMINI_CLI_HOME: alt }, home });
  assert.deepEqual(d.roots, [join(g, 'tmp')]);
  assert.equal((await geminiDiscovery.list(d.roots[0])).length, 5);
  // set but empty: the CLI falls back to the home (paths.ts homedir(): `if (envHome)`)
  assert.deepEqual(geminiDiscovery.roots({ env: { GEMINI_CLI_HOME: '' }, home }).roots, [join(home, '.gemini', 'tmp')]);
}));

test('gemini discovery: explicit dirs (~/.gemini or its tmp/) override the environment; none disables; a missing dir is a note', withHome(async (home) => {
  const g = geminiHome(home);
  const env = { GEMINI_CLI_HOME: join(home, 'nowhere') };
  assert.deepEqual(geminiDiscovery.roots({ env, home, dirs: ['~/.gemini'] }).roots, [join(g, 'tmp')]);
  assert.deepEqual(geminiDiscovery.roots({ env, home, dirs: [join(g, 'tmp'), g] }).roots, [join(g, 'tmp')]);
  // a comma list (as the other sources' dirs settings accept)
  const alt = geminiHome(join(home, 'alt'));
  assert.deepEqual(geminiDiscovery.roots({ env, home, dirs: [`~/.gemini, ${alt}`] }).roots, [join(g, 'tmp'), join(alt, 'tmp')]);
  const none = geminiDiscovery.roots({ env: {}, home, dirs: ['none'] });
  assert.deepEqual(none, { roots: [], searched: [], notes: [] });
  const missing = geminiDiscovery.roots({ env: {}, home, dirs: [join(home, 'missing')] });
  assert.deepEqual(missing.roots, []);
  assert.deepEqual(missing.searched, [join(home, 'missing', 'tmp')]);
  assert.equal(missing.notes.length, 1);
  assert.match(missing.notes[0], /Gemini CLI: skipped .*missing \(no tmp\/ folder\)/);
  // no .gemini at all: nothing found, but the default place is listed as searched
  const empty = geminiDiscovery.roots({ env: {}, home: join(home, 'other') });
  assert.deepEqual(empty.roots, []);
  assert.deepEqual(empty.searched, [join(home, 'other', '.gemini', 'tmp'), join(home, 'other', '.cache', '.gemini', 'tmp')]);
  assert.deepEqual(await geminiDiscovery.list(join(home, 'other', '.gemini', 'tmp')), []);
}));

test('gemini discovery: the macOS Seatbelt sandbox\'s runtime folder <home>/.cache/.gemini/tmp is a root too, with its own projects.json', withHome(async (home) => {
  // storage.ts getGlobalRuntimeDir(): SANDBOX=sandbox-exec → join(homedir(), '.cache', '.gemini') for tmp/, history/, projects.json
  const g = geminiHome(home);
  const sandbox = join(home, '.cache', '.gemini');
  put(join(sandbox, 'projects.json'), JSON.stringify({ projects: { '/Users/dev/proj/mac-app': 'mac-app' } }));
  put(join(sandbox, 'tmp', 'mac-app', '.project_root'), '/Users/dev/proj/mac-app');
  put(join(sandbox, 'tmp', 'mac-app', 'chats', 'session-2026-03-03T14-02-9c0d1e2f.jsonl'), fixture(__dirname, 'session-2026-03-03T14-02-9c0d1e2f.jsonl'));
  put(join(sandbox, 'history', 'mac-app', 'HEAD'), 'ref: refs/heads/main\n');
  const d = geminiDiscovery.roots({ env: {}, home });
  assert.deepEqual(d.roots, [join(g, 'tmp'), join(sandbox, 'tmp')]);
  assert.deepEqual(await geminiDiscovery.list(join(sandbox, 'tmp')), [
    { path: join(sandbox, 'tmp', 'mac-app', 'chats', 'session-2026-03-03T14-02-9c0d1e2f.jsonl'), project: '/Users/dev/proj/mac-app', session: 'session-2026-03-03T14-02-9c0d1e2f', format: 'jsonl' },
  ]);
  // GEMINI_CLI_HOME moves both (homedir() is the base of getGlobalGeminiDir and getGlobalRuntimeDir)
  const alt = join(home, 'alt-home');
  put(join(alt, '.cache', '.gemini', 'tmp', 'x', 'chats', 'session-2026-03-03T14-02-9c0d1e2f.jsonl'), '');
  assert.deepEqual(geminiDiscovery.roots({ env: { GEMINI_CLI_HOME: alt }, home }).roots, [join(alt, '.cache', '.gemini', 'tmp')]);
  // an explicit dir replaces the defaults (only what it names is read)
  assert.deepEqual(geminiDiscovery.roots({ env: {}, home, dirs: ['~/.gemini'] }).roots, [join(g, 'tmp')]);
}));
