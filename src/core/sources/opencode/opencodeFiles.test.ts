import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FileInfo, SourceOutput } from '../plugin';
import { opencodeSource } from './index';

const SESSION = 'ses_6f1b2a90dffeY2kQ7rVhC3LmNp';
const messages = join(__dirname, 'fixtures', 'storage', 'message', SESSION);
const O3 = 'msg_99f36edba001Hn3JxVt7cQe0Rb';
const GEMINI = 'msg_99f3b7e70001Lp4RwXs9dKf2Mc';
const USER = 'msg_99f36e900001Qf6ZkWm2pB8sTa';

// a fork of SESSION an hour later (fixtures/storage/session/…/<FORK>.json: the default title of Session.fork @0002b1f)
const FORK = 'ses_660920fc4ffeVb7Nm3Qw9Er1Ty';
const FORK_OWN = 'msg_99f6edb33001Wx0Yz2Ab4Cd6Ef';
const FORK_FILES = ['msg_99f6df03d001Gh2Jk4Lm6Np8Qr', 'msg_99f6df03d002St1Uv3Wx5Yz7Ab', 'msg_99f6df03d003Cd9Ef7Gh5Ij3Kl', 'msg_99f6eda9d001Mn8Op6Qr4St2Uv', FORK_OWN];

const parser = opencodeSource.parsers.message;
function parse(text: string, id: string): SourceOutput & { incomplete?: boolean } {
  if (parser.kind !== 'document') throw new Error('opencode message files are documents');
  const file: FileInfo = { path: join(messages, `${id}.json`), project: '(unknown)', session: SESSION, format: 'message' };
  return parser.parseDocument(text, file);
}
const fixture = (id: string) => readFileSync(join(messages, `${id}.json`), 'utf8');

test('opencode legacy JSON: one assistant message per file, keyed by its id; reasoning by the older writer\'s rules', () => {
  assert.equal(parser.kind === 'document' && parser.vanished, 'keep');
  const o3 = parse(fixture(O3), O3);
  assert.equal(o3.incomplete, undefined);
  assert.equal(o3.malformed, 0);
  assert.deepEqual(
    o3.records.map((r) => [r.key, r.ts, r.model, r.provider, r.project, r.session, r.input, r.output, r.reasoning, r.cacheRead, r.requests, r.agentCostUsd]),
    [[O3, 1759312801210, 'o3', 'openai', '/home/dev/work/legacy-app', SESSION, 5210, 1840, 1216, 12288, 1, 0.036664]],
  );
  const gemini = parse(fixture(GEMINI), GEMINI);
  assert.deepEqual(gemini.records.map((r) => [r.model, r.output, r.reasoning]), [['gemini-2.5-pro', 600 + 900, 900]]);
  assert.deepEqual(parse(fixture(USER), USER).records, []);
});

test('opencode legacy JSON: a file caught mid-rewrite is incomplete (read again on its next change), not malformed', () => {
  const text = fixture(O3);
  for (const cut of ['', '  \n', text.slice(0, Math.floor(text.length / 2))]) {
    const out = parse(cut, O3);
    assert.equal(out.incomplete, true);
    assert.deepEqual(out.records, []);
    assert.equal(out.malformed, 0);
  }
  // a whole document that is not a message is counted
  assert.equal(parse('[1,2,3]', O3).malformed, 1);
  assert.equal(parse('{"role":"assistant","time":{"created":1},"tokens":{"input":-1}}', O3).malformed, 1);
});

