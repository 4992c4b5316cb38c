// One benchmark at a time per working tree: concurrent runs would share .bench/ (indexes, appends) and the cores.
// The lock file holds the owner's pid; a lock whose owner is gone is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Waits (polling) until the lock is ours; returns a release function. */
export async function acquireRunLock(path, log, maxWaitMs = 30 * 60_000) {
  const t0 = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(path, { force: true });
      process.on('exit', release);
      return release;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = Number(readFileSync(path, 'utf8').trim());
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() - t0 > maxWaitMs) throw new Error(`another benchmark (pid ${owner}) still holds ${path}`);
    if (!told) log(`waiting for another benchmark run (pid ${owner}) to finish …`);
    told = true;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
