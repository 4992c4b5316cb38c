/**
 * Build step (scripts/build.mjs): writes the empty index for this build's schema into the folder given (dist/), as
 * `freshIndex.ts` opens it, and removes copies for other migrations. Run with sql.js's wasm in that folder.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs } from '../core/store/sqljs';
import { freshIndexBytes, freshIndexFileName } from './freshIndex';

async function write(dir: string): Promise<void> {
  const SQL = await loadSqlJs(join(dir, 'sql-wasm.wasm'));
  const name = freshIndexFileName();
  for (const f of readdirSync(dir)) if (/^fresh-index-.*\.sqlite$/.test(f) && f !== name) rmSync(join(dir, f));
  writeFileSync(join(dir, name), await freshIndexBytes(SQL));
}

write(process.argv[2]).catch((e) => {
  console.error(`fresh index not written: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
