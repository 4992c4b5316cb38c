// What code-server itself costs a webview page: opens the built-in Markdown preview twice, then the dashboard, in the
// packaged extension's UI test session (npm run package first), and prints how long each page's `fake.html` — the
// empty document VS Code's webview host loads before it writes the page in — took to arrive. Every webview registers
// its own service worker on code-server's one webview origin (service-worker.js?…&id=<webview id>, see
// lib/vscode/out/vs/workbench/contrib/webview/browser/pre/index.html) and its page waits for that worker to take
// control: the first webview of a browser profile in a few ms, each later one ~1 s, whichever extension's it is.
// Run: node scripts/bench/codeServerWebviews.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSession } from '../../test/ui/session.mjs';
import { canvasPaint, findWebviewFrame, runCommand } from '../../test/ui/workbench.mjs';

const s = await startSession({});
try {
  const fake = [];
  s.page.on('requestfinished', (r) => {
    if (/\/pre\/fake\.html/.test(r.url())) fake.push(Math.round(r.timing().responseEnd));
  });
  await s.page.waitForTimeout(5_000);
  await s.page.keyboard.press('Control+P');
  await s.page.waitForTimeout(800);
  await s.page.keyboard.type('README.md');
  await s.page.waitForTimeout(800);
  await s.page.keyboard.press('Enter');
  await s.page.waitForTimeout(2_000);
  for (let i = 1; i <= 2; i++) {
    fake.length = 0;
    await s.page.keyboard.press('Control+Shift+V'); // Markdown: Open Preview
    await s.page.waitForTimeout(3_000);
    console.log(`Markdown preview, webview ${i} of this page: fake.html after ${fake.join(', ') || '?'} ms`);
    await runCommand(s.page, 'View: Close Editor');
    await s.page.waitForTimeout(1_500);
  }
  fake.length = 0;
  const t0 = Date.now();
  await runCommand(s.page, 'AgentMeter: Show Usage Dashboard');
  const frame = await findWebviewFrame(s.page, 'canvas', 60_000);
  while (Date.now() - t0 < 30_000) {
    const paint = (await canvasPaint(frame)).filter((c) => c.visible);
    if (paint.length >= 2 && paint.every((c) => c.painted > 0)) break;
    await s.page.waitForTimeout(50);
  }
  console.log(`AgentMeter's dashboard, webview 3: fake.html after ${fake.join(', ') || '?'} ms; charts painted ${Date.now() - t0} ms after the command`);
  const logOf = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const found = e.isDirectory() ? logOf(p) : /agentmeter/i.test(e.name) && e.name.endsWith('.log') ? p : undefined;
      if (found) return found;
    }
  };
  const log = logOf(s.userDataDir);
  if (log) console.log(readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('Dashboard opened')).join('\n'));
} finally {
  await s.close();
}
