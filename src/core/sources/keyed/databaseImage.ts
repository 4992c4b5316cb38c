import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { walPages, type WalPages } from './sqliteWal';

/** Read at once where a read goes on from the last one (a table scan); a read elsewhere reads what it asks. */
const AHEAD = 64 * 1024;

/**
 * An agent's SQLite database as sql.js reads it, without holding its bytes: sql.js's in-memory file system keeps a
 * new file's bytes as the object handed to `new Database(…)` (`data.slice(0, length)` at its first write, then
 * `contents.subarray(from, to)` at every read of SQLite's), so this object answers those reads from the file on disk,
 * the bytes asked for (a page; SQLite keeps its own cache of pages), with the committed pages of its `-wal` copy over
 * them (sqliteWal.ts: the state `mergeWal` builds, one page at a time). A 156 MB opencode.db costs its -wal and
 * SQLite's page cache instead of its size. Only a read that goes on where the last one ended reads a block ahead
 * (reading blocks for every read made each index lookup read 64 pages for one: 30 GB for the year bench's database).
 *
 * Nothing is ever written: the file is opened read-only and SQLite only queries. The file may be written by its agent
 * while it is read (a checkpoint copies -wal pages into it): `unchanged()` says whether its identity, size and mtime
 * are still those seen before the -wal was read — a read that ends on a changed file is thrown away and done again at
 * its next change, as a database caught mid-write always was.
 */
export class DatabaseImage {
  readonly length: number;
  /** the file's size when opened (the -wal may make the database longer or shorter) */
  readonly fileSize: number;
  private readonly fd: number;
  private readonly stamp: string;
  private readonly wal: WalPages | undefined;
  private ahead: { at: number; bytes: Uint8Array } | undefined;
  private lastEnd = -1;
  private readonly written: { at: number; bytes: Uint8Array }[] = [];
  private scratch = new Uint8Array(4096);
  /** bytes read from the database file so far (tests: a query reads what it needs, not the file) */
  bytesRead = 0;

  private constructor(private readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      const st = fstatSync(this.fd);
      this.stamp = stampOf(st);
      this.fileSize = st.size;
      const head = new Uint8Array(100);
      readSync(this.fd, head, 0, 100, 0);
      this.wal = walPages(head, readWal(path));
      this.length = this.wal ? this.wal.dbPages * this.wal.pageSize : st.size;
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  /** The database at `path` with its -wal (throws when it cannot be opened). close() it. */
  static open(path: string): DatabaseImage {
    return new DatabaseImage(path);
  }

  /** sql.js's first write of the file's contents: this object stands for the whole of them. */
  slice(from = 0, to = this.length): Uint8Array | DatabaseImage {
    return from === 0 && to >= this.length ? this : this.subarray(from, to);
  }

  /**
   * The bytes [from, to) of the committed database. A view valid until the next call (sql.js copies it into SQLite's
   * buffer at once: `buffer.set(contents.subarray(…))`), so a page read costs no new array.
   */
  subarray(from: number, to: number): Uint8Array {
    const end = Math.min(to, this.length);
    const len = Math.max(0, end - from);
    let out: Uint8Array;
    const a = this.ahead;
    if (a && from >= a.at && end <= a.at + a.bytes.length) out = a.bytes.subarray(from - a.at, end - a.at);
    else if (from === this.lastEnd && len < AHEAD) {
      // read on where the last read ended (a table scan): a block at once
      const bytes = new Uint8Array(AHEAD);
      const n = this.read(bytes, from);
      this.ahead = { at: from, bytes: bytes.subarray(0, n) };
      out = n >= len ? bytes.subarray(0, len) : this.zeroPadded(bytes.subarray(0, n), len);
    } else {
      if (this.scratch.length < len) this.scratch = new Uint8Array(len);
      out = this.scratch.subarray(0, len);
      out.fill(0, this.read(out, from)); // past the file's end: zeros (pages only the -wal holds are laid over below)
    }
    this.lastEnd = end;
    if (this.wal || this.written.length) out = Uint8Array.from(out); // laid over below: a copy, never the blocks read
    if (this.wal) {
      const { pageSize, pages } = this.wal;
      for (let pg = Math.floor(from / pageSize) + 1; (pg - 1) * pageSize < end; pg++) {
        const page = pages.get(pg);
        if (!page) continue;
        const p0 = (pg - 1) * pageSize;
        const a = Math.max(from, p0);
        const b = Math.min(end, p0 + pageSize);
        out.set(page.subarray(a - p0, b - p0), a - from);
      }
      // read alone, as a rollback-journal file, so nothing looks for a -wal beside it (as mergeWal marks its copy)
      if (from <= 18 && end > 18) out[18 - from] = 1;
      if (from <= 19 && end > 19) out[19 - from] = 1;
    }
    for (const w of this.written) {
      const a0 = Math.max(from, w.at);
      const b0 = Math.min(end, w.at + w.bytes.length);
      if (a0 < b0) out.set(w.bytes.subarray(a0 - w.at, b0 - w.at), a0 - from);
    }
    return out;
  }

  private zeroPadded(b: Uint8Array, len: number): Uint8Array {
    const out = new Uint8Array(len);
    out.set(b);
    return out;
  }

  private read(into: Uint8Array, from: number): number {
    let at = 0;
    while (at < into.length) {
      const n = readSync(this.fd, into, at, into.length - at, from + at);
      if (n <= 0) break;
      at += n;
    }
    this.bytesRead += at;
    return at;
  }

  /**
   * sql.js's write into the file's contents (`contents.set(bytes, at)`), should SQLite ever write the main file of a
   * database it only queries: kept in memory over what is read, never written to the file.
   */
  set(bytes: ArrayLike<number>, at = 0): void {
    this.written.push({ at, bytes: Uint8Array.from(bytes) });
  }

  /** Whether the file is still the one opened, as it was (same identity, size and mtime). */
  unchanged(): boolean {
    try {
      return stampOf(statSync(this.path)) === this.stamp;
    } catch {
      return false;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function stampOf(st: { dev: number; ino: number; size: number; mtimeMs: number }): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** A copy of the database's `-wal` file (its transactions not yet checkpointed), if it has one. */
function readWal(path: string): Uint8Array | undefined {
  try {
    return readFileSync(`${path}-wal`);
  } catch {
    return undefined;
  }
}
