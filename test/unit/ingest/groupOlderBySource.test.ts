/**
 * A first index reads today's files first, then the older ones source by source (each newest first): a source's
 * de-dup state then goes when its last file is applied (IngestRun.finishSource) instead of being held while every
 * other source's history is read, as it was when a history whose sources alternate in time was read in time order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots, listLogEntries, statLogFile } from '../../../src/core/discovery';
import { IngestRun } from '../../../src/core/ingest/apply';
import { groupOlderBySource, Indexer } from '../../../src/core/ingest/indexer';
import { sourceDef } from '../../../src/core/sources/registry';
import { fixtureHome } from '../sources/fixtureHome';
import { claudeAssistant, cleanup, freshDb, totals, write } from './helpers';

test('groupOlderBySource: the recent jobs stay first, the others grouped by source in the order of their first job', () => {
  const jobs = [
    { s: 'claude', t: 9 }, { s: 'gemini', t: 8 }, { s: 'claude', t: 7 }, { s: 'codex', t: 6 }, { s: 'gemini', t: 5 }, { s: 'claude', t: 4 }, { s: 'codex', t: 3 },
  ];
  groupOlderBySource(jobs, (j) => j.t >= 8, (j) => j.s);
  assert.deepEqual(jobs.map((j) => `${j.s}${j.t}`), ['claude9', 'gemini8', 'claude7', 'claude4', 'codex6', 'codex3', 'gemini5']);
});

test('a first index over sources that alternate in time: today first, then each source\'s files together; the same totals as a listing', async () => {
  const home = fixtureHome();
  const NOW = Date.parse('2026-04-20T15:00:00Z');
  const dayStart = Date.parse('2026-04-20T00:00:00Z');
  const applied: string[] = [];
  const original = IngestRun.prototype.applyFile;
  try {
    const claude = join(home, 'claude');
    for (let k = 0; k < 12; k++) {
      write(join(claude, `projects/p${k}/s${k}.jsonl`), claudeAssistant({ id: `call${k}`, ts: `2026-04-${String(8 + k).padStart(2, '0')}T10:00:00Z`, usage: { input: 2 + k, output: 10 + k } }));
    }
    const roots = discoverRoots({ env: {}, home, platform: 'linux', dirs: { claude: [claude], codex: ['none'] } });
    const files = (await listLogEntries(roots)).map((l) => statLogFile(l)!).filter(Boolean);
    // every source's logs alternate in time, newest first: one of each source in turn, an hour apart; the first
    // two (a Claude and another source's) are of today
    const bySource = new Map<string, string[]>();
    for (const f of files) if (!sourceDef(f.source).isDatabase(f.format)) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f.path]);
    assert.ok(bySource.size >= 6, `several sources have logs (${[...bySource.keys()].join(', ')})`);
    const lists = [...bySource.values()];
    let t = NOW - 60_000;
    for (let i = 0; lists.some((l) => i < l.length); i++) {
      for (const l of lists) {
        if (i >= l.length) continue;
        const at = new Date(i === 0 && (l === lists[0] || l === lists[1]) ? t : Math.min(t, dayStart - 3_600_000));
        utimesSync(l[i], at, at);
        t -= 3_600_000;
      }
    }
    IngestRun.prototype.applyFile = function (this: IngestRun, file, r) {
      applied.push(sourceDef(file.source).isDatabase(file.format) ? `${file.source}:db` : file.source);
      return original.call(this, file, r);
    };
    const grouped = await freshDb();
    await new Indexer({ db: grouped, roots, now: () => NOW }).refresh({ newestFirst: true, flushNewerThanMs: dayStart });
    IngestRun.prototype.applyFile = original;

    // today's two logs, the databases, then one run per source
    const [first, second, ...rest] = applied;
    assert.deepEqual([first, second].sort(), [files.find((f) => f.path === lists[0][0])!.source, files.find((f) => f.path === lists[1][0])!.source].sort());
    const older = rest.filter((s) => !s.endsWith(':db'));
    assert.ok(rest.slice(0, rest.length - older.length).every((s) => s.endsWith(':db')), `the databases next: ${rest.join(' ')}`);
    const runs = older.filter((s, i) => i === 0 || older[i - 1] !== s);
    assert.equal(new Set(runs).size, runs.length, `each source's older files together: ${older.join(' ')}`);

    const listed = await freshDb();
    await new Indexer({ db: listed, roots, now: () => NOW }).refresh();
    for (const source of [...bySource.keys(), 'opencode']) {
      assert.deepEqual(totals(grouped, { source: source as never }), totals(listed, { source: source as never }), `${source}: the same totals`);
    }
    grouped.close();
    listed.close();
  } finally {
    IngestRun.prototype.applyFile = original;
    cleanup(home);
  }
});
