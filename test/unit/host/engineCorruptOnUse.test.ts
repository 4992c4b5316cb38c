import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexEngine, type StatusSettings } from '../../../src/app/indexWorker/engine';
import { loadFacts } from '../../../src/core/query/facts';
import { saveIndexDatabase } from '../../../src/core/store/persist';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { Fact, Logger } from '../../../src/core/types';
import type { IndexUpdate } from '../../../src/app/indexApi';
import { parseSettings } from '../../../src/app/settingsParse';
import type { UsageStatus } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';
import * as h from '../ingest/helpers';

// Claude Code and Codex logs in their real formats (5 Claude requests, 2 Codex turns)
const base = join(__dirname, '../../fixtures/basic');
const roots = h.rootsFor({ claude: join(base, 'claude'), codex: join(base, 'codex') });
const NOW = Date.parse('2026-03-12T12:00:00Z'); // the fixtures' last day
/** Facts come in bucket, then dim-id order, and dim ids follow the order the logs were read in (a rebuilt index may
 * read them in another): compare the same facts by content. */
const inContentOrder = (facts: Fact[]): Fact[] => [...facts].sort((a, b) => a.bucketStartMs - b.bucketStartMs ||
  `${a.source}\0${a.model}\0${a.project}\0${a.session}\0${a.branch}\0${a.tier}`.localeCompare(`${b.source}\0${b.model}\0${b.project}\0${b.session}\0${b.branch}\0${b.tier}`));
const status: UsageStatus = { indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true };
const SNAPSHOT = { filters: { ...DEFAULT_FILTERS, range: 'all' as const }, nowMs: NOW, locale: 'en', settings: parseSettings(() => undefined).settings, status };
const SETTINGS: StatusSettings = { timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides: {} };

/**
 * A saved index of the fixtures whose pages after the first are overwritten: it passes the cheap checks on open
 * (header, size, user_version, schema on page 1) and fails with "database disk image is malformed" on first use.
 */
async function damagedIndex(dir: string): Promise<{ file: string; good: string; expected: Fact[] }> {
  const { db } = await h.indexOnce(roots);
  const expected = loadFacts(db);
  assert.ok(expected.length > 0);
  const file = join(dir, 'usage-index.sqlite');
  const good = join(dir, 'good.sqlite');
  saveIndexDatabase(db, file);
  saveIndexDatabase(db, good);
  db.close();
  const bad = readFileSync(file);
  const pageSize = bad.readUInt16BE(16);
  for (let i = pageSize; i < bad.length; i++) bad[i] = (i * 7919) & 0xff;
  writeFileSync(file, bad);
  return { file, good, expected };
}

function engineWith(warnings: string[], updates: IndexUpdate[] = []): IndexEngine {
  const logger: Logger = { info() {}, debug() {}, error() {}, warn: (m) => warnings.push(m) };
  return new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger, onUpdate: (u) => updates.push(u) });
}

const corruptCopies = (dir: string) => readdirSync(dir).filter((n) => /^usage-index\.sqlite\.corrupt-\d+$/.test(n));

test('writer: damage past the first page opens without a scan, is found by the first refresh, moved aside once, and the logs are read again', async () => {
  const dir = h.tmpDir();
  const warnings: string[] = [];
  const engine = engineWith(warnings);
  try {
    const { file, expected } = await damagedIndex(dir);
    assert.deepEqual((await engine.openWritable(file)).notes, [], 'the cheap open does not see the damage');
    assert.deepEqual(corruptCopies(dir), []);
    await engine.startIndexer(roots);
    const r = await engine.refresh();
    assert.equal(r?.changed, true);
    assert.equal(r?.filesChanged, r?.filesScanned, 'the fresh index read every log');
    assert.deepEqual(inContentOrder(engine.loadFacts()), inContentOrder(expected), 'a fresh, correct index');
    assert.equal(corruptCopies(dir).length, 1, 'the damaged file is kept aside');
    assert.equal(existsSync(file), false, 'nothing saved yet');
    assert.equal(warnings.filter((w) => /database is unreadable \(.*malformed.*\); moved aside to .*\.corrupt-\d+; rebuilding the index from the logs/.test(w)).length, 1, warnings.join(' | '));

    // until saved, a refresh reports a change (the host saves on it); the saved file opens as it is
    assert.equal((await engine.refresh())?.changed, true);
    await engine.save(file);
    assert.equal((await engine.refresh())?.changed, false);
    assert.deepEqual((await engine.openWritable(file)).notes, []);
    await engine.startIndexer(roots);
    assert.equal((await engine.refresh())?.filesChanged, 0);
    assert.deepEqual(inContentOrder(engine.loadFacts()), inContentOrder(expected));
    assert.equal(corruptCopies(dir).length, 1, 'moved aside once');
  } finally {
    await engine.close();
    h.cleanup(dir);
  }
});

