import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SOURCE_IDS } from '../../../src/core/sources/registry';
import { parseCli, reportedSources, UsageError } from '../../../src/cli/args';

const report = (argv: string[]) => {
  const c = parseCli(argv);
  assert.equal(c.kind, 'report');
  return (c as Extract<typeof c, { kind: 'report' }>).args;
};

test('defaults: by day, all sources, table, Monday weeks, the system zone', () => {
  const a = report(['report']);
  assert.equal(a.by, 'day');
  assert.equal(a.source, 'all');
  assert.equal(a.format, 'table');
  assert.equal(a.weekStart, 1);
  assert.equal(a.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.deepEqual(a.dirs, {});
  assert.deepEqual(a.sources, [...SOURCE_IDS]);
  assert.deepEqual(a.rates, {});
  assert.equal(a.verbose, false);
  assert.equal(a.db, undefined);
  assert.equal(a.noCache, false);
});

test('every option is parsed', () => {
  const a = report([
    'report', '--by', 'Block', '--source', 'codex', '--since', '2026-01-01', '--until', '2026-01-31', '--timezone', 'asia/tokyo',
    '--week-start', 'sunday', '--format', 'csv', '--claude-dir', '~/a, /b', '--codex-dir', 'none', '--db', 'x.sqlite', '--prices', 'p.json', '-v',
  ]);
  assert.deepEqual(a, {
    by: 'block', source: 'codex', sources: ['codex'], since: '2026-01-01', until: '2026-01-31', timeZone: 'Asia/Tokyo', weekStart: 0, format: 'csv',
    dirs: { claude: ['~/a', '/b'], codex: ['none'] }, db: 'x.sqlite', noCache: false, prices: 'p.json', rates: {}, verbose: true,
  });
  assert.equal(report(['report', '--no-cache']).noCache, true);
  // --dir SOURCE=DIR[,DIR] (repeatable) names any source's folders; --source takes a comma list
  const d = report(['report', '--dir', 'codex=~/c1', '--dir', 'claude=/x,/y', '--dir', 'codex=/c2', '--source', 'codex,claude']);
  assert.deepEqual(d.dirs, { claude: ['/x', '/y'], codex: ['~/c1', '/c2'] });
  assert.deepEqual(d.sources, ['claude', 'codex']);
  assert.equal(d.source, 'claude,codex');
  assert.deepEqual(report(['report', '--rate', 'cny=0.14', '--rate', 'HKD = 0.128']).rates, { CNY: 0.14, HKD: 0.128 });
});

test('help and version', () => {
  assert.equal(parseCli([]).kind, 'help');
  assert.equal(parseCli(['--help']).kind, 'help');
  assert.equal(parseCli(['report', '-h']).kind, 'help');
  assert.equal(parseCli(['--version']).kind, 'version');
});

test('bad arguments are UsageErrors with one-line messages', () => {
  const bad: [string[], RegExp][] = [
    [['report', '--by', 'year'], /--by must be one of day\|week/],
    [['report', '--since', '2026-02-30'], /--since must be a date YYYY-MM-DD/],
    [['report', '--since', '0001-01-01'], /^--since must be a date YYYY-MM-DD from 1970-01-01 to 9999-12-31 \(got "0001-01-01"\)$/],
    [['report', '--until', '1969-12-31'], /^--until must be a date YYYY-MM-DD from 1970-01-01 to 9999-12-31/],
    [['report', '--until', '10000-01-01'], /^--until must be a date YYYY-MM-DD from 1970-01-01 to 9999-12-31/],
    [['report', '--until', 'yesterday'], /--until must be a date/],
    [['report', '--since', '2026-02-02', '--until', '2026-02-01'], /is after/],
    [['report', '--timezone', 'Nowhere/City'], /unknown time zone "Nowhere\/City"/],
    [['report', '--week-start', 'x'], /--week-start/],
    [['report', '--claude-dir', ' , '], /must not be empty/],
    [['report', '--dir', 'nosuch=/x'], /^--dir must be SOURCE=DIR\[,DIR\] with SOURCE one of claude\|codex/],
    [['report', '--dir', '/x'], /^--dir must be SOURCE=DIR/],
    [['report', '--rate', 'CNY'], /^--rate must be CUR=USD/],
    [['report', '--rate', 'CNY=0'], /^--rate must be CUR=USD/],
    [['report', '--source', 'claude,nosuch'], /^--source must be all or a comma list of claude\|codex/],
    [['report', '--db', ' '], /--db needs a file path/],
    [['report', '--db', 'x.sqlite', '--no-cache'], /^--db and --no-cache cannot be used together$/],
    [['report', '--frobnicate'], /Unknown option '--frobnicate'$/],
    [['report', '--by'], /--by/],
    [['stats'], /unknown command "stats"/],
    [['report', 'extra'], /unexpected argument "extra"/],
  ];
  for (const [argv, re] of bad) {
    assert.throws(() => parseCli(argv), (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n'), argv.join(' '));
  }
});

test('dates at the edges of the accepted range are accepted', () => {
  const a = report(['report', '--since', '1970-01-01', '--until', '9999-12-31']);
  assert.equal(a.since, '1970-01-01');
  assert.equal(a.until, '9999-12-31');
  assert.equal(report(['report', '--since', '2028-02-29']).since, '2028-02-29');
});

test('reported sources: --source minus a source whose directory is "none"', () => {
  // Claude and Codex alone, as the sources of the tests below (the registry's other sources follow them)
  const src = (argv: string[]) => reportedSources(report(['report', '--source', 'claude,codex', ...argv]));
  assert.deepEqual(reportedSources(report(['report'])), [...SOURCE_IDS]);
  assert.deepEqual(src([]), ['claude', 'codex']);
  assert.deepEqual(src(['--claude-dir', 'none']), ['codex']);
  assert.deepEqual(src(['--codex-dir', 'NONE', '--claude-dir', '/c']), ['claude']);
  assert.deepEqual(src(['--claude-dir', 'none', '--codex-dir', 'none']), []);
  assert.deepEqual(reportedSources(report(['report', '--source', 'claude', '--claude-dir', 'none'])), []);
  assert.deepEqual(reportedSources(report(['report', '--source', 'codex'])), ['codex']);
  assert.deepEqual(src(['--claude-dir', '/c,none']), ['claude', 'codex'], 'a list that names a directory is not "none"');
  assert.deepEqual(reportedSources(report(['report', '--source', 'gemini,cline', '--dir', 'cline=none'])), ['gemini']);
});

test('report documents: --out, --template, --period, --pdf-font (present only when given)', () => {
  const a = report(['report', '--format', 'xlsx', '--out', 'r.xlsx', '--template', 'by-model', '--period', 'last-month', '--timezone', 'UTC']);
  assert.equal(a.format, 'xlsx');
  assert.equal(a.out, 'r.xlsx');
  assert.equal(a.template, 'model');
  assert.equal(a.period, 'lastMonth');
  assert.match(a.since!, /^\d{4}-\d{2}-01$/);
  assert.ok(a.until! > a.since!);
  assert.equal(report(['report', '--format', 'json', '--period', 'all']).since, undefined);
  const md = report(['report', '--format', 'md']);
  assert.ok(!('out' in md) && !('template' in md) && !('period' in md) && !('pdfFont' in md));
  assert.equal(report(['report', '--format', 'pdf', '-o', 'x.pdf', '--pdf-font', 'f.ttf']).pdfFont, 'f.ttf');
  for (const bad of [['--format', 'pdf'], ['--out', 'x'], ['--format', 'csv', '--template', 'summary'], ['--format', 'md', '--out', ' ']]) {
    assert.throws(() => parseCli(['report', ...bad]), UsageError, bad.join(' '));
  }
});
