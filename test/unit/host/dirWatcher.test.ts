import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirWatcher } from '../../../src/app/indexWorker/dirWatcher';
import { LogWatcher } from '../../../src/app/indexWorker/watcher';
import { nullLogger } from '../../../src/core/types';
import { cleanup, claudeAssistant, tmpDir } from '../ingest/helpers';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const line = (id: string) => claudeAssistant({ id, ts: new Date().toISOString(), usage: { input: 5, output: 7 } });

/** A Claude Code projects folder: two projects, a session with a subagents folder, and a file that is no log. */
function projects(dir: string) {
  const root = join(dir, 'projects');
  const a = join(root, '-home-u-a');
  const sub = join(a, 'session-1', 'subagents');
  mkdirSync(sub, { recursive: true });
  mkdirSync(join(root, '-home-u-b'), { recursive: true });
  writeFileSync(join(a, 'session-1.jsonl'), line('msg_a1'));
  writeFileSync(join(sub, 'agent-1.jsonl'), line('msg_s1'));
  writeFileSync(join(root, '-home-u-b', 'session-2.jsonl'), line('msg_b1'));
  writeFileSync(join(a, 'notes.txt'), 'not a log');
  return { root, a, sub, b: join(root, '-home-u-b') };
}

function watcher(roots: string[]) {
  const files: string[] = [];
  const rescans: string[] = [];
  const w = new DirWatcher({ roots, isLog: (p) => p.endsWith('.jsonl'), onFiles: (p) => files.push(...p), onRescan: (r) => rescans.push(r) });
  return { w, files, rescans };
}

async function until(ok: () => boolean, ms = 3000): Promise<boolean> {
  for (let t = 0; t < ms && !ok(); t += 20) await wait(20);
  return ok();
}

test('one watcher per folder, none per file; appended, new and renamed logs are reported by name, other files are not', async () => {
  const dir = tmpDir();
  const p = projects(dir);
  const { w, files, rescans } = watcher([p.root]);
  try {
    await w.start();
    assert.equal(w.folders, 5, 'projects, two project folders, a session folder and its subagents folder');
    await wait(100);
    assert.equal(files.length, 0, 'the start-up walk reports nothing (the first refresh looks at every file)');
    appendFileSync(join(p.a, 'session-1.jsonl'), line('msg_a2'));
    assert.ok(await until(() => files.includes(join(p.a, 'session-1.jsonl'))), 'an appended line');
    appendFileSync(join(p.sub, 'agent-1.jsonl'), line('msg_s2'));
    assert.ok(await until(() => files.includes(join(p.sub, 'agent-1.jsonl'))), 'a subagent log');
    writeFileSync(join(p.b, 'session-3.jsonl'), line('msg_b3'));
    assert.ok(await until(() => files.includes(join(p.b, 'session-3.jsonl'))), 'a new session file');
    files.length = 0;
    appendFileSync(join(p.a, 'notes.txt'), 'more');
    await wait(200);
    assert.deepEqual(files, [], 'not a log');
    assert.deepEqual(rescans, []);
  } finally {
    w.close();
    cleanup(dir);
  }
});

test('a folder made after the start is watched, and the logs already in it are reported; a removed folder is forgotten', async () => {
  const dir = tmpDir();
  const p = projects(dir);
  const { w, files } = watcher([p.root]);
  try {
    await w.start();
    const fresh = join(p.root, '-home-u-new');
    const nested = join(fresh, 'session-9', 'subagents');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(fresh, 'session-9.jsonl'), line('msg_n1'));
    writeFileSync(join(nested, 'agent-9.jsonl'), line('msg_n2'));
    assert.ok(await until(() => files.includes(join(fresh, 'session-9.jsonl')) && files.includes(join(nested, 'agent-9.jsonl'))), `both logs of the new folder: ${files.join(', ')}`);
    assert.ok(await until(() => w.folders === 8), `the new folders are watched: ${w.folders}`);
    files.length = 0;
    appendFileSync(join(nested, 'agent-9.jsonl'), line('msg_n3'));
    assert.ok(await until(() => files.includes(join(nested, 'agent-9.jsonl'))), 'then appended to');
    rmSync(fresh, { recursive: true });
    assert.ok(await until(() => w.folders === 5), `the removed folders are no longer watched: ${w.folders}`);
  } finally {
    w.close();
    cleanup(dir);
  }
});

