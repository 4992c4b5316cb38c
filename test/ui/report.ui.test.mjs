// UI test on the packaged VSIX in a real VS Code (code-server in Chromium): F1 → AgentMeter: Create Report… through
// the period, scope, template and format quick picks and the save dialog writes an Excel workbook whose sums are the
// CLI's `report --format json` on the same fixture logs (read back with exceljs).
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { repoRoot } from '../integration/harness/codeServer.mjs';
import { DAY_WAIT_MAX_MS, startSession, todayKey, usd } from './session.mjs';
import { answerSaveDialog, pickQuickItem, quickItems, runCommand, waitForStatus } from './workbench.mjs';

let s;

describe('Create Report in a real VS Code', { timeout: 240_000 }, () => {
  before(async () => {
    s = await startSession();
  }, { timeout: 150_000 + DAY_WAIT_MAX_MS });

  afterEach(async (t) => {
    if (s?.page && t.passed === false) {
      const name = t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
      await s.page.screenshot({ path: join(repoRoot, 'out', `ui-failure-${name}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    await s?.close({ keep: process.env.KEEP_UI_SESSION === '1' });
  });

  it('F1 → Create Report… → Excel writes a workbook whose sums equal the CLI\'s', { timeout: 90_000 }, async () => {
    const today = s.cli(['--by', 'day']).rows.find((r) => r.key === todayKey());
    await waitForStatus(s.page, (t) => t.includes(usd(today.costUSD)), 60_000);

    await runCommand(s.page, 'AgentMeter: Create Report');
    const periods = await quickItems(s.page);
    assert.ok(periods.some((p) => /Custom range/.test(p)) && periods.some((p) => /Last month/.test(p)), `periods: ${periods.join(' | ')}`);
    await pickQuickItem(s.page, /All time/);
    await pickQuickItem(s.page, /All agents/);
    await pickQuickItem(s.page, /^Summary/);
    await pickQuickItem(s.page, /Excel/);
    const out = join(s.root, 'report.xlsx');
    await answerSaveDialog(s.page, out);
    const note = s.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Report written to/ });
    await note.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(existsSync(out), `the workbook was written to ${out}`);

    const expected = s.cli(['--by', 'day']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['Report', 'By day', 'By agent', 'By model']);
    for (const name of ['By day', 'By agent', 'By model']) {
      const ws = wb.getWorksheet(name);
      const header = ws.getRow(1).values.slice(1);
      const body = [];
      ws.eachRow((row, n) => {
        if (n > 1 && row.getCell(1).value !== 'Total') body.push(row.values.slice(1));
      });
      for (const [h, f] of [['Requests', 'requests'], ['Input', 'inputTokens'], ['Output', 'outputTokens'], ['Cache write', 'cacheCreationTokens'], ['Cache read', 'cacheReadTokens'], ['Total tokens', 'totalTokens']]) {
        assert.equal(body.reduce((a, r) => a + r[header.indexOf(h)], 0), expected.totals[f], `${name}: ${h}`);
      }
      const priced = header.includes('Priced part (USD)') ? 'Priced part (USD)' : 'Cost (USD)';
      const cost = body.reduce((a, r) => a + (r[header.indexOf(priced)] ?? 0), 0);
      assert.ok(Math.abs(cost - (expected.totals.costUSD ?? expected.totals.pricedCostUSD)) < 1e-6, `${name}: cost ${cost} vs ${expected.totals.costUSD}`);
    }
    const days = [];
    wb.getWorksheet('By day').eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value instanceof Date) days.push(row.getCell(1).value.toISOString().slice(0, 10));
    });
    assert.deepEqual(days, expected.rows.map((r) => r.key));
  });
});
