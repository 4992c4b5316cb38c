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

/** `bytes` as `new SQL.Database(…)` takes them, kept by its file system in an array of `capacity` bytes. */
export function withRoom(bytes: Uint8Array, capacity = roomFor(bytes.length)): Uint8Array {
  if (bytes.length === 0 || capacity <= bytes.length) return bytes;
  return {
    length: bytes.length,
    byteLength: bytes.length,
    subarray: (from?: number, to?: number) => bytes.subarray(from, to),
    slice(from = 0, to = bytes.length): Uint8Array {
      if (from !== 0 || to < bytes.length) return bytes.slice(from, to);
      let room: Uint8Array;
      try {
        room = new Uint8Array(capacity);
      } catch {
        return bytes.slice(); // no address space for the room: the file as sql.js would have kept it
      }
      room.set(bytes);
      return room;
    },
  } as unknown as Uint8Array;
}

/** A database of `bytes` (or a new, empty one) whose file has room to grow in place. */
export function openWithRoom(SQL: SqlJsStatic, bytes?: Uint8Array): Database {
  if (bytes?.length) return new SQL.Database(withRoom(bytes));
  // an empty file is never handed over (MEMFS writes nothing of zero bytes): the first page of an empty database is
  const seed = new SQL.Database();
  let first: Uint8Array;
  try {
    first = seed.export();
  } finally {
    seed.close();
  }
  return first.length ? new SQL.Database(withRoom(first)) : new SQL.Database();
}
