// Rebuild Index re-reads every log into a fresh index: afterwards the numbers equal the core's again
// (nothing lost, nothing counted twice).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, assertSumsEqual, cliReport, parseCsv, sumRows, testEnv } from './helpers';

describe('rebuild index', () => {
  before(async function () {
    this.timeout(60_000);
    const { api } = await activateExtension();
    await api?.whenReady?.();
  });

  it('rebuildIndex (confirmation skipped) ends with the same totals as the CLI', async function () {
    this.timeout(60_000);
    const done = await vscode.commands.executeCommand('agentMeter.rebuildIndex', { skipConfirmation: true });
    assert.equal(done, true, 'the command reports a finished rebuild');
    const path = join(testEnv('AGENTMETER_TEST_FIXTURE_ROOT'), 'after-rebuild.csv');
    await vscode.commands.executeCommand('agentMeter.exportCsv', { grain: 'session', range: 'all', path });
    const rows = parseCsv(readFileSync(path, 'utf8'));
    const expected = await cliReport(['--by', 'session']);
    assert.equal(rows.length, expected.rows.length, 'one row per session');
    assertSumsEqual(sumRows(rows), sumRows(expected.rows), 'sessions after the rebuild');
  });
});
