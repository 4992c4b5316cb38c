import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Names a build of the index worker by its bundle's bytes (dist/index-worker.js): what the index file keeps computed
 * by it (the plan limit's priced blocks, planBlocks.ts) is used by this build only — another build may price or cut
 * differently — and the same build installed again (a new modification time) still uses it. ~1-2 ms for the ~0.6 MB
 * bundle. Undefined when it cannot be read (then nothing is kept).
 */
export function bundleIdOf(bundle: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 16);
  } catch {
    return undefined;
  }
}
