import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRoots, rootDirs } from '../../../src/core/discovery';
import { adoptLegacyIndexFile, cacheDir, indexFileFor, legacyIndexFileFor, rootsKey } from '../../../src/cli/indexFile';

test('the cache folder per platform: XDG_CACHE_HOME (absolute only) or ~/.cache, ~/Library/Caches, %LOCALAPPDATA%', () => {
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/ana', 'linux'), '/x/cache/agentmeter');
  assert.equal(cacheDir({ XDG_CACHE_HOME: 'rel/cache' }, '/home/ana', 'linux'), '/home/ana/.cache/agentmeter');
  assert.equal(cacheDir({}, '/home/ana', 'freebsd'), '/home/ana/.cache/agentmeter');
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/Users/ana', 'darwin'), '/Users/ana/Library/Caches/agentmeter');
  assert.equal(cacheDir({ LOCALAPPDATA: '/c/Users/ana/AppData/Local' }, '/c/Users/ana', 'win32'), '/c/Users/ana/AppData/Local/agentmeter');
  assert.equal(cacheDir({}, '/c/Users/ana', 'win32'), '/c/Users/ana/AppData/Local/agentmeter');
});

test('the index file is keyed to the folders a run looks in: order and repeats do not matter, other folders do', () => {
  const s = (claude: string[], codex: string[]) => ({ searched: { claude, codex } });
  const a = rootsKey(s(['/a/projects', '/b/projects'], ['/c/sessions', '/c/archived_sessions']));
  assert.match(a, /^[0-9a-f]{12}$/);
  assert.equal(rootsKey(s(['/b/projects', '/a/projects', '/a/projects'], ['/c/archived_sessions', '/c/sessions'])), a);
  assert.notEqual(rootsKey(s(['/a/projects'], ['/c/sessions', '/c/archived_sessions'])), a);
  assert.notEqual(rootsKey(s(['/a/projects', '/b/projects'], [])), a);
  // the same folder as the other agent's is another root
  assert.notEqual(rootsKey(s([], ['/a/projects'])), rootsKey(s(['/a/projects'], [])));
  assert.equal(indexFileFor(s(['/a/projects'], []), '/cache/agentmeter'), `/cache/agentmeter/index-${rootsKey(s(['/a/projects'], []))}.sqlite`);
});

test('default discovery keeps its file when a log folder appears later (a first ~/.codex/sessions)', () => {
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-home-'));
  mkdirSync(join(home, '.claude', 'projects'), { recursive: true });
  const before = discoverRoots({ env: {}, home });
  assert.equal(rootDirs(before, 'codex').length, 0);
  mkdirSync(join(home, '.codex', 'sessions'), { recursive: true });
  const after = discoverRoots({ env: {}, home });
  assert.equal(rootDirs(after, 'codex').length, 1);
  assert.equal(rootsKey(after), rootsKey(before));
  assert.notEqual(rootsKey(discoverRoots({ env: { CODEX_HOME: join(home, 'other') }, home })), rootsKey(before));
  assert.notEqual(rootsKey(discoverRoots({ env: {}, home, dirs: { codex: ['none'] } })), rootsKey(before));
});

test('a cache file named for the Claude and Codex folders alone (before sources were plug-ins) is adopted once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-cache-'));
  const now = { searched: { claude: ['/h/.claude/projects'], codex: ['/h/.codex/sessions'], gemini: ['/h/.gemini/tmp'] } };
  const legacy = legacyIndexFileFor(now, dir)!;
  assert.equal(legacy, indexFileFor({ searched: { claude: now.searched.claude, codex: now.searched.codex } }, dir));
  writeFileSync(legacy, 'old index');
  writeFileSync(`${legacy}.journal`, 'old journal');
  const file = indexFileFor(now, dir);
  adoptLegacyIndexFile(file, legacy);
  assert.equal(readFileSync(file, 'utf8'), 'old index');
  assert.equal(readFileSync(`${file}.journal`, 'utf8'), 'old journal');
  assert.equal(existsSync(legacy), false);
  // once adopted (or when today's file exists) nothing moves again
  writeFileSync(legacy, 'another');
  adoptLegacyIndexFile(file, legacy);
  assert.equal(readFileSync(file, 'utf8'), 'old index');
  assert.equal(legacyIndexFileFor({ searched: { claude: ['/a'], codex: [] } }, dir), undefined, 'only Claude and Codex: the same name');
});
