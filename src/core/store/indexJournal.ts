import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Change } from './changeCapture';

/**
 * The index's journal, `<index>.journal`: what changed since the index file was last written whole, one record per
 * save (persist.ts). A record is one line, `<check> <json>\n`, where json is `{"g":<generation>,"c":[changes]}`
 * (changeCapture.ts) and check the first 16 hex digits of the SHA-256 of json. The generation names the index file
 * the records belong to (`meta.journalGen` in that file): records of another generation are not applied.
 *
 * Reading stops at the first line that is not whole (a save cut short), fails its check or belongs to another
 * generation; what was read up to there is kept. Nothing is lost by a journal that cannot be read: each record holds
 * the files' read offsets with the rows they produced, so without the record the logs are read again from the
 * offsets the index holds.
 */

export const journalPathOf = (indexFile: string): string => `${indexFile}.journal`;

/**
 * The journal size at which the next save writes the whole index instead (and starts an empty journal). Opening the
 * index replays its journal: ~2 MB (a day of heavy use at a year's index) took ~0.3 s of CPU; a whole save of that
 * index ~0.3 s, once per ~1,000-2,500 calls.
 */
export const JOURNAL_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The journal size from which the writer, idle for a while (host/indexSaver.ts `fold`), writes the whole index so
 * that the next window to open it replays at most ~0.1 s of journal; below it the journal stays (a whole save of a
 * year's index writes ~35 MB).
 */
export const JOURNAL_FOLD_BYTES = 512 * 1024;

export interface JournalRead {
  /** each whole record of generation `gen`, in order: its changes and the byte offset after it */
  records: { changes: Change[]; end: number }[];
  /** byte offset after the last record read (where the next append goes) */
  end: number;
  /** why reading stopped before the end of the bytes: 'torn' (an incomplete or damaged line), 'other' (another generation) */
  stopped?: 'torn' | 'other';
  /** the generation of the first record of another generation, when that stopped the read */
  otherGen?: number;
}

const NL = 0x0a;

function checkOf(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

/** One record's line. */
export function journalRecord(gen: number, changes: readonly Change[]): Buffer {
  const json = JSON.stringify({ g: gen, c: changes });
  return Buffer.from(`${checkOf(json)} ${json}\n`, 'utf8');
}

function isChange(c: unknown): c is Change {
  return Array.isArray(c) && c.length === 3 && typeof c[0] === 'string' && (c[1] === 0 || c[1] === 1) && typeof c[2] === 'string';
}

/** The records of generation `gen` in `bytes` from byte `from` (see `JournalRead`). */
export function readJournal(bytes: Uint8Array, gen: number, from = 0): JournalRead {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: JournalRead['records'] = [];
  let pos = from;
  while (pos < buf.length) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) return { records, end: pos, stopped: 'torn' };
    const line = buf.toString('utf8', pos, nl);
    const sp = line.indexOf(' ');
    const json = sp === 16 ? line.slice(17) : '';
    if (!json || checkOf(json) !== line.slice(0, 16)) return { records, end: pos, stopped: 'torn' };
    let rec: { g?: unknown; c?: unknown };
    try {
      rec = JSON.parse(json) as { g?: unknown; c?: unknown };
    } catch {
      return { records, end: pos, stopped: 'torn' };
    }
    if (typeof rec.g !== 'number' || !Array.isArray(rec.c) || !rec.c.every(isChange)) return { records, end: pos, stopped: 'torn' };
    if (rec.g !== gen) return { records, end: pos, stopped: 'other', otherGen: rec.g };
    pos = nl + 1;
    records.push({ changes: rec.c, end: pos });
  }
  return { records, end: pos };
}

/**
 * Appends one record at byte `at` of the journal (the end of what was read or written before: a torn tail after it
 * is cut off) and fsyncs it. Returns the journal's new size. `at` 0 creates the file; otherwise it must exist (a
 * journal gone since is an error: the caller writes the whole index instead).
 */
export function appendJournal(file: string, at: number, gen: number, changes: readonly Change[]): number {
  const data = journalRecord(gen, changes);
  const fd = openSync(file, at === 0 ? 'w' : 'r+');
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off, at + off);
    ftruncateSync(fd, at + data.length); // a torn tail of an earlier save goes
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return at + data.length;
}
