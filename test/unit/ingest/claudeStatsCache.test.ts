import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { claudeCoveredDays, loadEstimatedDays } from '../../../src/core/query/estimatedDays';
import { loadStoredStatsCache } from '../../../src/core/store/claudeStatsCaches';
import type { Logger } from '../../../src/core/types';
import { claudeAssistant, cleanup, freshDb, tmpDir, write } from './helpers';

const FIXTURE = join(__dirname, '..', '..', '..', 'src', 'core', 'sources', 'claude', 'fixtures', 'config', 'stats-cache.json');
const OPUS = 'claude-opus-4-5-20251101';
const SONNET = 'claude-sonnet-4-5-20250929';

/** A Claude config folder: projects/ with one transcript whose calls are on the given UTC times, and the stats cache. */
function configFolder(dir: string, times: string[]): string {
  const lines = times.map((ts, i) => claudeAssistant({ id: `msg_${i}`, ts, model: OPUS, usage: { input: 10, output: 20, cacheRead: 300 } }));
  write(join(dir, 'projects', '-home-u-proj', 'sess-1.jsonl'), lines.join(''));
  copyFileSync(FIXTURE, join(dir, 'stats-cache.json'));
  return dir;
}

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, debug() {}, error() {}, warn: (m) => warnings.push(m) };
}

async function setup(dirs: string[]) {
  const db = await freshDb();
  const roots = discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: dirs, codex: ['none'] }, enabled: ['claude'] });
  const logger = recorder();
  const indexer = new Indexer({ db, roots, logger });
  return { db, indexer, logger };
}

