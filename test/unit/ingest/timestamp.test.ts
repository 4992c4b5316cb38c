import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadFacts } from '../../../src/core/query/facts';
import { logTimestampMs } from '../../../src/core/ingest/parse/timestamp';
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
