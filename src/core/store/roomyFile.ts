import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { Database, SqlJsStatic } from 'sql.js';

/**
 * Room for the index to grow in place. sql.js keeps a database file as one Uint8Array of its in-memory file system
 * and grows it by copying: to max(needed, 1.125 × its length) above 1 MB (sql-wasm.js, MEMFS `write`). An index
 * written from nothing to 44 MB was copied ~30 times (~400 MB of copies and as many dropped arrays for the garbage
 * collector), each copy holding the old array and the new one at once — the peaks of a first index's RSS. A file
 * opened here starts in an array with room to spare: MEMFS keeps, as the file's contents, what `slice(0, length)` of
 * the bytes handed to `new Database(…)` returns (its first write of a new file; the same hook as
 * sources/keyed/databaseImage.ts), and grows it only once the file outgrows it. The spare room costs address space,
 * not memory: an array this large is mapped zeroed by the system, and a page becomes resident only when SQLite
 * writes it. Reads and writes see the file's length, never the room (MEMFS tracks the length apart).
 */
const MIN_ROOM = 64 * 1024 * 1024;
/** No room past 2 GiB (a typed array holds at most 4 GiB here; MEMFS grows past it by copying, as before). */
const MAX_CAPACITY = 2 * 1024 * 1024 * 1024;

/** The array's size for a file of `bytes`: its double, at least 64 MiB more, at most 2 GiB (never less than the file). */
export function roomFor(bytes: number): number {
  return Math.max(bytes, Math.min(MAX_CAPACITY, bytes + Math.max(MIN_ROOM, bytes)));
}

/** The arrays made here with room (their memory past a file's bytes is free): `withRoom` hands them over as they are. */
const ROOMY = new WeakSet<ArrayBufferLike>();

/** A zeroed array of `capacity` bytes (mapped lazily), or undefined when the process cannot have one. */
function roomArray(capacity: number): Uint8Array | undefined {
  try {
    const room = new Uint8Array(capacity);
    ROOMY.add(room.buffer);
    return room;
  } catch {
    return undefined; // no address space for the room
  }
}

/**
 * A buffer for a file of `size` bytes with room behind it: read the file into it and open it with `withRoom`, which
 * then hands sql.js this memory itself — no copy (sql.js's file system kept a Buffer's bytes as a view before too).
 */
export function bufferWithRoom(size: number): Buffer {
  const room = roomArray(roomFor(size));
  return room ? Buffer.from(room.buffer, 0, size) : Buffer.allocUnsafeSlow(size);
}

/** A file's bytes as readFileSync gives them, in a buffer with room (`bufferWithRoom`). */
export function readFileWithRoom(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = bufferWithRoom(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    // shorter or longer than its size said (written meanwhile): read as readFileSync reads it
    if (off !== size || readSync(fd, Buffer.alloc(1), 0, 1, size) !== 0) return readFileSync(path);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** `readFileWithRoom` without blocking the thread. */
export async function readFileWithRoomAsync(path: string): Promise<Buffer> {
  const f = await open(path, 'r');
  try {
    const size = (await f.stat()).size;
    const bytes = bufferWithRoom(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await f.read(bytes, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    if (off !== size || (await f.read(Buffer.alloc(1), 0, 1, size)).bytesRead !== 0) return await readFile(path);
    return bytes;
  } finally {
    await f.close();
  }
}

/** `bytes` as `new SQL.Database(…)` takes them, kept by its file system in an array of `capacity` bytes. */
export function withRoom(bytes: Uint8Array, capacity = roomFor(bytes.length)): Uint8Array {
  if (bytes.length === 0) return bytes;
  // read into a buffer with room: that memory itself, its room behind the bytes
  const own = ROOMY.has(bytes.buffer) && bytes.byteOffset === 0 && bytes.buffer.byteLength > bytes.length;
  if (!own && capacity <= bytes.length) return bytes;
  return {
    length: bytes.length,
    byteLength: bytes.length,
    subarray: (from?: number, to?: number) => bytes.subarray(from, to),
    slice(from = 0, to = bytes.length): Uint8Array {
      if (from !== 0 || to < bytes.length) return bytes.slice(from, to);
      if (own) return new Uint8Array(bytes.buffer, 0, bytes.buffer.byteLength);
      const room = roomArray(capacity);
      if (!room) return bytes.slice(); // no room to be had: the file as sql.js would have kept it
      room.set(bytes);
      return room;
    },
  } as unknown as Uint8Array;
}

/**
 * A database of `bytes` (or a new, empty one) whose file has room to grow in place. `setUpEmpty` runs on a new
 * database before its first page is written (settings such as auto_vacuum that only an empty database takes).
 */
export function openWithRoom(SQL: SqlJsStatic, bytes?: Uint8Array, setUpEmpty?: (db: Database) => void): Database {
  if (bytes?.length) return new SQL.Database(withRoom(bytes));
  // an empty file is never handed over (MEMFS writes nothing of zero bytes): the first page of an empty database is
  const seed = new SQL.Database();
  let first: Uint8Array;
  try {
    setUpEmpty?.(seed);
    first = seed.export();
  } finally {
    seed.close();
  }
  return first.length ? new SQL.Database(withRoom(first)) : new SQL.Database();
}
