import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCounters } from '../../../src/core/query/facts';
import * as h from './helpers';

/** Every field optional, unknown types and odd values never throw; malformed lines are counted, not fatal. */
test('odd values and unknown shapes are skipped or counted, never thrown', async () => {
  const dir = h.tmpDir();
  const claudeLines = [
    '{"type":"assistant","message":{"id":"m1","usage":"str"},"timestamp":"2026-04-01T00:00:00Z"}',
    '{"type":"assistant","message":5,"usage":{},"timestamp":"2026-04-01T00:00:00Z"}',
    '{"type":"assistant","message":{"id":"m2","model":null,"usage":{"input_tokens":"7","output_tokens":-3,"cache_creation":null}},"timestamp":"2026-04-01T00:00:00Z"}',
    '{"type":"assistant","message":{"id":"m3","usage":{"input_tokens":4}},"timestamp":12345}', // unusable timestamp → malformed
    '{"type":"assistant","message":{"usage":{"input_tokens":1,}}', // JSON error → malformed
    '[1,2,3]', // not an object → malformed
    '{"type":"cost-state","modelUsage":{"x":{"costUSD":1}}}',
    '{"type":"attachment","usage":{"input_tokens":99}}',
  ];
  h.write(join(dir, 'c/projects/p/s.jsonl'), `${claudeLines.join('\n')}\n`);
  const codexLines = [
    '{"timestamp":"2026-04-01T00:00:00Z","type":"event_msg","payload":{"type":"token_count","info":[]}}',
    '{"timestamp":"2026-04-01T00:00:00Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":null},"rate_limits":{"primary":"x"}}}',
    '{"timestamp":"2026-04-01T00:00:01Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"total_tokens":10}}}}',
    '{"payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":30}}},"type":"event_msg","timestamp":"2026-04-01T00:00:02Z"}', // keys in another order
    '{"timestamp":"2026-04-01T00:00:03Z","type":"turn_context","payload":null}',
    '{"id":"legacy","timestamp":"2025-08-01T00:00:00Z","instructions":"x"}',
    '{"timestamp":"2026-04-01T00:00:04Z","type":"session_meta","payload":{"cwd":42}}',
  ];
  h.write(join(dir, 'x/sessions/rollout-a.jsonl'), `${codexLines.join('\n')}\n`);
  const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') }));
  // Claude: m2 counts as a call with 0 tokens ("7" is not a number, -3 clamps to 0); m1's usage is not an object
  assert.equal(h.totals(db, { source: 'claude' }).requests, 1);
  assert.equal(h.totals(db, { source: 'claude' }).input, 0);
  // Codex: 10 then the reordered line's 30 → 10 + 20 input, no cached
  assert.equal(h.totals(db, { source: 'codex' }).input, 30);
  assert.equal(loadCounters(db).malformedLines, 3);
  h.cleanup(dir);
});
