import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadFacts, loadProjects } from '../../../src/core/query/facts';
import { loadHourFacts } from '../../../src/core/query/aggregates';
import { loadReportFacts, type FactsPath } from '../../../src/core/query/reportFacts';
import { GROUP_BYS, groupFacts } from '../../../src/core/report/group';
import { totals } from '../../../src/core/report/rows';
import { zoneCalendar } from '../../../src/core/report/tz';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { Source } from '../../../src/core/types';
import { cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';
import { writeHistory } from '../store/claudeHistory';
import { mixedHistory } from './mixedHistory';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide', 'Australia/Lord_Howe'];
// whole history; a range across the northern spring DST switch (and Lord Howe's and Adelaide's autumn one); one day
const RANGES: { since?: string; until?: string }[] = [{}, { since: '2026-03-20', until: '2026-04-10' }, { since: '2026-04-05', until: '2026-04-05' }];
const SOURCES: (Source | undefined)[] = [undefined, 'claude', 'codex'];

test('every grouping, zone, range and source: reports from the aggregates are byte-identical to reports from the 15-minute rows', async () => {
  const dir = tmpDir();
  try {
    writeHistory(dir, mixedHistory(3, '2026-03-02T00:00:00Z', 50));
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
    const prices = createPriceTable({ 'claude-sonnet-4-5': { input: 3.3, output: 16.1, cacheRead: 0.33 } });
    const paths = new Map(loadProjects(db).map((p) => [`${p.source}\u0000${p.project}`, p.displayPath]));
    const used: Record<FactsPath, number> = { hours: 0, sessions: 0, buckets: 0 };
    const bucketsFor = new Set<string>();
    let compared = 0;
    for (const timeZone of ZONES) {
      for (const range of RANGES) {
        const { sinceMs, untilMs } = zoneCalendar(timeZone).dayRange(range.since, range.until);
        for (const source of SOURCES) {
          const reference = loadFacts(db, { sinceMs, untilMs, source });
          for (const by of GROUP_BYS) {
            for (const weekStart of by === 'week' ? [1, 0] : [1]) {
              const opts = { timeZone, weekStart, prices, projectDisplayPath: (s: Source, p: string) => paths.get(`${s}\u0000${p}`) };
              const { facts, path } = loadReportFacts(db, { by, timeZone, sinceMs, untilMs, source });
              used[path]++;
              if (path === 'buckets') bucketsFor.add(timeZone);
              const label = `${by} ${timeZone} ${JSON.stringify(range)} ${source ?? 'all'} (${path})`;
              const want = groupFacts(reference, by, opts);
              const got = groupFacts(facts, by, opts);
              assert.ok(want.length > 0 || range.since === '2026-04-05', label);
              assert.equal(JSON.stringify({ rows: got, total: totals(got) }), JSON.stringify({ rows: want, total: totals(want) }), label);
              if (path !== 'buckets' && want.length > 3) assert.ok(facts.length < reference.length, `${label}: fewer rows read`);
              if (path === 'hours') {
                // the plain hourly rows (one per hour and dims without the session) group the same too
                const hourly = groupFacts(loadHourFacts(db, { sinceMs, untilMs, source }), by, opts);
                assert.equal(JSON.stringify(hourly), JSON.stringify(want), `${label}: loadHourFacts`);
              }
              compared++;
            }
          }
        }
      }
    }
    assert.equal(compared, ZONES.length * RANGES.length * SOURCES.length * (GROUP_BYS.length + 1));
    assert.ok(used.hours > 0 && used.sessions > 0 && used.buckets > 0, JSON.stringify(used));
    // the 15-minute rows answer only where the zone needs them: :30/:45 offsets (a range, or local-time keys)
    assert.deepEqual([...bucketsFor].sort(), ['Asia/Kathmandu', 'Asia/Kolkata', 'Australia/Adelaide', 'Australia/Lord_Howe']);
    db.close();
  } finally {
    cleanup(dir);
  }
});
