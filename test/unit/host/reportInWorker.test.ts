/**
 * Reports in the editor, without VS Code: the index worker (bundled as shipped, with dist/report-render.js beside
 * it) builds, renders and writes the report; the scheduled reports write each ended period once, survive a
 * restart through their state, and keep the state when a write fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { totalTokens } from '../../../src/core/types';
import type { ReportQuery } from '../../../src/app/reports/createReportFile';
import { parseReportSettings } from '../../../src/app/reports/reportSettings';
import { ScheduledReports, SCHEDULE_STATE_KEY } from '../../../src/host/scheduledReports';
import { setup, until } from './serviceHarness';
import { setFakeLanguage } from './fakeVscode';

const out = mkdtempSync(join(tmpdir(), 'am-report-worker-'));

test('the worker writes an .xlsx whose sums are the index totals; schedules write each period once', async () => {
  const h = setup();
  const { svc } = await h.make('w1');
  await svc.start();
  await svc.whenReady();
  assert.ok(await until(async () => (await svc.index.loadFacts()).length > 0, 10_000));
  const facts = await svc.index.loadFacts();
  const settings = svc.getSettings();
  const q: ReportQuery = {
    template: 'summary', period: { preset: 'all' }, scope: { sources: [] }, format: 'xlsx', path: join(out, 'r.xlsx'),
    timeZone: 'UTC', weekStart: 1, priceOverrides: settings.priceOverrides,
  };
  const written = await svc.index.writeReport(q);
  assert.equal(written.path, q.path);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(q.path);
  const ws = wb.getWorksheet('By day')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  const col = header.indexOf('Total tokens') + 1;
  let sum = 0;
  ws.eachRow((row, n) => {
    if (n > 1 && row.getCell(1).value !== 'Total') sum += row.getCell(col).value as number;
  });
  assert.equal(sum, facts.reduce((s, f) => s + totalTokens(f), 0));
  assert.equal(written.totalTokens, sum);

  // the editor's display language goes with the request: a Chinese report from a zh-cn window, the same numbers
  const { writeReportInWorker } = require('../../../src/host/reportFiles') as typeof import('../../../src/host/reportFiles');
  setFakeLanguage('zh-cn');
  try {
    const zhPath = join(out, 'zh.md');
    const zh = await writeReportInWorker(svc, { template: 'summary', period: { preset: 'all' }, scope: { sources: [] }, format: 'md', path: zhPath }, parseReportSettings(() => undefined).settings);
    assert.equal(zh.periodLabel, '全部时间');
    assert.equal(zh.totalTokens, sum);
    const md = readFileSync(zhPath, 'utf8');
    assert.match(md, /^# AgentMeter 报告 — 汇总\n\n\*\*期间：\*\* 全部时间 · \*\*时区：\*\* /);
    assert.match(md, /\n## 按日\n/);
    assert.match(md, /\n## 数据来源\n/);
  } finally {
    setFakeLanguage('en');
  }

  // a folder that cannot be written: the worker's error is one line
  writeFileSync(join(out, 'file'), 'x');
  await assert.rejects(svc.index.writeReport({ ...q, path: join(out, 'file', 'r.xlsx') }), /is not a folder/);
  // the Team scope without a connected team database: one line, nothing written (test/team/editorReport.test.ts: connected)
  const teamPath = join(out, 'team.xlsx');
  await assert.rejects(
    writeReportInWorker(svc, { template: 'summary', period: { preset: 'all' }, scope: { sources: [] }, format: 'xlsx', team: 'team', path: teamPath }, parseReportSettings(() => undefined).settings),
    /^Error: no team database is connected/,
  );
  assert.equal(existsSync(teamPath), false);

  // scheduled daily reports: first run writes yesterday; a restart (a new scheduler on the same state) writes nothing
  const memento = new Map<string, unknown>();
  const state = { get: <T>(k: string) => memento.get(k) as T, update: async (k: string, v: unknown) => void memento.set(k, v) };
  const folder = join(out, 'scheduled');
  const raw: Record<string, unknown> = { 'reports.daily': true, 'reports.format': 'md' };
  let failWith: Error | undefined;
  const announced: string[] = [];
  const failures: string[] = [];
  let now = Date.parse('2026-03-10T09:00:00Z');
  const make = (writer = true) =>
    new ScheduledReports({
      state, isWriter: () => writer, readSettings: () => parseReportSettings((k) => raw[k]).settings, zone: () => ({ timeZone: 'UTC', weekStart: 1 }),
      folder: () => folder,
      write: (req) => (failWith ? Promise.reject(failWith) : svc.index.writeReport({ ...q, ...req, timeZone: 'UTC', weekStart: 1 })),
      announce: (w) => announced.push(w.path), fail: (m) => failures.push(m), log: { info() {}, warn() {} },
      now: () => now, setTimer: () => ({ dispose() {} }),
    });
  const s1 = make();
  await s1.check();
  assert.deepEqual(readdirSync(folder), ['agentmeter-daily-2026-03-09.md']);
  assert.deepEqual(memento.get(SCHEDULE_STATE_KEY), { daily: '2026-03-09' });
  s1.dispose();
  const s2 = make();
  await s2.check();
  assert.equal(readdirSync(folder).length, 1);
  // closed for three days: the missed days are caught up, one file each
  now = Date.parse('2026-03-13T08:00:00Z');
  await s2.check();
  assert.deepEqual(readdirSync(folder).sort(), ['agentmeter-daily-2026-03-09.md', 'agentmeter-daily-2026-03-10.md', 'agentmeter-daily-2026-03-11.md', 'agentmeter-daily-2026-03-12.md']);
  assert.equal(announced.length, 2);
  // a failed write: shown once, the state kept, written at the next check
  now = Date.parse('2026-03-14T08:00:00Z');
  failWith = new Error('cannot write x: the disk is full');
  await s2.check();
  await s2.check();
  assert.equal(failures.length, 1);
  assert.match(failures[0], /daily report \(2026-03-13\) failed: cannot write x: the disk is full/);
  assert.deepEqual(memento.get(SCHEDULE_STATE_KEY), { daily: '2026-03-12' });
  failWith = undefined;
  await s2.check();
  assert.ok(existsSync(join(folder, 'agentmeter-daily-2026-03-13.md')));
  s2.dispose();
  // a reader window writes nothing
  now = Date.parse('2026-03-20T08:00:00Z');
  const reader = make(false);
  await reader.check();
  assert.equal(readdirSync(folder).length, 5);
  reader.dispose();
  // agentMeter.reports.scope = team: the request asks for the team database; none connected → shown once, nothing written
  raw['reports.scope'] = 'team';
  const teamRequests: unknown[] = [];
  const teamScheduler = new ScheduledReports({
    state, isWriter: () => true, readSettings: () => parseReportSettings((k) => raw[k]).settings, zone: () => ({ timeZone: 'UTC', weekStart: 1 }),
    folder: () => folder,
    write: (req, s) => {
      teamRequests.push({ team: req.team, file: req.path.slice(folder.length + 1) });
      return writeReportInWorker(svc, req, s, undefined);
    },
    announce: (w) => announced.push(w.path), fail: (m) => failures.push(m), log: { info() {}, warn() {} },
    now: () => now, setTimer: () => ({ dispose() {} }),
  });
  await teamScheduler.check();
  assert.deepEqual(teamRequests[0], { team: 'team', file: 'agentmeter-team-daily-2026-03-14.md' });
  assert.match(failures.at(-1)!, /daily report \(2026-03-14\) failed: no team database is connected/);
  assert.equal(readdirSync(folder).length, 5);
  teamScheduler.dispose();
  await svc.shutdown();
});