test('writer: the open\'s status summary meets the damage: the reason is returned as a note, the index is rebuilt by the first refresh', async () => {
  const dir = h.tmpDir();
  const warnings: string[] = [];
  const updates: IndexUpdate[] = [];
  const engine = engineWith(warnings, updates);
  try {
    const { file, expected } = await damagedIndex(dir);
    engine.configureStatus(SETTINGS); // as the host does before it opens
    const { notes } = await engine.openWritable(file);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^The usage index database is unreadable \(.*malformed.*\); moved aside to .*usage-index\.sqlite\.corrupt-\d+; rebuilding the index from the logs\.$/);
    assert.equal(corruptCopies(dir).length, 1);
    assert.equal(engine.isEmpty(), true, 'a fresh index');
    await engine.startIndexer(roots);
    assert.equal((await engine.refresh())?.changed, true);
    assert.deepEqual(inContentOrder(engine.loadFacts()), inContentOrder(expected));
    const last = updates.at(-1)!;
    assert.equal(last.reason, 'ingest');
    assert.ok(last.summary, 'the summary of the rebuilt index is pushed');
    assert.equal(corruptCopies(dir).length, 1, 'moved aside once');
  } finally {
    await engine.close();
    h.cleanup(dir);
  }
});

test('writer: a read that meets the damage fails with the reason (no total from a half-read index) and the logs are read again at once', async () => {
  for (const read of ['export', 'snapshot', 'summary'] as const) {
    const dir = h.tmpDir();
    const warnings: string[] = [];
    const engine = engineWith(warnings);
    const reference = engineWith([]);
    try {
      const { file, good, expected } = await damagedIndex(dir);
      await reference.openWritable(good);
      await engine.openWritable(file);
      await engine.startIndexer(roots);
      const use = (e: IndexEngine) => {
        if (read === 'export') return e.exportText({ format: 'csv', request: { grain: 'day' }, timeZone: 'UTC', weekStart: 1, priceOverrides: {} });
        if (read === 'snapshot') return e.dashboardSnapshot({ ...SNAPSHOT, priceOverrides: {}, reload: true });
        return e.statusSummary({ ...SETTINGS, nowMs: NOW });
      };
      const right = use(reference);
      assert.ok(JSON.stringify(right).includes('"requests":') || (right as { rows?: number }).rows! > 0, `${read}: the fixtures' usage is in the answer`);
      assert.throws(() => use(engine), /^Error: The usage index database is unreadable \(.*malformed.*\); moved aside to .*; rebuilding the index from the logs\.$/, read);
      assert.equal(corruptCopies(dir).length, 1, read);
      // the re-read started by the failed read: a refresh asked meanwhile follows it
      const r = await engine.refresh();
      assert.equal(r?.changed, true, `${read}: not saved yet`);
      assert.deepEqual(inContentOrder(engine.loadFacts()), inContentOrder(expected), read);
      assert.deepEqual(use(engine), right, `${read}: the same answer as from the undamaged index`);
      await engine.save(file);
      assert.equal(corruptCopies(dir).length, 1, `${read}: moved aside once`);
      assert.equal(warnings.filter((w) => /moved aside/.test(w)).length, 1, read);
    } finally {
      await engine.close();
      await reference.close();
      h.cleanup(dir);
    }
  }
});

