// Appends made by a benchmark run are undone from .bench/restore.json (also after an interrupted run), so a corpus
// stays what its manifest says: each listed log file is cut back to its size and given back its mtime.
import { existsSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Records the files about to be appended to (call before appending). */
export function rememberForRestore(benchDir, paths) {
  const restore = paths.map((path) => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs }));
  writeFileSync(join(benchDir, 'restore.json'), JSON.stringify(restore));
}

/** Undoes the appends recorded by rememberForRestore (nothing when there is no record). */
export function restoreAppends(benchDir) {
  const f = join(benchDir, 'restore.json');
  if (!existsSync(f)) return;
  for (const { path, size, mtimeMs } of JSON.parse(readFileSync(f, 'utf8'))) {
    if (existsSync(path) && statSync(path).size !== size) truncateSync(path, size);
    // exact for a whole-millisecond mtime (a Date keeps milliseconds only)
    if (existsSync(path)) utimesSync(path, new Date(), new Date(mtimeMs));
  }
  rmSync(f);
}
