// Drives the VS Code workbench (code-server in Chromium) as a user does: command palette, quick picks,
// the simple file dialog, status bar items, webview frames. Selectors are VS Code 1.100's DOM.

export const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** Opens the workbench and waits for the status bar (the window is usable then). */
export async function openWorkbench(page, url) {
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
}

/** F1, type the command's title, run the row with that title. */
export async function runCommand(page, title) {
  // The palette can close between opening and typing (focus taken by a webview settling or a notification, seen under
  // load in CI): then it is opened again, up to three times, rather than waiting for an input that is gone.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-workbench').first().click({ position: { x: 600, y: 300 } }).catch(() => {});
      await page.keyboard.press('F1');
      const input = page.locator(QUICK_INPUT_BOX);
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      const row = page.locator(QUICK_ROW).filter({ hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/** Picks the first quick-pick row whose text matches `pattern` (string or RegExp). Returns the row's text. */
export async function pickQuickItem(page, pattern, timeout = 15_000) {
  const row = page.locator(QUICK_ROW).filter({ hasText: pattern }).first();
  await row.waitFor({ state: 'visible', timeout });
  const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
  await row.click();
  return text;
}

/** Texts of the rows of the quick pick that is open now. */
export async function quickItems(page) {
  await page.locator(QUICK_ROW).first().waitFor({ state: 'visible', timeout: 15_000 });
  return (await page.locator(QUICK_ROW).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * code-server's "simple" save dialog is a quick input holding a path: replace it with `path`, press Enter,
 * and confirm an overwrite prompt if one appears.
 */
export async function answerSaveDialog(page, path) {
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog fills in the default path asynchronously and completes what is typed; wait until it shows a
  // path, replace it, and accept only once the box holds exactly ours.
  for (let i = 0; i < 50 && !(await input.inputValue()).startsWith('/'); i++) await page.waitForTimeout(100);
  for (let attempt = 0; attempt < 5; attempt++) {
    await input.fill(path);
    await page.waitForTimeout(300);
    if ((await input.inputValue()) === path) break;
  }
  const typed = await input.inputValue();
  if (typed !== path) throw new Error(`the save dialog holds "${typed}" instead of "${path}"`);
  await input.press('Enter');
  // An "already exists, replace?" prompt or a validation message keeps the widget open.
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(async () => {
    const msg = await page.locator(`${QUICK_INPUT} .quick-input-message`).innerText().catch(() => '');
    throw new Error(`the save dialog stayed open after Enter (message: "${msg}", value: "${await input.inputValue()}")`);
  });
}

/** The status bar item contributed with id `agentmeter.usage` (VS Code prefixes the extension id). */
export function statusItem(page) {
  return page.locator('.statusbar-item[id$="agentmeter.usage"]');
}

export async function statusText(page) {
  const item = statusItem(page);
  if ((await item.count()) === 0) return '';
  return (await item.first().innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until `probe(text)` holds for the status item's text; returns { text, ms }. */
export async function waitForStatus(page, probe, timeout) {
  const t0 = Date.now();
  let text = '';
  while (Date.now() - t0 < timeout) {
    text = await statusText(page);
    if (probe(text)) return { text, ms: Date.now() - t0 };
    await page.waitForTimeout(50);
  }
  throw new Error(`status bar never matched within ${timeout} ms; last text: "${text}"`);
}

/** The webview content frame that holds `selector` (webviews are nested iframes). */
export async function findWebviewFrame(page, selector, timeout = 30_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      try {
        if (await f.$(selector)) return f;
      } catch { /* frame navigating */ }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame with ${selector} within ${timeout} ms`);
}

/** For every canvas in the frame: its size and how many sampled pixels are not fully transparent. */
export async function canvasPaint(frame) {
  return frame.evaluate(() => Array.from(document.querySelectorAll('canvas')).map((c) => {
    const w = c.width;
    const h = c.height;
    let painted = 0;
    let sampled = 0;
    const ctx = w && h ? c.getContext('2d') : null;
    if (ctx) {
      const data = ctx.getImageData(0, 0, w, h).data;
      for (let i = 3; i < data.length; i += 4 * 13) { sampled++; if (data[i] !== 0) painted++; }
    }
    const r = c.getBoundingClientRect();
    return { id: c.id || c.getAttribute('aria-label') || '', w, h, visible: r.width > 0 && r.height > 0, painted, sampled };
  }));
}

/** The text of every table in the frame: [{ caption, headers, rows: string[][] }]. */
export async function tables(frame) {
  return frame.evaluate(() => Array.from(document.querySelectorAll('table')).map((t) => ({
    caption: (t.caption?.textContent ?? t.getAttribute('aria-label') ?? t.closest('section')?.querySelector('h2,h3')?.textContent ?? '').trim(),
    headers: Array.from(t.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim()),
    rows: Array.from(t.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td,th')).map((td) => (td.textContent ?? '').trim())),
  })));
}

/**
 * Records every change of the status item's text in the page itself (timestamps from the same clock as the
 * test), so a slow expectation computed afterwards does not count against the item's update latency.
 */
/**
 * Records every change of the status item's text with its time, from a MutationObserver on the status bar (timers
 * of a background tab are throttled; DOM mutations are observed as they happen).
 */
export async function recordStatusChanges(page) {
  await page.evaluate(() => {
    const w = window;
    w.__amObserver?.disconnect();
    const read = () => {
      const el = document.querySelector('.statusbar-item[id$="agentmeter.usage"]');
      return el ? el.innerText.replace(/\s+/g, ' ').trim() : '';
    };
    let last = read();
    w.__amChanges = [];
    w.__amObserver = new MutationObserver(() => {
      const t = read();
      if (t !== last) { last = t; w.__amChanges.push({ t: Date.now(), text: t }); }
    });
    w.__amObserver.observe(document.querySelector('.statusbar') ?? document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function statusChanges(page) {
  return page.evaluate(() => window.__amChanges ?? []);
}

/** True while the status item shows its spinning sync icon (`$(sync~spin)`: the first pass over the logs runs). */
export async function statusSpinning(page) {
  return (await statusItem(page).locator('.codicon-sync').count()) > 0;
}