test('reader: a newer, truncated, foreign or damaged saved file is reported and the copy it has is kept; the file is left alone', async () => {
  const dir = h.tmpDir();
  const writer = engineWith([]);
  const updates: IndexUpdate[] = [];
  const reader = engineWith([], updates);
  const bare = engineWith([]);
  try {
    reader.configureStatus(SETTINGS); // as the host does before it loads
    const good = join(dir, 'good.sqlite');
    await writer.openWritable(good);
    await writer.startIndexer(roots);
    await writer.refresh();
    await writer.save(good);
    const expected = writer.loadFacts();
    assert.equal(await reader.openReadOnly(good), true);
    const bytes = readFileSync(good);
    const pageSize = bytes.readUInt16BE(16);
    const newer = new (await loadSqlJs()).Database(Buffer.from(bytes)); // sql.js writes into the buffer it is given
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const newerBytes = Buffer.from(newer.export());
    newer.close();
    const cases: [string, Buffer, RegExp][] = [
      ['newer', newerBytes, new RegExp(`^Error: index schema ${SCHEMA_VERSION + 1}, this AgentMeter reads ${SCHEMA_VERSION}$`)],
      ['truncated', bytes.subarray(0, 2 * pageSize), /saved index is unreadable \(database file is truncated/],
      ['foreign', Buffer.from('not a database'), /saved index is unreadable \(file is too short/],
    ];
    for (const [what, content, why] of cases) {
      const file = join(dir, `${what}.sqlite`);
      writeFileSync(file, content);
      await assert.rejects(reader.openReadOnly(file), why, what);
      assert.deepEqual(reader.loadFacts(), expected, `${what}: the previous copy is kept`);
      assert.ok(existsSync(file), `${what}: the writer's file is not touched`);
    }
    // damage past the first page passes the cheap checks; the load's summary meets it
    const damaged = Buffer.from(bytes);
    for (let i = pageSize; i < damaged.length; i++) damaged[i] = (i * 7919) & 0xff;
    const file = join(dir, 'damaged.sqlite');
    writeFileSync(file, damaged);
    const pushed = updates.length;
    await assert.rejects(reader.openReadOnly(file), /^Error: the saved index is unreadable \(.*malformed.*\); this window keeps the copy it has$/);
    assert.deepEqual(reader.loadFacts(), expected, 'damaged: the previous copy is kept');
    assert.ok(reader.statusSummary({ ...SETTINGS, nowMs: NOW }), 'and answers');
    assert.equal(updates.length, pushed, 'nothing pushed for the rejected copy');
    // without a summary on load (no status settings) the damage is found by the first read, which fails with it
    assert.equal(await bare.openReadOnly(file), true);
    assert.throws(() => bare.loadFacts(), /malformed/);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.corrupt-')), [], 'a reader never moves the file');
    assert.equal(await reader.openReadOnly(good), true, 'the next save loads');
    assert.equal(await bare.openReadOnly(good), true);
    assert.deepEqual(bare.loadFacts(), expected);
  } finally {
    await writer.close();
    await reader.close();
    await bare.close();
    h.cleanup(dir);
  }
});

test('a writer turning reader (replaceWritable) meets a damaged saved file: reported, nothing moved aside, its own copy kept', async () => {
  const dir = h.tmpDir();
  const engine = engineWith([]);
  try {
    const { file, good, expected } = await damagedIndex(dir);
    engine.configureStatus(SETTINGS);
    assert.deepEqual((await engine.openWritable(good)).notes, []);
    await assert.rejects(engine.openReadOnly(file, true), /saved index is unreadable \(.*malformed.*\); this window keeps the copy it has/);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.corrupt-')).sort(), [], 'neither file moved aside');
    assert.deepEqual(inContentOrder(engine.loadFacts()), inContentOrder(expected));
  } finally {
    await engine.close();
    h.cleanup(dir);
  }
});

test('writer: a read during a refresh meets the damage: the refresh runs again on the fresh index and ends with every log read', async () => {
  const dir = h.tmpDir();
  const warnings: string[] = [];
  const engine = engineWith(warnings);
  try {
    // only the pages of the usage tables are damaged: the refresh's look at the files table passes, the summary's read fails
    const { db } = await h.indexOnce(roots);
    const expected = loadFacts(db);
    const file = join(dir, 'usage-index.sqlite');
    saveIndexDatabase(db, file);
    const usagePages = db.exec("SELECT rootpage FROM sqlite_master WHERE rootpage > 1 AND tbl_name <> 'files'")[0].values.map((r) => Number(r[0]));
    db.close();
    const bad = readFileSync(file);
    const pageSize = bad.readUInt16BE(16);
    for (const p of usagePages) for (let i = (p - 1) * pageSize; i < p * pageSize; i++) bad[i] = (i * 7919) & 0xff;
    writeFileSync(file, bad);

    await engine.openWritable(file);
    await engine.startIndexer(roots);
    const running = engine.refresh();
    assert.throws(() => engine.statusSummary({ ...SETTINGS, nowMs: NOW }), /moved aside to .*; rebuilding the index from the logs/);
    const r = await running;
    assert.equal(r?.changed, true);
    assert.equal(r?.filesChanged, r?.filesScanned, 'every log read again');
    assert.deepEqual(inContentOrder(engine.loadFacts()), inContentOrder(expected));
    assert.equal(corruptCopies(dir).length, 1);
    assert.equal(warnings.filter((w) => /moved aside/.test(w)).length, 1);
  } finally {
    await engine.close();
    h.cleanup(dir);
  }
});
