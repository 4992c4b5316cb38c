/**
 * A plug-in source's keyed state (store/keyedCalls.ts) is held across the refresh's periodic flushes and written once
 * it holds more than its bound of keys, and at the end of the refresh (sources/keyed/keyedApplier.ts). Over a Gemini
 * CLI home of more keys than that bound, read with a flush after every file and with none: the same usage, the same
 * keyed packs byte for byte, nothing written before the bound is crossed, and a re-written message still replaces
 * what it counted (last wins) on the next refresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadFacts } from '../../../src/core/query/facts';
import { migrate } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { cleanup, tmpDir } from '../ingest/helpers';

const SESSIONS = 24;
const MESSAGES = 1_500; // 36,000 keys: more than one bound's worth (32,768)
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
/** the refreshes' clock: the messages inside the de-dup window (35 days), where a re-written one is corrected */
const NOW = T0 + 2 * 86_400_000;

function sessionId(s: number): string {
  return `${String(s).padStart(8, '0')}-7b3d-4c55-9a0e-2d8f6b1c3e70`;
}

/** A Gemini CLI response with its tokens (chatRecordingService.ts: `tokens` on the gemini message). */
function message(s: number, m: number, extra = 0): string {
  const input = 1_000 + ((s * 7919 + m * 104729) % 50_000) + extra;
  const cached = (m * 31) % 800;
  const output = 10 + ((s + m) % 900);
  const thoughts = m % 3 === 0 ? 40 : 0;
  return JSON.stringify({
    id: `m-${s}-${m}`,
    timestamp: new Date(T0 + s * 3_600_000 + m * 1_000).toISOString(),
    type: 'gemini',
    content: 'ok',
    tokens: { input, output, cached, thoughts, tool: 0, total: input + output + thoughts },
    model: m % 5 === 0 ? 'gemini-2.5-flash' : 'gemini-2.5-pro',
    ...(m % 4 === 0 ? { toolCalls: [{ id: `c-${m}`, name: 'read_file', args: {}, status: 'success' }] } : {}),
  });
}

const fileName = (s: number) => `session-2026-03-02T09-${String(s).padStart(2, '0')}-${sessionId(s).slice(0, 8)}.jsonl`;

function geminiHome(): string {
  const home = tmpDir('agentmeter-held-');
  const chats = join(home, '.gemini/tmp/proj-held/chats');
  mkdirSync(chats, { recursive: true });
  for (let s = 0; s < SESSIONS; s++) {
    const lines = [JSON.stringify({ sessionId: sessionId(s), projectHash: 'd9e858c45d3e8d25', startTime: new Date(T0 + s * 3_600_000).toISOString(), lastUpdated: new Date(T0).toISOString() })];
    for (let m = 0; m < MESSAGES; m++) lines.push(message(s, m));
    writeFileSync(join(chats, fileName(s)), `${lines.join('\n')}\n`);
  }
  return home;
}

async function freshDb(): Promise<Database> {
  const db = new (await loadSqlJs()).Database();
  migrate(db);
  return db;
}

function totals(db: Database): number[] {
  const t = [0, 0, 0, 0, 0];
  for (const f of loadFacts(db)) {
    t[0] += f.requests;
    t[1] += f.input;
    t[2] += f.output;
    t[3] += f.cacheRead;
    t[4] += f.reasoning;
  }
  return t;
}

const packs = (db: Database) => db.exec("SELECT k, hex(p) FROM keyed_packs WHERE s = 'gemini' ORDER BY k")[0]?.values ?? [];
const packRows = (db: Database) => Number(db.exec("SELECT count(*) FROM keyed_packs WHERE s = 'gemini'")[0].values[0][0]);

test('keyed state held across flushes: written past its bound and at the end, the same packs and usage as with no flush at all', async () => {
  const home = geminiHome();
  const flushed = await freshDb();
  const whole = await freshDb();
  try {
    const roots = discoverRoots({ env: {}, home });
    const seen: number[] = [];
    const a = new Indexer({ db: flushed, roots, now: () => NOW });
    await a.refresh({ flushEveryMs: 0, onFlush: () => seen.push(packRows(flushed)) });
    const b = new Indexer({ db: whole, roots, now: () => NOW });
    await b.refresh({ flushEveryMs: 3_600_000 });
    assert.equal(seen.length, SESSIONS - 1, 'a flush after every file but the last');
    assert.equal(seen[0], 0, 'the first flushes write no keyed packs');
    const firstWrite = seen.findIndex((n) => n > 0);
    assert.ok(firstWrite > 0 && (firstWrite + 1) * MESSAGES > 32_768, `packs written once the bound was crossed (after file ${firstWrite + 1})`);
    assert.deepEqual(packs(flushed), packs(whole), 'the same packs, byte for byte');
    const want = totals(whole);
    assert.equal(want[0], SESSIONS * MESSAGES);
    assert.deepEqual(totals(flushed), want);

    // a message re-written under the same id (its tokens grew): last wins, in both indexes
    const file = join(home, '.gemini/tmp/proj-held/chats', fileName(3));
    appendFileSync(file, `${message(3, 10, 5_000)}\n${message(3, 1_400, 7)}\n`);
    await a.refresh({ flushEveryMs: 0 });
    await b.refresh({ flushEveryMs: 3_600_000 });
    const after = totals(flushed);
    assert.deepEqual(after, totals(whole));
    assert.deepEqual(after.slice(0, 2), [want[0], want[1] + 5_007], 'replaced, not added');
    assert.deepEqual(packs(flushed), packs(whole));
    await a.dispose();
    await b.dispose();
  } finally {
    flushed.close();
    whole.close();
    cleanup(home);
  }
});
