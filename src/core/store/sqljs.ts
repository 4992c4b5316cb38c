import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * A sql.js of its own, shared with no one and kept nowhere here: sql.js keeps the module it loaded for good (its
 * `initSqlJs` answers every later call with the first one), so this evaluates its script (`sql-wasm.js`, shipped in
 * dist/ beside the wasm) anew. Its wasm memory (SQLite's heap, 16 MiB and up, never shrunk) goes with the thread's
 * next full GC once the caller lets go of it and of its databases. 7–33 ms a load here (the script run again, the wasm
 * instantiated; compiled once per thread). For a thread that opens a database now and then and none between (a parse
 * worker, which reads an agent's database: sources/keyed/keyedParse.ts).
 */
export function loadOwnSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  const load = createRequire(__filename);
  const script = load.resolve(findSqlJsScript()); // the key of require's cache: the real path (node_modules may be a link)
  delete load.cache[script];
  try {
    const init = load(script) as (config: { instantiateWasm: (imports: object, done: (instance: object) => void) => object }) => Promise<SqlJsStatic>;
    ownWasm ??= new wasmApi.Module(readFileSync(findWasm(wasmPath)));
    const compiled = ownWasm;
    // instantiated at once (Emscripten's hook): V8's asynchronous instantiation kept its result, and so the memory,
    // in a global handle for a while after the promise had settled
    return init({
      instantiateWasm: (imports, done) => {
        done(new wasmApi.Instance(compiled, imports));
        return {};
      },
    });
  } finally {
    delete load.cache[script];
  }
}

/** sql.js's wasm compiled for loadOwnSqlJs (code only: each instance makes its own memory). */
let ownWasm: object | undefined;

/** The parts of the WebAssembly JS API used here (this project's type libraries do not declare it; sql.js needs it). */
const wasmApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => object } }).WebAssembly;

/** sql.js's script, looked up as its wasm is (findWasm): beside the running bundle (dist/), the repo's dist/, the package's. */
function findSqlJsScript(): string {
  return findBesideWasm('sql-wasm.js');
}

function findWasm(wasmPath?: string): string {
  return findBesideWasm('sql-wasm.wasm', wasmPath);
}

/** sql.js's file `name`: `given` when it is there, else looked for as below. */
function findBesideWasm(name: string, given?: string): string {
  const candidates: string[] = [];
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  // looked at in order, each made only when the ones before are not there: resolving the package (~7 ms in a
  // CLI run) is needed in tests only, a bundle finds the file beside it
  const looks = [
    () => given,
    () => join(here, name),
    () => join(here, '..', '..', '..', 'dist', name),
    () => {
      try {
        return join(dirname(require.resolve('sql.js')), name);
      } catch {
        return undefined; // not resolvable from a bundle
      }
    },
    () => join(process.cwd(), 'node_modules', 'sql.js', 'dist', name),
  ];
  for (const look of looks) {
    const p = look();
    if (p === undefined) continue;
    if (existsSync(p)) return p;
    candidates.push(p);
  }
  throw new Error(`${name} not found (looked in: ${candidates.join(', ')})`);
}
