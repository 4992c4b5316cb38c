import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadFacts } from '../../../src/core/query/facts';
import { logTimestampMs, logTimestampMsOfBytes } from '../../../src/core/ingest/parse/timestamp';
import * as h from './helpers';

/** Runs `fn` with the process in another time zone (Node re-reads TZ when it is assigned). */
async function inZone<T>(zone: string, fn: () => Promise<T> | T): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

test('log timestamps: Z and explicit offsets as written, a date-time without an offset as UTC on any machine', async () => {
  const utc = Date.UTC(2026, 3, 1, 23, 30, 0);
  for (const zone of ['America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
    await inZone(zone, () => {
      assert.equal(new Date(2026, 0, 1).getTimezoneOffset(), zone === 'UTC' ? 0 : zone === 'Asia/Tokyo' ? -540 : 480); // the zone took effect
      assert.equal(logTimestampMs('2026-04-01T23:30:00.000Z'), utc);
      assert.equal(logTimestampMs('2026-04-01T23:30:00'), utc);
      assert.equal(logTimestampMs('2026-04-01T23:30:00.123456'), utc + 123);
      assert.equal(logTimestampMs('2026-04-01 23:30:00'), utc);
      assert.equal(logTimestampMs('2026-04-02T01:30:00+02:00'), utc);
      assert.equal(logTimestampMs('2026-04-01T18:30:00.000-0500'), utc);
      assert.equal(logTimestampMs('2026-04-01'), Date.UTC(2026, 3, 1));
      assert.ok(Number.isNaN(logTimestampMs('yesterday')));
      assert.ok(Number.isNaN(logTimestampMs(1775086200000)));
      assert.ok(Number.isNaN(logTimestampMs(undefined)));
    });
  }
});

test('an offset-less timestamp lands on the same UTC bucket whatever the machine zone (Claude and Codex)', async () => {
  const dir = h.tmpDir();
  h.write(join(dir, 'c/projects/-w/s.jsonl'), h.claudeAssistant({ id: 'm1', ts: '2026-04-01T23:30:00', usage: { input: 10, output: 1 } }));
  h.write(
    join(dir, 'x/sessions/2026/04/01/rollout-a.jsonl'),
    h.codexSessionMeta('2026-04-01T23:00:00', '/w') + h.codexTurnContext('2026-04-01T23:00:00', 'gpt-5.3-codex') + h.codexTokenCount('2026-04-01T23:45:10', { input: 100, cached: 0, output: 5, reasoning: 0 }),
  );
  const seen: string[] = [];
  for (const zone of ['America/Los_Angeles', 'Asia/Tokyo']) {
    const { db } = await inZone(zone, () => h.indexOnce(h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') })));
    seen.push(JSON.stringify(loadFacts(db).map((f) => [f.source, new Date(f.bucketStartMs).toISOString()]).sort()));
  }
  assert.equal(seen[0], JSON.stringify([['claude', '2026-04-01T23:30:00.000Z'], ['codex', '2026-04-01T23:45:00.000Z']]));
  assert.equal(seen[1], seen[0]);
  h.cleanup(dir);
});

test('log timestamps in the agents’ form are read as Date.parse reads them, invalid dates included', () => {
  const cases = [
    '2026-04-01T23:30:00.000Z', '2026-04-01T23:30:00Z', '2026-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '2024-02-29T12:00:00.500Z',
    '2025-02-29T12:00:00.000Z', '2100-02-29T00:00:00.000Z', '2000-02-29T00:00:00.000Z', '2026-04-31T10:00:00.000Z', '2026-13-01T10:00:00.000Z',
    '2026-00-10T10:00:00.000Z', '2026-04-00T10:00:00.000Z', '2026-04-01T24:00:00.000Z', '2026-04-01T23:60:00.000Z', '2026-04-01T23:59:60.000Z',
    '2026-04-01T23:30:00.1Z', '2026-04-01T23:30:00.12Z', '2026-04-01T23:30:00.1234Z', '2026-04-01t23:30:00.000Z', '2026-04-01 23:30:00.000Z',
    '2026-4-01T23:30:00.000Z', '2026-04-01T23:30:00,000Z', '2026-04-01T23:30:00.0a0Z', '+02026-04-01T23:30:00.000Z', '0999-04-01T23:30:00.000Z',
    '0099-04-01T23:30:00.000Z', '0000-01-01T00:00:00.000Z', '2026-04-01T23:30Z', 'Z', '',
    // the ends of the years read by hand (the day arithmetic's floors are integer divisions there)
    '0100-01-01T00:00:00.000Z', '0100-02-28T23:59:59.999Z', '0100-03-01T00:00:00.000Z', '0400-02-29T00:00:00.000Z', '9999-12-31T23:59:59.999Z',
  ];
  for (const v of cases) assert.deepEqual([v, logTimestampMs(v)], [v, Date.parse(v)]);
  // the first and last day of every month from 1900 to 2400 (leap and century rules), as Date.parse reads them
  for (let year = 1900; year <= 2400; year++) {
    for (let month = 1; month <= 12; month++) {
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      for (const day of [1, last]) {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T07:08:09.010Z`;
        assert.equal(logTimestampMs(iso), Date.parse(iso), iso);
      }
    }
  }
  // every day of a leap year and a common year, at times that cross each field's range
  for (const year of [2024, 2026]) {
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000 + 3_723_001) {
      const iso = new Date(t).toISOString();
      assert.equal(logTimestampMs(iso), t, iso);
      assert.equal(logTimestampMs(`${iso.slice(0, 19)}Z`), Math.floor(t / 1000) * 1000, iso);
    }
  }
});

test('log timestamps read from their bytes equal those read from the string, whatever the form', () => {
  const cases = [
    '2026-04-01T23:30:00.000Z', '2026-04-01T23:30:00Z', '2024-02-29T12:00:00.500Z', '2025-02-29T12:00:00.000Z', '2026-04-31T10:00:00.000Z',
    '2026-04-01T24:00:00.000Z', '2026-04-01T23:30:00.1Z', '2026-04-01t23:30:00.000Z', '2026-04-01 23:30:00.000Z', '0099-04-01T23:30:00.000Z',
    '2026-04-01T23:30:00', '2026-04-01T23:30:00.123456', '2026-04-02T01:30:00+02:00', '2026-04-01', 'yesterday', 'Z', '',
    '2026-04-01T23:30:0é.000Z', '２026-04-01T23:30:00.000Z', '2026-04-01T23:30:00.00éZ',
  ];
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000 + 3_723_001) cases.push(new Date(t).toISOString());
  for (const v of cases) {
    const b = Buffer.from(`"x":"${v}",`);
    assert.deepEqual([v, logTimestampMsOfBytes(b, 5, b.length - 2)], [v, logTimestampMs(v)]);
  }
});