test('opencode discovery: XDG_DATA_HOME/opencode and /kilo, channel databases, legacy message files, explicit dirs, none', async () => {
  const home = mkdtempSync(join(tmpdir(), 'am-opencode-'));
  try {
    const xdg = join(home, 'xdg-data');
    const oc = join(xdg, 'opencode');
    const kilo = join(xdg, 'kilo');
    mkdirSync(oc, { recursive: true });
    mkdirSync(kilo, { recursive: true });
    for (const name of ['opencode.db', 'opencode-dev.db', 'opencode.db-wal', 'opencode.db-shm', 'other.db']) writeFileSync(join(oc, name), '');
    writeFileSync(join(kilo, 'kilo.db'), '');
    cpSync(join(__dirname, 'fixtures', 'storage'), join(oc, 'storage'), { recursive: true });
    mkdirSync(join(oc, 'storage', 'part', 'msg_99f36edba001Hn3JxVt7cQe0Rb'), { recursive: true });
    writeFileSync(join(oc, 'storage', 'part', 'msg_99f36edba001Hn3JxVt7cQe0Rb', 'prt_1.json'), '{}');

    const d = opencodeSource.discovery;
    const found = d.roots({ env: { XDG_DATA_HOME: xdg }, home });
    assert.deepEqual(found.roots, [oc, kilo]);
    const files = (await Promise.all(found.roots.map((r) => d.list(r)))).flat();
    assert.deepEqual(
      files.map((f) => [f.path.slice(xdg.length + 1), f.format, f.session]),
      [
        ['opencode/opencode-dev.db', 'db', ''],
        ['opencode/opencode.db', 'db', ''],
        ...FORK_FILES.map((id) => [`opencode/storage/message/${FORK}/${id}.json`, 'message', FORK]),
        [`opencode/storage/message/${SESSION}/${USER}.json`, 'message', SESSION],
        [`opencode/storage/message/${SESSION}/${O3}.json`, 'message', SESSION],
        [`opencode/storage/message/${SESSION}/${GEMINI}.json`, 'message', SESSION],
        ['kilo/kilo.db', 'db', ''],
      ],
    );

    // without XDG_DATA_HOME: ~/.local/share
    const def = d.roots({ env: {}, home });
    assert.deepEqual(def.roots, []);
    assert.deepEqual(def.searched, [join(home, '.local', 'share', 'opencode'), join(home, '.local', 'share', 'kilo')]);
    mkdirSync(join(home, '.local', 'share', 'opencode'), { recursive: true });
    assert.deepEqual(d.roots({ env: {}, home }).roots, [join(home, '.local', 'share', 'opencode')]);

    // OPENCODE_DB (packages/cli/src/database-path.ts: absolute, or resolved in the data folder) adds its folder
    const elsewhere = join(home, 'dbs');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'opencode.db'), '');
    const movedDb = d.roots({ env: { XDG_DATA_HOME: xdg, OPENCODE_DB: join(elsewhere, 'opencode.db') }, home });
    assert.deepEqual(movedDb.roots, [oc, kilo, elsewhere]);
    assert.deepEqual((await d.list(elsewhere)).map((f) => f.path), [join(elsewhere, 'opencode.db')]);
    // a relative name stays in the data folder (no second root); ':memory:' is nothing on disk
    assert.deepEqual(d.roots({ env: { XDG_DATA_HOME: xdg, OPENCODE_DB: 'opencode-work.db' }, home }).roots, [oc, kilo]);
    assert.deepEqual(d.roots({ env: { XDG_DATA_HOME: xdg, OPENCODE_DB: ':memory:' }, home }), found);
    // a name this source does not list is said, not silently missed
    const odd = d.roots({ env: { XDG_DATA_HOME: xdg, OPENCODE_DB: join(elsewhere, 'work.sqlite') }, home });
    assert.deepEqual(odd.roots, [oc, kilo]);
    assert.match(odd.notes.join('\n'), /OPENCODE_DB=.*work\.sqlite is not read/);
    // Kilo CLI's KILO_DB likewise (resolved in Kilo's data folder)
    const kiloElsewhere = join(home, 'kilo-dbs');
    mkdirSync(kiloElsewhere);
    writeFileSync(join(kiloElsewhere, 'kilo.db'), '');
    assert.deepEqual(d.roots({ env: { XDG_DATA_HOME: xdg, KILO_DB: join(kiloElsewhere, 'kilo.db') }, home }).roots, [oc, kilo, kiloElsewhere]);
    assert.deepEqual(d.roots({ env: { XDG_DATA_HOME: xdg, KILO_DB: 'kilo-dev.db' }, home }).roots, [oc, kilo]);

    // explicit dirs override the environment (~ expanded); a missing one is noted; none disables
    assert.deepEqual(d.roots({ env: { XDG_DATA_HOME: xdg }, home, dirs: ['~/xdg-data/kilo'] }).roots, [kilo]);
    const missing = d.roots({ env: {}, home, dirs: [join(home, 'nope')] });
    assert.deepEqual([missing.roots, missing.notes.length], [[], 1]);
    assert.deepEqual(d.roots({ env: { XDG_DATA_HOME: xdg }, home, dirs: ['none'] }).roots, []);
    assert.deepEqual(await d.list(join(home, 'does-not-exist')), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

/** Every message file of a data folder, parsed as the indexer does (the file's own path, its text). */
async function parseAll(root: string): Promise<SourceOutput['records']> {
  if (parser.kind !== 'document') throw new Error('opencode message files are documents');
  const records: SourceOutput['records'] = [];
  for (const f of await opencodeSource.discovery.list(root)) records.push(...parser.parseDocument(readFileSync(f.path, 'utf8'), f).records);
  return records;
}

test('opencode legacy JSON: a fork\'s copies of earlier replies count once, where they were made (forkCopy.ts, from the session\'s file)', async () => {
  // Session.fork @0002b1f wrote the new session ("New session - …") and then each message again under a new id,
  // keeping its time.created and tokens: the two copied replies are the same calls as O3 and GEMINI
  const keys = (records: SourceOutput['records']) => records.map((r) => [r.key, r.session, r.output]).sort();
  const counted = [
    [O3, SESSION, 1840],
    [GEMINI, SESSION, 1500],
    [FORK_OWN, FORK, 960],
  ].sort();
  assert.deepEqual(keys(await parseAll(join(__dirname, 'fixtures'))), counted);

  const root = mkdtempSync(join(tmpdir(), 'am-opencode-fork-'));
  try {
    cpSync(join(__dirname, 'fixtures', 'storage'), join(root, 'storage'), { recursive: true });
    const info = join(root, 'storage', 'session', '4b0ea68d7af9a6031a7ffda7ad66e0cb83315750', `${FORK}.json`);
    const session = JSON.parse(readFileSync(info, 'utf8'));
    // a later file-storage build titled it `<title> (fork #1)` (getForkedTitle): the title alone says so too
    writeFileSync(info, JSON.stringify({ ...session, title: 'Add a CSV export to the reports page (fork #1)', time: {} }));
    assert.deepEqual(keys(await parseAll(root)), counted);
    // a session neither titled as a fork nor made after its messages holds none: every reply counts
    writeFileSync(info, JSON.stringify({ ...session, time: { created: 1759312700000 } }));
    assert.equal((await parseAll(root)).length, 5);
    // nor is one skipped when the session's file is not there (nothing tells a copy apart)
    rmSync(info);
    assert.equal((await parseAll(root)).length, 5);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
