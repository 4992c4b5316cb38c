// Buffered file writer for the corpus generator: lines are collected as strings and written in
// multi-megabyte chunks with one writeSync each (generation speed matters at ~1 GB).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_AT = 4 * 1024 * 1024;

export class ChunkWriter {
  /** @param {string} path */
  constructor(path) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.pending = 0;
    /** bytes written so far (UTF-8), exact */
    this.bytes = 0;
  }
  /** Appends one JSONL line (newline added here). Returns its UTF-8 byte length. */
  line(s) {
    this.parts.push(s, '\n');
    this.pending += s.length + 1;
    if (this.pending >= FLUSH_AT) this.flush();
    const n = Buffer.byteLength(s) + 1;
    this.bytes += n;
    return n;
  }
  flush() {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}