test('a refresh stores each config folder\'s stats cache in meta; days the logs cover are not estimated (UTC days)', async () => {
  const tmp = tmpDir();
  try {
    // 00:30 UTC on Mar 4 is Mar 3 in New York, but Claude Code keys its days by UTC date: Mar 4 is the covered day
    const cfg = configFolder(join(tmp, 'claude'), ['2026-03-04T00:30:00.000Z']);
    const { db, indexer } = await setup([cfg]);
    const r = await indexer.refresh();
    assert.equal(r.changed, true);
    const stored = loadStoredStatsCache(db, cfg)!;
    const st = statSync(join(cfg, 'stats-cache.json'));
    assert.equal(stored.size, st.size);
    assert.equal(stored.mtimeMs, st.mtimeMs);
    assert.equal(stored.stats?.version, 2);
    assert.equal(stored.skipped, undefined);
    assert.deepEqual([...claudeCoveredDays(db)], ['2026-03-04']);

    const est = loadEstimatedDays(db);
    assert.equal(est.dayCount, 3);
    assert.deepEqual(est.days.map((d) => [d.date, d.model, d.input + d.output]), [
      ['2026-03-01', OPUS, 120034],
      ['2026-03-01', SONNET, 15001],
      ['2026-03-02', OPUS, 80077],
      ['2026-03-03', SONNET, 40333],
    ]);
    assert.deepEqual(est.days[0], { date: '2026-03-01', model: OPUS, input: 96839, output: 23195, cacheRead: 190779091, cacheCreation: 9683923, dayTokens: 120034 });
    assert.deepEqual(est.activity.map((a) => [a.date, a.messageCount, a.coveredByLogs]), [
      ['2026-03-01', 412, false], ['2026-03-02', 208, false], ['2026-03-03', 95, false], ['2026-03-04', 733, true],
    ]);
    assert.deepEqual(est.notes, []);
    // the covered days can be given (e.g. a dashboard that knows them)
    assert.equal(loadEstimatedDays(db, new Set(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'])).dayCount, 0);
  } finally {
    cleanup(tmp);
  }
});

test('the stats cache is read again only when its size or mtime changed', async () => {
  const tmp = tmpDir();
  try {
    const cfg = configFolder(join(tmp, 'claude'), ['2026-03-04T10:00:00.000Z']);
    const file = join(cfg, 'stats-cache.json');
    const T = 1_772_600_000; // whole seconds: utimes can set them back exactly
    utimesSync(file, T, T);
    const { db, indexer } = await setup([cfg]);
    await indexer.refresh();
    assert.equal((await indexer.refresh()).changed, false, 'nothing changed: nothing written');

    // same size, same mtime: not read (the stored figures stay)
    writeFileSync(file, readFileSync(file, 'utf8').replace('"messageCount": 412', '"messageCount": 413'));
    utimesSync(file, T, T);
    assert.equal((await indexer.refresh()).changed, false);
    assert.equal(loadStoredStatsCache(db, cfg)!.stats!.dailyActivity[0].messageCount, 412);

    // a new mtime: read again
    utimesSync(file, T, T + 5);
    assert.equal((await indexer.refresh()).changed, true);
    assert.equal(loadStoredStatsCache(db, cfg)!.stats!.dailyActivity[0].messageCount, 413);
    assert.equal(loadEstimatedDays(db).activity[0].messageCount, 413);
  } finally {
    cleanup(tmp);
  }
});

test('a file caught mid-write or of a newer version is skipped with one warning; what was read before is kept', async () => {
  const tmp = tmpDir();
  try {
    const cfg = configFolder(join(tmp, 'claude'), ['2026-03-04T10:00:00.000Z']);
    const file = join(cfg, 'stats-cache.json');
    const full = readFileSync(file, 'utf8');
    const { db, indexer, logger } = await setup([cfg]);
    await indexer.refresh();

    writeFileSync(file, full.slice(0, 700));
    assert.equal((await indexer.refresh()).changed, true);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0], /stats-cache\.json skipped: not valid JSON/);
    const stored = loadStoredStatsCache(db, cfg)!;
    assert.match(stored.skipped!, /not valid JSON/);
    assert.equal(stored.size, 700);
    const est = loadEstimatedDays(db);
    assert.equal(est.dayCount, 3, 'the previous read still estimates');
    assert.equal(est.notes.length, 1);
    assert.match(est.notes[0], /last read skipped \(not valid JSON.*the previous read is used/);
    assert.equal((await indexer.refresh()).changed, false, 'not read again until it changes');
    assert.equal(logger.warnings.length, 1);

    // complete again: read, the reason cleared
    writeFileSync(file, full);
    await indexer.refresh();
    assert.equal(loadStoredStatsCache(db, cfg)!.skipped, undefined);
    assert.deepEqual(loadEstimatedDays(db).notes, []);

    // a newer version in a folder never read before: nothing to estimate from, and said so
    const other = join(tmp, 'work-claude');
    write(join(other, 'projects', '-w', 's.jsonl'), claudeAssistant({ id: 'w1', ts: '2026-03-04T11:00:00.000Z', usage: { input: 1, output: 1 } }));
    write(join(other, 'stats-cache.json'), full.replace('"version": 2', '"version": 6'));
    const two = await setup([cfg, other]);
    await two.indexer.refresh();
    assert.equal(loadStoredStatsCache(two.db, other)!.stats, null);
    assert.match(two.logger.warnings.join('\n'), /unknown newer version 6/);
    const est2 = loadEstimatedDays(two.db);
    assert.equal(est2.dayCount, 3);
    assert.match(est2.notes.join('\n'), /work-claude: last read skipped \(unknown newer version 6/);
  } finally {
    cleanup(tmp);
  }
});

test('a deleted stats cache keeps its stored days; several config folders add up per day and model', async () => {
  const tmp = tmpDir();
  try {
    const a = configFolder(join(tmp, 'a'), ['2026-03-04T10:00:00.000Z']);
    const b = join(tmp, 'b');
    write(join(b, 'projects', '-p', 's.jsonl'), claudeAssistant({ id: 'b1', ts: '2026-03-04T12:00:00.000Z', model: OPUS, usage: { input: 1, output: 1 } }));
    const j = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    j.version = 3;
    j.dailyModelTokens = [{ date: '2026-03-01', tokensByModel: { [OPUS]: 511110 } }];
    j.dailyActivity = [{ date: '2026-03-01', messageCount: 8, sessionCount: 1, toolCallCount: 2 }];
    write(join(b, 'stats-cache.json'), JSON.stringify(j, null, 2));
    const { db, indexer } = await setup([a, b]);
    await indexer.refresh();
    const opus1 = loadEstimatedDays(db).days.find((d) => d.date === '2026-03-01' && d.model === OPUS)!;
    // a's split of 120034 plus b's 511110 tokens, which split exactly as the all-time mix (412345 : 98765)
    assert.deepEqual(opus1, {
      date: '2026-03-01', model: OPUS, input: 96839 + 412345, output: 23195 + 98765, cacheRead: 190779091 + 812345678,
      cacheCreation: 9683923 + 41234567, dayTokens: 120034 + 511110,
    });
    assert.equal(loadEstimatedDays(db).activity[0].messageCount, 412 + 8);

    rmSync(join(a, 'stats-cache.json'));
    await indexer.refresh();
    assert.equal(loadEstimatedDays(db).days.find((d) => d.date === '2026-03-01' && d.model === OPUS)!.dayTokens, 120034 + 511110);
  } finally {
    cleanup(tmp);
  }
});
