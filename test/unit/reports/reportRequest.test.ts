import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReportRequest, defaultReportName } from '../../../src/app/reports/reportRequest';
import { parseReportSettings } from '../../../src/app/reports/reportSettings';

test('the command argument form', () => {
  assert.equal(parseReportRequest(undefined), undefined);
  assert.deepEqual(parseReportRequest({ format: 'xlsx', path: '/tmp/r.xlsx' }), {
    template: 'summary', period: { preset: 'thisMonth' }, scope: { sources: [] }, format: 'xlsx', path: '/tmp/r.xlsx',
  });
  assert.deepEqual(parseReportRequest({ format: 'md', template: 'by-model', period: { since: '2026-03-01', until: '2026-03-31' }, sources: ['codex'], project: '/p' }), {
    template: 'model', period: { preset: 'custom', since: '2026-03-01', until: '2026-03-31' }, scope: { sources: ['codex'], project: '/p' }, format: 'md',
  });
  assert.deepEqual(parseReportRequest({ format: 'pdf', period: 'last-week' })!.period, { preset: 'lastWeek' });
  for (const bad of [{ format: 'docx' }, { format: 'md', template: 'x' }, { format: 'md', period: 'soon' }, { format: 'md', period: { since: '2026-03-02', until: '2026-03-01' } }, { format: 'md', sources: ['nope'] }]) {
    assert.throws(() => parseReportRequest(bad), /./, JSON.stringify(bad));
  }
  assert.equal(defaultReportName('summary', 'pdf', undefined, '2026-03-10'), 'agentmeter-summary-2026-03-10.pdf');
});

test('the argument form with the team database: team or me-all; anything else refused; the default file name says the scope', () => {
  assert.deepEqual(parseReportRequest({ format: 'xlsx', team: 'team', path: '/tmp/t.xlsx' }), {
    template: 'summary', period: { preset: 'thisMonth' }, scope: { sources: [] }, format: 'xlsx', team: 'team', path: '/tmp/t.xlsx',
  });
  assert.equal(parseReportRequest({ format: 'md', team: 'me-all' })!.team, 'me-all');
  assert.equal(parseReportRequest({ format: 'md' })!.team, undefined);
  assert.throws(() => parseReportRequest({ format: 'md', team: 'everyone' }), /team must be "team" or "me-all"/);
  assert.equal(defaultReportName('summary', 'xlsx', '2026-03-01', '2026-03-10', 'team'), 'agentmeter-team-summary-2026-03-01.xlsx');
  assert.equal(defaultReportName('model', 'pdf', undefined, '2026-03-10', 'me-all'), 'agentmeter-all-machines-model-2026-03-10.pdf');
});

test('report settings: off by default; bad values warned and replaced', () => {
  const d = parseReportSettings(() => undefined);
  assert.deepEqual(d, { warnings: [], settings: { schedule: [], template: 'summary', format: 'html', folder: '', pdfFontFile: '', scope: 'local' } });
  const raw: Record<string, unknown> = { 'reports.daily': true, 'reports.monthly': true, 'reports.template': 'sessions', 'reports.format': 'xlsx', 'reports.folder': ' /r ', 'reports.scope': 'team' };
  assert.deepEqual(parseReportSettings((k) => raw[k]).settings, { schedule: ['daily', 'monthly'], template: 'sessions', format: 'xlsx', folder: '/r', pdfFontFile: '', scope: 'team' });
  const bad = parseReportSettings((k) => ({ 'reports.template': 'yearly', 'reports.format': 'docx', 'reports.scope': 'everyone' })[k]);
  assert.equal(bad.settings.template, 'summary');
  assert.equal(bad.settings.format, 'html');
  assert.equal(bad.settings.scope, 'local');
  assert.equal(bad.warnings.length, 3);
  assert.match(bad.warnings[2], /agentMeter\.reports\.scope "everyone" is not local, me-all or team; using local/);
});