test('symlinked folders are followed once (a link back to the root does not loop); a root that does not exist is skipped', async () => {
  const dir = tmpDir();
  const p = projects(dir);
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'session-7.jsonl'), line('msg_e1'));
  symlinkSync(elsewhere, join(p.root, '-home-u-linked'));
  symlinkSync(p.root, join(p.b, 'loop'));
  const { w, files } = watcher([p.root, join(dir, 'missing')]);
  try {
    await w.start();
    assert.equal(w.folders, 6, 'the five folders and the linked one; the loop back to the root is not watched again');
    appendFileSync(join(elsewhere, 'session-7.jsonl'), line('msg_e2'));
    assert.ok(await until(() => files.includes(join(p.root, '-home-u-linked', 'session-7.jsonl'))), `the linked folder's log, by the path under the root: ${files.join(', ')}`);
  } finally {
    w.close();
    cleanup(dir);
  }
});

test('LogWatcher: the start-up walk reports "every file" once, and a log appended right after it is reported at once (not held back as the tail of a burst)', async () => {
  const dir = tmpDir();
  const p = projects(dir);
  const reports: { at: number; paths: string[] | undefined }[] = [];
  // a long coalescing window: a change held back as a burst's tail would arrive 3 s late
  const w = new LogWatcher({ dirs: [p.root], isLog: (x) => x.endsWith('.jsonl'), usePolling: false, logger: nullLogger, debounceMs: 3_000, onChange: (paths) => reports.push({ at: Date.now(), paths }) });
  try {
    w.start();
    assert.ok(await until(() => reports.length === 1), 'the walk ends with one report');
    assert.equal(reports[0].paths, undefined, '"look at every file"');
    const appended = Date.now();
    appendFileSync(join(p.a, 'session-1.jsonl'), line('msg_a9'));
    assert.ok(await until(() => reports.length === 2, 2_500), `the append is reported within 2.5 s (reports: ${reports.length})`);
    assert.deepEqual(reports[1].paths, [join(p.a, 'session-1.jsonl')]);
    // held back, it would come after the burst's longest wait (1 s); at once, within tens of ms
    assert.ok(reports[1].at - appended < 700, `at once: ${reports[1].at - appended} ms`);
  } finally {
    await w.dispose();
    cleanup(dir);
  }
});

/** A projects tree with `folders` more project and session folders (a start-up walk that takes a while), and its watcher. */
function walkedWatcher(folders: number) {
  const dir = tmpDir();
  const p = projects(dir);
  for (let i = 0; i < folders; i++) mkdirSync(join(p.root, `-home-u-p${i}`, `s${i}`, 'subagents'), { recursive: true });
  const reports: (string[] | undefined)[] = [];
  const w = new LogWatcher({ dirs: [p.root], isLog: (x) => x.endsWith('.jsonl'), usePolling: false, logger: nullLogger, debounceMs: 50, onChange: (paths) => reports.push(paths) });
  return { dir, p, w, reports };
}

test('LogWatcher: a full pass that starts during the start-up walk waits for it and is its look at every file (one full stat pass at a window start, not two)', async () => {
  const { dir, p, w, reports } = walkedWatcher(150);
  try {
    w.start();
    await w.beforeFullPass(10_000);
    // the pass would start here: every folder is watched already
    const appended = join(p.a, 'session-1.jsonl');
    appendFileSync(appended, line('msg_a8'));
    assert.ok(await until(() => reports.length >= 1), 'the append after the walk is reported');
    await wait(300);
    assert.deepEqual(reports, [[appended]], 'no "look at every file" at the walk\'s end: the pass that waited for it is that look');
    // the walk is over: a later full pass does not wait
    const t = Date.now();
    await w.beforeFullPass(10_000);
    assert.ok(Date.now() - t < 50);
  } finally {
    await w.dispose();
    cleanup(dir);
  }
});

test('LogWatcher: a full pass that does not wait out the walk (its limit passed first) leaves the walk\'s look at every file in place', async () => {
  const { dir, w, reports } = walkedWatcher(300);
  try {
    w.start();
    await w.beforeFullPass(0); // the pass starts before every folder is watched: a change in between has no event
    assert.ok(await until(() => reports.length === 1), 'the walk still ends with its report');
    assert.equal(reports[0], undefined, '"look at every file"');
  } finally {
    await w.dispose();
    cleanup(dir);
  }
});
