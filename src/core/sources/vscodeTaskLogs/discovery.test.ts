import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clineFamilyDiscovery } from './discovery';
import { clineFamily, kiloFamily, rooFamily } from './family';
import { uiMessagesParser } from './parser';

// the three sources' discoveries and parsers as their index.ts files build them (cline/, roo/, kilo/)
const clineSource = { discovery: clineFamilyDiscovery(clineFamily), parsers: { ui_messages: uiMessagesParser(clineFamily) } };
const rooSource = { discovery: clineFamilyDiscovery(rooFamily) };
const kiloSource = { discovery: clineFamilyDiscovery(kiloFamily) };

const CLINE = 'saoudrizwan.claude-dev';
const ROO = 'rooveterinaryinc.roo-cline';

function task(tasksDir: string, id: string, files: string[] = ['ui_messages.json']): void {
  mkdirSync(join(tasksDir, id), { recursive: true });
  for (const f of files) writeFileSync(join(tasksDir, id, f), '[]');
}
const storage = (userData: string, ext: string) => join(userData, 'User', 'globalStorage', ext);

/** A Linux HOME with Cline in VS Code, Cursor and a VS Code remote server, Roo in Insiders and Flatpak VSCodium, and the Cline CLI's data folder. */
function home(): string {
  const h = mkdtempSync(join(tmpdir(), 'agentmeter-clinefam-'));
  task(join(storage(join(h, '.config/Code'), CLINE), 'tasks'), '1767261600000', ['ui_messages.json', 'task_metadata.json', 'api_conversation_history.json']);
  task(join(storage(join(h, '.config/Cursor'), CLINE), 'tasks'), '1767261700000');
  task(join(storage(join(h, '.vscode-server/data'), CLINE), 'tasks'), '1767261800000');
  task(join(storage(join(h, '.config/Code - Insiders'), ROO), 'tasks'), 'roo-task-1');
  task(join(h, '.cline/data/tasks'), '1767261900000');
  task(join(storage(join(h, '.var/app/com.vscodium.codium/config/VSCodium'), ROO), 'tasks'), 'roo-flatpak-task');
  mkdirSync(storage(join(h, '.config/VSCodium'), 'agentmeter.agentmeter'), { recursive: true });
  return h;
}

