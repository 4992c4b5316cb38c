import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { walPages, type WalPages } from './sqliteWal';

/** Bytes read from the file at once (SQLite asks page by page; a table scan reads on). */
const BLOCK = 256 * 1024;
/** Blocks kept (the most recently read): 2 MB. */
const BLOCKS = 8;

/**
 * An agent's SQLite database as sql.js reads it, without holding its bytes: sql.js's in-memory file system keeps a
 * new file's bytes as the object handed to `new Database(…)` (`data.slice(0, length)` at its first write, then
 * `contents.subarray(from, to)` at every read of SQLite's), so this object answers those reads from the file on disk,
 * a block at a time (a few blocks kept), with the committed pages of its `-wal` copy over them (sqliteWal.ts: the
 * state `mergeWal` builds, one page at a time). A 156 MB opencode.db costs a few MB instead of its size.
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
  private readonly blocks = new Map<number, Uint8Array>();
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

  /** The bytes [from, to) of the committed database (a new array: SQLite copies them into its page cache). */
  subarray(from: number, to: number): Uint8Array {
    const end = Math.min(to, this.length);
    const out = new Uint8Array(Math.max(0, end - from));
    for (let at = from; at < end; ) {
      const start = at - (at % BLOCK);
      const block = this.block(start);
      const n = Math.min(end, start + block.length) - at;
      if (n <= 0) break; // past the file's end: zeros (pages only the -wal holds are laid over below)
      out.set(block.subarray(at - start, at - start + n), at - from);
      at += n;
    }
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
    return out;
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
    this.blocks.clear();
    closeSync(this.fd);
  }

  private block(start: number): Uint8Array {
    const hit = this.blocks.get(start);
    if (hit) {
      this.blocks.delete(start);
      this.blocks.set(start, hit);
      return hit;
    }
    const buf = new Uint8Array(BLOCK);
    const n = readSync(this.fd, buf, 0, BLOCK, start);
    this.bytesRead += n;
    const block = buf.subarray(0, n);
    if (this.blocks.size >= BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
    this.blocks.set(start, block);
    return block;
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
