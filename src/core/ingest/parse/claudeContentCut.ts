/**
 * Locates the value of the top-level `message.content` array in a Claude transcript line, so the parser can
 * JSON.parse the line without it (the content — text, thinking, tool inputs — is most of an assistant line's
 * bytes and is never needed for usage). Strings are skipped with a native `indexOf('"')`, so the scan costs far
 * less than parsing. Returns [start, end) of the array (`[` … `]`), or undefined when the layout is not the
 * expected one; the caller then parses the whole line, so a miss costs time, never correctness.
 */
const MESSAGE = Buffer.from('"message"');
const CONTENT = Buffer.from('"content"');
const MAX_DEPTH = 64;

export function findMessageContent(buf: Buffer, s: number, e: number): [number, number] | undefined {
  let depth = 0;
  let inMessage = false; // inside the object that is the value of the top-level key "message"
  let key1IsMessage = false; // the last key seen at depth 1 is "message"
  let key2IsContent = false; // the last key seen at depth 2 (inside message) is "content"
  let contentStart = -1;
  for (let i = s; i < e; i++) {
    const b = buf[i];
    if (b === 0x22) {
      const j = stringEnd(buf, i, e);
      if (j < 0) return undefined;
      // a key when the next significant byte is ':'
      let k = j + 1;
      while (k < e && (buf[k] === 0x20 || buf[k] === 0x09)) k++;
      if (buf[k] === 0x3a) {
        if (depth === 1) key1IsMessage = equals(buf, i, j + 1, MESSAGE);
        else if (depth === 2 && inMessage) key2IsContent = equals(buf, i, j + 1, CONTENT);
      }
      i = j;
    } else if (b === 0x7b || b === 0x5b) {
      depth++;
      if (depth > MAX_DEPTH) return undefined;
      if (depth === 2 && b === 0x7b && key1IsMessage) inMessage = true;
      else if (depth === 3 && b === 0x5b && inMessage && key2IsContent && contentStart < 0) contentStart = i;
    } else if (b === 0x7d || b === 0x5d) {
      if (depth === 3 && b === 0x5d && contentStart >= 0) return [contentStart, i + 1];
      if (depth === 2) {
        inMessage = false;
        key1IsMessage = false;
      }
      if (depth === 3) key2IsContent = false;
      depth--;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `i` (escapes honoured), -1 if unterminated. */
export function stringEnd(buf: Buffer, i: number, e: number): number {
  let j = buf.indexOf(0x22, i + 1);
  while (j >= 0 && j < e) {
    let bs = 0;
    for (let k = j - 1; buf[k] === 0x5c; k--) bs++;
    if (bs % 2 === 0) return j;
    j = buf.indexOf(0x22, j + 1);
  }
  return -1;
}

function equals(buf: Buffer, s: number, e: number, v: Buffer): boolean {
  if (e - s !== v.length) return false;
  for (let i = 0; i < v.length; i++) if (buf[s + i] !== v[i]) return false;
  return true;
}
