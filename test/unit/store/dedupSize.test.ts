import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash53 } from '../../../src/core/hash';
import { openIndexDatabase } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqljs';

/**
 * Size of a year of heavy use (issue 2 §5: < 50 MB for ~1.5 M calls/year): 1.5 M calls compacted to claude_seen,
 * 40 k recent calls in claude_calls, 70 k usage rows (≈ 2 dims in 35 k active 15-minute buckets), 2 k dims,
 * 150 k Codex replay hashes and 35 k rate-limit samples. Prints the exported database size.
 * The unit run uses a tenth of that (fast) and checks a tenth of the budget; the full year runs with
 * AGENTMETER_SIZE_SCALE=1 (measured 2026-11: 38.5 MB, ~26 s).
 */
const SCALE = Number(process.env.AGENTMETER_SIZE_SCALE ?? '0.1');
const n = (x: number) => Math.round(x * SCALE);
test(`de-dup state and usage for a year of heavy use stay under 50 MB (scale ${SCALE})`, async () => {
  const SQL = await loadSqlJs();
  const { db } = openIndexDatabase(SQL, undefined);
  db.run('BEGIN');
  const seen = db.prepare('INSERT OR IGNORE INTO claude_seen (mid) VALUES (?)');
  for (let i = 0; i < n(1_500_000); i++) seen.run([hash53(`msg_${i}`)]);
  seen.free();
  const calls = db.prepare('INSERT INTO claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search) VALUES (?, ?, 0, ?, ?, ?, ?, ?, 0, ?, 0)');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n(40_000); i++) calls.run([hash53(`recent_${i}`), hash53(`req_${i}`), t0 + i * 60_000, 1 + (i % 2000), 3 + (i % 50), 100 + (i % 3000), i % 5000, 20_000 + i]);
  calls.free();
  const dims = db.prepare("INSERT INTO dims (source, model, project, session, branch, tier) VALUES ('claude', 'claude-sonnet-4-5-20250929', ?, ?, 'main', 'standard')");
  for (let i = 0; i < 2000; i++) dims.run([`-home-dev-project-${i % 40}`, `0f3c9a2e-${String(i).padStart(4, '0')}-4d1e-9b7a-1c2d3e4f5a6b`]);
  dims.free();
  const usage = db.prepare('INSERT INTO usage (bucket, dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms) VALUES (?, ?, ?, ?, ?, 0, ?, 0, 0, ?, ?, ?)');
  for (let i = 0; i < n(70_000); i++) {
    const bucket = t0 + Math.floor(i / 2) * 900_000;
    usage.run([bucket, 1 + (i % 2000), 300 + i, 9000 + i, 40_000 + i, 1_500_000 + i, 20 + (i % 30), bucket + 1000, bucket + 800_000]);
  }
  usage.free();
  const ev = db.prepare('INSERT OR IGNORE INTO codex_events (h) VALUES (?)');
  for (let i = 0; i < n(150_000); i++) ev.run([hash53(`ev_${i}`)]);
  ev.free();
  const rl = db.prepare('INSERT INTO rate_limits (bucket, observed_ms, snapshot) VALUES (?, ?, ?)');
  for (let i = 0; i < n(35_000); i++) rl.run([t0 + i * 900_000, t0 + i * 900_000 + 5, JSON.stringify({ observedMs: t0 + i * 900_000 + 5, primary: { usedPercent: i % 100, windowMinutes: 300, resetsAtMs: t0 }, secondary: { usedPercent: 12, windowMinutes: 10080, resetsAtMs: t0 }, planType: 'plus', limitId: 'codex' })]);
  rl.free();
  db.run('COMMIT');
  const bytes = db.export().length;
  const mb = bytes / 1024 / 1024;
  console.log(`index size at scale ${SCALE} of (1.5 M compacted + 40 k recent calls, 70 k usage rows, 150 k Codex events, 35 k rate samples): ${mb.toFixed(1)} MB`);
  assert.ok(mb < 50 * SCALE, `${mb.toFixed(1)} MB`);
});
