/**
 * The CLI's compiled JavaScript kept between runs (V8's code cache), so a run does not parse and compile its ~0.9 MB
 * bundle again: `bin.ts` (dist/cli.js) runs the bundle (dist/cli-main.js) through `runBundle`. The first run of a
 * build compiles as usual and, as it exits, writes what V8 compiled (the functions the run used too) to the cache
 * file; later runs hand it to V8, which checks it against its version and flags and the source's length and falls
 * back to compiling when it does not fit. The file also names the bundle's size and modification time, the Node
 * version and the architecture: a rebuilt or upgraded bundle never runs another build's code. A cache that cannot
 * be read or written only costs the compile; it never fails a run. V8 (release builds) does not checksum a code cache
 * and ran one with damaged bytes: the file carries a SHA-256 of the code, checked before V8 sees it.
 *
 * A run without a cache of its own (`--no-cache`, which writes nothing, or the first run of an install) uses the cache
 * the build ships beside the bundle (`shippedCodeCacheFile`, written by writeCodeCache.ts), read only. That one is
 * named for the Node version and architecture it was made on, and made for the bundle's content (its SHA-256), not
 * its path and time: any copy of this build on that Node uses it; any other Node does not even read it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const MAGIC = 'agentmeter-code-cache-1';

export interface BundleRun {
  /** the bundle's `module.exports` */
  exports: unknown;
  /** V8 used the cache file (false: none, another build's, or rejected by V8) */
  cacheUsed: boolean;
  /** V8 used the cache shipped with the build (the cache file was not used) */
  shippedCacheUsed: boolean;
  /** writes the compiled code to the cache file (after the run, so the functions it compiled are in); false when it could not */
  saveCache(): boolean;
  /** writes the compiled code as the cache shipped with the build, to `file` (the build step); false when it could not */
  saveShippedCache(file: string): boolean;
}

/** What a cache file must be for: this bundle file as it is now, on this Node and architecture. */
export function bundleKey(bundle: string): string {
  const st = statSync(bundle);
  return `${MAGIC}\n${process.version} ${process.arch}\n${st.size} ${Math.floor(st.mtimeMs)}\n${bundle}\n`;
}

const digest = (code: Uint8Array) => createHash('sha256').update(code).digest();

/** What a shipped cache must be for: a bundle with this content, on this Node and architecture. */
function contentKey(source: string): string {
  return `${MAGIC}\n${process.version} ${process.arch}\nsha256 ${createHash('sha256').update(source).digest('hex')}\n`;
}

/** The cache the build ships in the bundle's folder `dir` for `kind` (report), made on this Node and architecture. */
export function shippedCodeCacheFile(dir: string, kind: string): string {
  return join(dir, `cli-${kind}-${process.version}-${process.arch}.codecache`);
}

/**
 * The cache file's name for the bundle at `bundle` (`kind`: report or other): one per install, so two installs
 * (a global one and a project's, or two checkouts) do not replace each other's cache at every run, each then
 * compiling again and writing its own.
 */
export function codeCacheFileName(kind: string, bundle: string): string {
  return `cli-${kind}-${createHash('sha256').update(bundle).digest('hex').slice(0, 12)}.bin`;
}
const DIGEST_BYTES = 32;

/**
 * The cache file's code, when it was written for the key (made only once the file is read) and is whole (undefined
 * otherwise or when unreadable).
 */
function cachedCode(cacheFile: string, keyOf: () => string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const keyBytes = Buffer.from(keyOf());
  const start = keyBytes.length + DIGEST_BYTES;
  if (bytes.length <= start || !bytes.subarray(0, keyBytes.length).equals(keyBytes)) return undefined;
  const code = bytes.subarray(start);
  return digest(code).equals(bytes.subarray(keyBytes.length, start)) ? code : undefined;
}

/**
 * Runs the CommonJS bundle `bundle` as Node would run it as a main module (its own `require`, `module`,
 * `__filename` and `__dirname`), with its compiled code from `cacheFile` when that was written for it, else from
 * `shippedFile` (the build's cache) when that was made for this bundle's content. Without `cacheFile` nothing is
 * written.
 */
export function runBundle(bundle: string, cacheFile: string | undefined, shippedFile?: string): BundleRun {
  const source = readFileSync(bundle, 'utf8');
  const key = cacheFile ? bundleKey(bundle) : '';
  const own = cacheFile ? cachedCode(cacheFile, () => key) : undefined;
  const cachedData = own ?? (shippedFile ? cachedCode(shippedFile, () => contentKey(source)) : undefined);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const accepted = cachedData !== undefined && script.cachedDataRejected === false;
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  return {
    exports: mod.exports,
    cacheUsed: accepted && own !== undefined,
    shippedCacheUsed: accepted && own === undefined,
    saveCache: () => (cacheFile ? writeCache(cacheFile, key, script) : false),
    saveShippedCache: (file) => writeCache(file, contentKey(source), script),
  };
}

/** Writes what V8 compiled of `script` to `file` under `key`, atomically; false when it could not. */
function writeCache(file: string, key: string, script: Script): boolean {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const code = script.createCachedData();
    writeFileSync(tmp, Buffer.concat([Buffer.from(key), digest(code), code]));
    renameSync(tmp, file); // another run reads the old file or the new one, never half of one
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* no folder to write in: nothing was left */
    }
    return false;
  }
}
