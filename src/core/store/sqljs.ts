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
  if (wasmPath) candidates.push(wasmPath);
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  candidates.push(join(here, 'sql-wasm.wasm'), join(here, '..', '..', '..', 'dist', 'sql-wasm.wasm'));
  try {
    candidates.push(join(dirname(require.resolve('sql.js')), 'sql-wasm.wasm'));
  } catch {
    /* not resolvable from a bundle */
  }
  candidates.push(join(process.cwd(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`sql-wasm.wasm not found (looked in: ${candidates.join(', ')})`);
  return found;
}
