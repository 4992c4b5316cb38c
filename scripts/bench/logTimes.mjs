// A generated corpus's log files are all written within minutes, so their mtimes say nothing, and a first index that
// reads the newest files first (the extension's) reads them in listing order. An agent's own writes leave each log's
// mtime at its last record: this gives every generated log that mtime, once per corpus (a marker file records it), so
// the first index meets the files in the order a real history gives it (today's files first).
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = '.log-times';
const TAIL = 64 * 1024;
const ISO = /"timestamp"\s*:\s*"(\d{4}-\d\d-\d\dT[^"]+)"/g;
const EPOCH_MS = /"ts"\s*:\s*(\d{13})\b/g;

/** The newest record time (ms) in a log's last 64 KB: ISO `timestamp` fields (Claude, Codex, Gemini, Qwen, Copilot) or epoch-ms `ts` (Cline's). */
export function lastRecordMs(text) {
  let max = NaN;
  for (const m of text.matchAll(ISO)) {
    const t = Date.parse(m[1]);
    if (Number.isFinite(t) && !(t <= max)) max = t;
  }
  for (const m of text.matchAll(EPOCH_MS)) {
    const t = Number(m[1]);
    if (!(t <= max)) max = t;
  }
  return max;
}

function* logFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* logFiles(p);
    else if (/\.jsonl?$/.test(e.name) && e.name !== 'manifest.json') yield p;
  }
}

/**
 * Sets the mtime of every .json / .jsonl log under `dirs` to its newest record's time, unless `corpusDir` has the
 * marker already. Returns how many files were set (0 when the marker was there).
 */
export function setLogTimes(corpusDir, dirs, log = () => {}) {
  const marker = join(corpusDir, MARKER);
  if (existsSync(marker)) return 0;
  const t0 = performance.now();
  let n = 0;
  const buf = Buffer.allocUnsafe(TAIL);
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of logFiles(dir)) {
      const size = statSync(f).size;
      const fd = openSync(f, 'r');
      let len = 0;
      try {
        len = readSync(fd, buf, 0, Math.min(size, TAIL), Math.max(0, size - TAIL));
      } finally {
        closeSync(fd);
      }
      const t = lastRecordMs(buf.toString('utf8', 0, len));
      if (!Number.isFinite(t)) continue;
      utimesSync(f, new Date(t), new Date(t));
      n++;
    }
  }
  writeFileSync(marker, `${new Date().toISOString()} ${n} files\n`);
  log(`gave ${n} generated logs the mtime of their newest record, as an agent's writes leave it (${((performance.now() - t0) / 1000).toFixed(1)} s; once per corpus)`);
  return n;
}