test('Linux defaults: every editor\'s user-data folder, remote servers, and (Cline) ~/.cline/data; where it looked', () => {
  const h = home();
  try {
    const r = clineSource.discovery.roots({ env: {}, home: h, platform: 'linux' });
    assert.deepEqual(r.roots, [
      join(storage(join(h, '.config/Code'), CLINE), 'tasks'),
      join(storage(join(h, '.config/Cursor'), CLINE), 'tasks'),
      join(storage(join(h, '.vscode-server/data'), CLINE), 'tasks'),
      join(h, '.cline/data/tasks'),
    ]);
    assert.ok(r.searched.includes(join(storage(join(h, '.config/Windsurf'), CLINE), 'tasks')));
    assert.ok(r.searched.includes(join(storage(join(h, '.cursor-server/data'), CLINE), 'tasks')));
    for (const fork of ['Trae', 'Kiro', 'Antigravity']) assert.ok(r.searched.includes(join(storage(join(h, '.config', fork), CLINE), 'tasks')), fork);
    assert.deepEqual(r.notes, []);
    const roo = rooSource.discovery.roots({ env: {}, home: h, platform: 'linux' });
    assert.deepEqual(roo.roots, [join(storage(join(h, '.config/Code - Insiders'), ROO), 'tasks'), join(storage(join(h, '.var/app/com.vscodium.codium/config/VSCodium'), ROO), 'tasks')]);
    assert.deepEqual(rooSource.discovery.roots({ env: {}, home: h, platform: 'darwin' }).roots, []); // Flatpak is Linux only
    assert.deepEqual(kiloSource.discovery.roots({ env: {}, home: h, platform: 'linux' }).roots, []);
    // the Roo Code CLI's VS Code shim keeps its tasks in ~/.vscode-mock/global-storage/tasks (no extension id folder)
    task(join(h, '.vscode-mock/global-storage/tasks'), 'roo-cli-task');
    assert.deepEqual(rooSource.discovery.roots({ env: {}, home: h, platform: 'darwin' }).roots, [join(h, '.vscode-mock/global-storage/tasks')]);
    assert.deepEqual(kiloSource.discovery.roots({ env: {}, home: h, platform: 'linux' }).roots, [], 'not another extension\'s folder');
    assert.equal(clineSource.discovery.roots({ env: {}, home: h, platform: 'linux' }).roots.includes(join(h, '.vscode-mock/global-storage/tasks')), false);
    // XDG_CONFIG_HOME moves ~/.config; CLINE_DATA_DIR moves ~/.cline/data
    const moved = clineSource.discovery.roots({ env: { XDG_CONFIG_HOME: join(h, 'nowhere'), CLINE_DATA_DIR: join(h, 'nodata') }, home: h, platform: 'linux' });
    assert.deepEqual(moved.roots, [join(storage(join(h, '.vscode-server/data'), CLINE), 'tasks')]);
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});

test('hostGlobalStorage: its parent (the running editor\'s globalStorage) is looked at first, and not listed twice', () => {
  const h = home();
  try {
    const own = storage(join(h, '.config/VSCodium'), 'agentmeter.agentmeter');
    task(join(storage(join(h, '.config/VSCodium'), CLINE), 'tasks'), '1767262000000');
    const r = clineSource.discovery.roots({ env: {}, home: h, platform: 'linux', hostGlobalStorage: own });
    assert.equal(r.roots[0], join(storage(join(h, '.config/VSCodium'), CLINE), 'tasks'));
    assert.equal(r.roots.length, 5);
    assert.equal(new Set(r.roots).size, 5);
    const inCode = clineSource.discovery.roots({ env: {}, home: h, platform: 'linux', hostGlobalStorage: storage(join(h, '.config/Code'), 'agentmeter.agentmeter') });
    assert.equal(inCode.roots[0], join(storage(join(h, '.config/Code'), CLINE), 'tasks'));
    assert.equal(inCode.roots.length, 5); // ~/.config/Code once, though found twice
    assert.deepEqual([...inCode.roots].sort(), [...r.roots].sort());
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});

test('macOS and Windows config folders', () => {
  const h = mkdtempSync(join(tmpdir(), 'agentmeter-clinefam-'));
  try {
    task(join(storage(join(h, 'Library/Application Support/Code'), CLINE), 'tasks'), 't1');
    task(join(storage(join(h, 'Roaming/Cursor'), CLINE), 'tasks'), 't2');
    assert.deepEqual(clineSource.discovery.roots({ env: {}, home: h, platform: 'darwin' }).roots, [join(storage(join(h, 'Library/Application Support/Code'), CLINE), 'tasks')]);
    assert.deepEqual(clineSource.discovery.roots({ env: { APPDATA: join(h, 'Roaming') }, home: h, platform: 'win32' }).roots, [join(storage(join(h, 'Roaming/Cursor'), CLINE), 'tasks')]);
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});

test('explicit dirs: the extension\'s storage folder (or a custom storage path), a tasks/ folder, a user-data folder, a remote server folder; others noted; none', () => {
  const h = home();
  try {
    const custom = join(h, 'roo-storage');
    task(join(custom, 'tasks'), 'custom-task');
    const dirs = [
      storage(join(h, '.config/Code'), CLINE), // globalStorage/<id> holding tasks/
      join(h, '.cline/data/tasks'), // a tasks/ folder
      join(h, '.config/Cursor'), // a whole user-data folder
      '~/.vscode-server', // a remote server folder
      join(h, 'missing'),
    ];
    const r = clineSource.discovery.roots({ env: {}, home: h, dirs, platform: 'linux' });
    assert.deepEqual(r.roots, [
      join(storage(join(h, '.config/Code'), CLINE), 'tasks'),
      join(h, '.cline/data/tasks'),
      join(storage(join(h, '.config/Cursor'), CLINE), 'tasks'),
      join(storage(join(h, '.vscode-server/data'), CLINE), 'tasks'),
    ]);
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0], /Cline: skipped .*missing \(no tasks\/ folder\)/);
    // Roo's customStoragePath given as a directory (a folder holding tasks/), comma lists accepted
    assert.deepEqual(rooSource.discovery.roots({ env: {}, home: h, dirs: [`${custom},${join(h, '.config/Code - Insiders')}`] }).roots, [
      join(custom, 'tasks'),
      join(storage(join(h, '.config/Code - Insiders'), ROO), 'tasks'),
    ]);
    assert.deepEqual(clineSource.discovery.roots({ env: {}, home: h, dirs: ['none'] }).roots, []);
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});

test('list: ui_messages.json of each task folder (session = task id), not the atomic-write temp files or other files', async () => {
  const h = home();
  try {
    const tasks = join(storage(join(h, '.config/Code'), CLINE), 'tasks');
    task(tasks, '1767262100000', ['api_conversation_history.json']); // no ui_messages.json yet
    writeFileSync(join(tasks, '1767261600000', 'ui_messages.json.tmp.1767261600999.k3j2h1.json'), '[');
    writeFileSync(join(tasks, 'stray.json'), '[]');
    const files = await clineSource.discovery.list(tasks);
    assert.deepEqual(files, [{ path: join(tasks, '1767261600000', 'ui_messages.json'), project: '(unknown)', session: '1767261600000', format: 'ui_messages' }]);
    assert.ok(Object.hasOwn(clineSource.parsers, files[0].format));
    assert.deepEqual(await clineSource.discovery.list(join(h, 'missing')), []);
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});
