/**
 * The CLI's compiled JavaScript kept between runs (V8's code cache), so a run does not parse and compile its ~0.9 MB
 * bundle again: `bin.ts` (dist/cli.js) runs the bundle (dist/cli-main.js) through `runBundle`. The first run of a
 * build compiles as usual and, as it exits, writes what V8 compiled (the functions the run used too) to the cache
 * file; later runs hand it to V8, which checks it against its version and flags and the source's length and falls
 * back to compiling when it does not fit. The file also names the bundle's size and modification time, the Node
 * version and the architecture: a rebuilt or upgraded bundle never runs another build's code. A cache that cannot
 * be read or written only costs the compile; it never fails a run. V8 (release builds) does not checksum a code cache
 * and ran one with damaged bytes: the file carries a SHA-256 of the code, checked before V8 sees it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

const MAGIC = 'agentmeter-code-cache-1';

export interface BundleRun {
  /** the bundle's `module.exports` */
  exports: unknown;
  /** V8 used the cache file (false: none, another build's, or rejected by V8) */
  cacheUsed: boolean;
  /** writes the compiled code to the cache file (after the run, so the functions it compiled are in); false when it could not */
  saveCache(): boolean;
}

/** What a cache file must be for: this bundle file as it is now, on this Node and architecture. */
export function bundleKey(bundle: string): string {
  const st = statSync(bundle);
  return `${MAGIC}\n${process.version} ${process.arch}\n${st.size} ${Math.floor(st.mtimeMs)}\n${bundle}\n`;
}

const digest = (code: Uint8Array) => createHash('sha256').update(code).digest();

/**
 * The cache file's name for the bundle at `bundle` (`kind`: report or other): one per install, so two installs
 * (a global one and a project's, or two checkouts) do not replace each other's cache at every run, each then
 * compiling again and writing its own.
 */
export function codeCacheFileName(kind: string, bundle: string): string {
  return `cli-${kind}-${createHash('sha256').update(bundle).digest('hex').slice(0, 12)}.bin`;
}
const DIGEST_BYTES = 32;

/** The cache file's code, when it was written for `key` and is whole (undefined otherwise or when unreadable). */
function cachedCode(cacheFile: string, key: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const keyBytes = Buffer.from(key);
  const start = keyBytes.length + DIGEST_BYTES;
  if (bytes.length <= start || !bytes.subarray(0, keyBytes.length).equals(keyBytes)) return undefined;
  const code = bytes.subarray(start);
  return digest(code).equals(bytes.subarray(keyBytes.length, start)) ? code : undefined;
}

/**
 * Runs the CommonJS bundle `bundle` as Node would run it as a main module (its own `require`, `module`,
 * `__filename` and `__dirname`), with its compiled code from `cacheFile` when that was written for it. Without
 * `cacheFile` nothing is read or written.
 */
export function runBundle(bundle: string, cacheFile: string | undefined): BundleRun {
  const source = readFileSync(bundle, 'utf8');
  const key = cacheFile ? bundleKey(bundle) : '';
  const cachedData = cacheFile ? cachedCode(cacheFile, key) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const cacheUsed = cachedData !== undefined && script.cachedDataRejected === false;
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  return {
    exports: mod.exports,
    cacheUsed,
    saveCache(): boolean {
      if (!cacheFile) return false;
      const tmp = `${cacheFile}.tmp-${process.pid}`;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        const code = script.createCachedData();
        writeFileSync(tmp, Buffer.concat([Buffer.from(key), digest(code), code]));
        renameSync(tmp, cacheFile); // another run reads the old file or the new one, never half of one
        return true;
      } catch {
        try {
          rmSync(tmp, { force: true });
        } catch {
          /* no folder to write in: nothing was left */
        }
        return false;
      }
    },
  };
}
