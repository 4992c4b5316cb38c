import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { appendHistory, historyDocument, readHistory, type AlertHistoryEntry } from './history';

/** The history's file in the extension's global storage (beside the index). */
export const ALERT_HISTORY_FILE = 'alert-history.json';

/**
 * The alert history on disk: one JSON document, written whole to a temp file, fsynced and renamed over the old one
 * (a crash leaves the old or the new history, never a torn one). Appends run one after another. A file that is not
 * a history reads as empty (one warning) and is replaced by the next append; a missing one is empty.
 */
export class AlertHistoryFile {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void = () => {},
    private readonly cap?: number,
  ) {}

  async read(): Promise<AlertHistoryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    try {
      return readHistory(JSON.parse(text), this.cap);
    } catch {
      this.warn(`alert history: ${this.path} is not valid JSON; starting a new history`);
      return [];
    }
  }

  /** Appends entries (oldest dropped past the cap); resolves with the history as written. */
  append(entries: readonly AlertHistoryEntry[]): Promise<AlertHistoryEntry[]> {
    const run = this.queue.then(async () => {
      const next = appendHistory(await this.read(), entries, this.cap);
      await writeAtomically(this.path, JSON.stringify(historyDocument(next)));
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
