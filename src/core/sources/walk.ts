import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { TimeSlicer } from '../store/timeSlice';

/**
 * File-system helpers for the sources' discovery (issue 2 §2): synchronous in small slices with an event-loop turn
 * between slices (a thread-pool round trip per readdir costs more than the call itself; TimeSlicer: ~10 ms).
 */

/** A missing path answers false without an exception (a thrown ENOENT costs ~5× the stat itself). */
export function isDir(p: string): boolean {
  try {
    return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
  try {
    return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** `~` and `~/…` expanded against `home`, then made absolute. */
export function expandHome(p: string, home: string): string {
  return resolve(p === '~' ? home : p.startsWith('~/') || p.startsWith('~\\') ? join(home, p.slice(2)) : p);
}

/**
 * The folders to look in: explicit ones (settings / CLI; each may be a comma list) win over the environment variable's
 * comma list; `undefined` = neither (use the defaults); `null` = disabled (`none`).
 */
export function dirList(explicit: readonly string[] | undefined, envValue: string | undefined): string[] | undefined | null {
  const raw = explicit && explicit.length > 0 ? explicit.flatMap((d) => d.split(',')) : envValue?.trim() ? envValue.split(',') : undefined;
  const out = raw?.map((s) => s.trim()).filter((s) => s.length > 0);
  if (out?.length === 1 && out[0].toLowerCase() === 'none') return null;
  return out;
}

/** The part of `path` below `dir`; `path` was built by walkFiles from `dir` (no normalisation needed). */
export function below(dir: string, path: string): string {
  return path.slice(dir.endsWith(sep) ? dir.length : dir.length + 1);
}

/**
 * The last part of a path, as `path.basename` gives it, without its walk over every character in the usual case
 * (a listed file: no trailing separator, no drive letter): called for every log file listed (16k at a year).
 */
export function nameOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), sep === '\\' ? path.lastIndexOf('\\') : -1) + 1);
  return name === '' || (sep === '\\' && name.includes(':')) ? basename(path) : name;
}

/** The file name without the given extension (case-insensitive). */
export function stemOf(path: string, ext: string): string {
  const b = nameOf(path);
  // the usual case, exactly as given, without a lower-cased copy of the name (called for every log file listed)
  if (b.endsWith(ext)) return b.slice(0, b.length - ext.length);
  return b.toLowerCase().endsWith(ext.toLowerCase()) ? b.slice(0, b.length - ext.length) : b;
}

/**
 * Every file under `dir` whose name `accept`s (unreadable folders are skipped), sorted. A symbolic link to a folder
 * (a project moved to another disk and linked back) is followed unless it leads back into the root or into a folder
 * already followed. `maxDepth` (default unlimited) bounds how deep below `dir` files are looked for.
 */
export async function walkFiles(dir: string, accept: (name: string) => boolean, maxDepth = Infinity): Promise<string[]> {
  const out: string[] = [];
  const stack: [string, number][] = [[dir, 0]];
  const followed: string[] = [];
  const slicer = new TimeSlicer();
  while (stack.length > 0) {
    const turn = slicer.tick();
    if (turn) await turn;
    const [d, depth] = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    // which of two links to one folder is followed must not depend on the file system's listing order
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // names from readdir hold no separator and are never '.' or '..': plain concatenation keeps the path normal
    const prefix = d.endsWith(sep) ? d : d + sep;
    for (const e of entries) {
      const p = prefix + e.name;
      if (e.isDirectory()) {
        if (depth < maxDepth) stack.push([p, depth + 1]);
      } else if ((e.isFile() || e.isSymbolicLink()) && accept(e.name)) out.push(p);
      else if (e.isSymbolicLink() && depth < maxDepth && isNewLinkedDir(p, dir, followed)) stack.push([p, depth + 1]);
    }
  }
  return out.sort();
}

export function isJsonl(name: string): boolean {
  return name.endsWith('.jsonl') || name.toLowerCase().endsWith('.jsonl');
}

/** `walkFiles` for `*.jsonl`. */
export function walkJsonl(dir: string): Promise<string[]> {
  return walkFiles(dir, isJsonl);
}

/**
 * Whether the link at `p` leads to a folder to walk: one outside the root and outside every folder already followed
 * (`followed` holds real paths, the root's first), so no file is listed twice and a link cycle ends.
 */
function isNewLinkedDir(p: string, root: string, followed: string[]): boolean {
  try {
    if (!statSync(p).isDirectory()) return false;
    if (followed.length === 0) followed.push(realpathSync(root));
    const real = realpathSync(p);
    if (followed.some((f) => real === f || real.startsWith(f.endsWith(sep) ? f : f + sep))) return false;
    followed.push(real);
    return true;
  } catch {
    return false; // dangling or unreadable link
  }
}

/** A folder's entries sorted by name ([] when it cannot be read). */
export async function readDirSorted(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}
