/**
 * The schema-12 fixture index (test/fixtures/index/schema12-mixed.sqlite) names its logs under one fixed folder, where
 * it read them: the tests that write those logs again (schemaV13, schemaV14) cannot each use a folder of their own.
 * With test files run in parallel (`--test-concurrency`), one test's logs must not be written or removed under
 * another's: `lockSchema12Logs` holds the folder (a lock directory beside it, made atomically) until its release, which
 * also removes the logs.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const SCHEMA12_LOGS = '/tmp/agentmeter-schema12-fixture';
const LOCK = `${SCHEMA12_LOGS}.lock`;
/** a lock older than this was left by a test process that died: taken over */
const STALE_MS = 10 * 60_000;

/** Waits until the fixture's log folder is free, takes it; returns the release (logs removed, folder freed). */
export async function lockSchema12Logs(timeoutMs = 180_000): Promise<() => void> {
  for (const t0 = Date.now(); ; await sleep(50)) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() - t0 > timeoutMs) throw new Error(`${LOCK} still held after ${timeoutMs} ms`);
    }
  }
  rmSync(SCHEMA12_LOGS, { recursive: true, force: true }); // what a dead holder left
  return () => {
    rmSync(SCHEMA12_LOGS, { recursive: true, force: true });
    rmSync(LOCK, { recursive: true, force: true });
  };
}
