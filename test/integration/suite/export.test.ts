// The fixture HOME is ingested by the extension and its exports carry exactly the core's numbers:
// the CSV/JSON written by `agentMeter.exportCsv` / `agentMeter.exportJson` (non-interactive form with
// { grain, range, path }) sums to what `node dist/cli.js report --format json` reports for the same logs.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { appendClaudeCall, HOSTILE_PROJECT, readFixtureManifest } from '../fixtures/fixtureHome.mjs';
import { activateExtension, assertSumsEqual, cliReport, parseCsv, sumRows, testEnv, waitFor, type Sums } from './helpers';

let n = 0;
async function exportCsv(grain: string): Promise<Array<Record<string, string>>> {
  const path = join(testEnv('AGENTMETER_TEST_FIXTURE_ROOT'), `export-${grain}-${++n}.csv`);
  await vscode.commands.executeCommand('agentMeter.exportCsv', { grain, range: 'all', path });
  assert.ok(existsSync(path), `agentMeter.exportCsv did not write ${path}`);
  return parseCsv(readFileSync(path, 'utf8'));
}

describe('fixture HOME ingested; exports equal the core', () => {
  before(async function () {
    this.timeout(60_000);
    const { api } = await activateExtension();
    if (api?.whenReady) await api.whenReady();
  });

  it('the CLI sees the fixture logs (sanity of the fixture itself)', async () => {
    const r = await cliReport(['--by', 'day']);
    assert.equal(r.rows.length, 14, 'today plus 13 days of history');
    assert.ok(Number(r.totals.costUSD) > 0);
    assert.equal(r.skipped.malformedLines, 1);
  });

  it('exportCsv by day: same rows and sums as the CLI', async () => {
    const expected = await cliReport(['--by', 'day']);
    const rows = await waitFor('a daily CSV with the indexed rows', async () => {
      const rs = await exportCsv('day');
      return sumRows(rs).totalTokens === Number(expected.totals.totalTokens) ? rs : undefined;
    }, 30_000, 500);
    assert.deepEqual(rows.map((r) => r.key), expected.rows.map((r) => r.key));
    assertSumsEqual(sumRows(rows), sumRows(expected.rows), 'daily CSV');
  });

  it('exportCsv by model: one row per model and source, as the CLI', async () => {
    const expected = await cliReport(['--by', 'model']);
    const rows = await exportCsv('model');
    const key = (r: Record<string, unknown>) => `${r.source}|${r.model}`;
    assert.deepEqual(rows.map(key).sort(), expected.rows.map(key).sort());
    assertSumsEqual(sumRows(rows), sumRows(expected.rows), 'by-model CSV');
  });

  it('exportCsv by project keeps the hostile folder name as plain text', async () => {
    const rows = await exportCsv('project');
    const hostile = rows.filter((r) => r.key.includes(HOSTILE_PROJECT) || (r.projectDisplayPath ?? '').includes(HOSTILE_PROJECT));
    assert.equal(hostile.length, 1, `rows: ${rows.map((r) => r.key).join(' | ')}`);
    assertSumsEqual(sumRows(rows), sumRows((await cliReport(['--by', 'project'])).rows), 'by-project CSV');
  });

  it('exportCsv over a custom range (since/until days) equals the CLI\'s --since/--until', async () => {
    const days = (await cliReport(['--by', 'day'])).rows.map((r) => r.key).sort();
    const since = days[2];
    const until = days[days.length - 3];
    const path = join(testEnv('AGENTMETER_TEST_FIXTURE_ROOT'), `export-custom-${++n}.csv`);
    await vscode.commands.executeCommand('agentMeter.exportCsv', { grain: 'day', range: { since, until }, path });
    const rows = parseCsv(readFileSync(path, 'utf8'));
    const expected = await cliReport(['--by', 'day', '--since', since, '--until', until]);
    assert.ok(expected.rows.length >= 2 && expected.rows.length < days.length, `the range cuts the history: ${expected.rows.length} of ${days.length} days`);
    assert.deepEqual(rows.map((r) => r.key), expected.rows.map((r) => r.key));
    assertSumsEqual(sumRows(rows), sumRows(expected.rows), 'custom-range CSV');
  });

  it('exportJson writes the CLI JSON shape with the same totals', async () => {
    const path = join(testEnv('AGENTMETER_TEST_FIXTURE_ROOT'), 'export-day.json');
    await vscode.commands.executeCommand('agentMeter.exportJson', { grain: 'day', range: 'all', path });
    const json = JSON.parse(readFileSync(path, 'utf8')) as { rows: Array<Record<string, unknown>>; totals: Record<string, unknown> };
    const expected = await cliReport(['--by', 'day']);
    assertSumsEqual(sumRows(json.rows), sumRows(expected.rows), 'JSON export rows');
    assertSumsEqual(sumRows([json.totals]), sumRows([expected.totals]), 'JSON export totals');
  });

  it('an appended log line reaches the export without a manual refresh', async function () {
    this.timeout(30_000);
    const before = sumRows((await cliReport(['--by', 'day'])).rows);
    appendClaudeCall(readFixtureManifest(testEnv('AGENTMETER_TEST_FIXTURE_ROOT')).files.claude[0]);
    const t0 = Date.now();
    const after = sumRows((await cliReport(['--by', 'day'])).rows);
    assert.ok(after.totalTokens > before.totalTokens, 'the append adds tokens');
    let last: Sums | undefined;
    await waitFor('the appended call in the export', async () => {
      last = sumRows(await exportCsv('day'));
      return last.totalTokens === after.totalTokens ? true : undefined;
    }, 10_000, 200);
    assertSumsEqual(last!, after, 'daily CSV after the append');
    console.log(`      (append visible in the export after ${Date.now() - t0} ms)`);
  });
});
