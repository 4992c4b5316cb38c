import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

/**
 * Loads sql.js once, lazily, with its wasm read from disk and passed as `wasmBinary` (never fetched).
 * Looked up: the given path, `sql-wasm.wasm` beside the running bundle (dist/), the repo's dist/,
 * then node_modules/sql.js/dist (tests).
 */
let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  if (!loading) {
    loading = (async () => {
      const wasmBinary = readFileSync(findWasm(wasmPath));
      return initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
    })();
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

function findWasm(wasmPath?: string): string {
  const candidates: string[] = [];
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  // looked at in order, each made only when the ones before are not there: resolving the package (~7 ms in a
  // CLI run) is needed in tests only, a bundle finds the file beside it
  const looks = [
    () => wasmPath,
    () => join(here, 'sql-wasm.wasm'),
    () => join(here, '..', '..', '..', 'dist', 'sql-wasm.wasm'),
    () => {
      try {
        return join(dirname(require.resolve('sql.js')), 'sql-wasm.wasm');
      } catch {
        return undefined; // not resolvable from a bundle
      }
    },
    () => join(process.cwd(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'),
  ];
  for (const look of looks) {
    const p = look();
    if (p === undefined) continue;
    if (existsSync(p)) return p;
    candidates.push(p);
  }
  throw new Error(`sql-wasm.wasm not found (looked in: ${candidates.join(', ')})`);
}
