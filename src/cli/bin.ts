/**
 * `agentmeter` (dist/cli.js): a small loader that runs the CLI's bundle (dist/cli-main.js, from main.ts) with V8's
 * code cache for it, kept in `<cache folder>-code/cli-<report|other>-<install>.bin` (codeCache.ts): a run does not
 * parse and compile the ~0.9 MB bundle again (~45 ms of a run's CPU on the 2-core bench machine). `--no-cache` runs write
 * nothing. The cache sits beside the index folder, not in it (that folder holds only index files and journals).
 * A run without a cache of its own (`--no-cache`, a first run) uses the one the build ships beside the bundle, read only
 * (codeCache.ts shippedCodeCacheFile).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './cacheDir';
import { codeCacheFileName, runBundle, shippedCodeCacheFile } from './codeCache';
import { setCliV8Flags } from './v8Flags';

// before any code is compiled: V8 accepts a code cache only under the flags it was made with
setCliV8Flags();
// one cache for `report` and one for the other commands: a cache holds the functions its first run compiled, so a
// `--version` or `team` run first must not leave `report` runs compiling most of theirs
// `report` and one for the other commands, per install (codeCacheFileName)
const kind = process.argv[2] === 'report' ? 'report' : 'other';
const noCache = process.argv.includes('--no-cache');
const bundle = join(__dirname, 'cli-main.js');
const cacheFile = noCache ? undefined : join(`${cacheDir(process.env, process.env.HOME || homedir())}-code`, codeCacheFileName(kind, bundle));
const run = runBundle(bundle, cacheFile, shippedCodeCacheFile(__dirname, kind));
if (cacheFile && !run.cacheUsed) process.once('exit', () => run.saveCache());
