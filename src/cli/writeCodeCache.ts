/**
 * Build step (scripts/build.mjs): writes the code cache shipped beside the CLI's bundle (codeCache.ts
 * shippedCodeCacheFile), which a run without a cache of its own uses (`--no-cache`, a first run). Runs the bundle
 * in its folder once as dist/cli.js would run `agentmeter report --no-cache --format json` over the log folders
 * given (the build gives the test fixtures' Claude and Codex logs, and a HOME with nothing in it), so the functions a
 * cold report runs (listing, parsing, the index, the report) are compiled; then saves what V8 compiled.
 * Usage: node write-code-cache.js <dist> <claude dir> <codex dir>
 */
import { join } from 'node:path';
import { runBundle, shippedCodeCacheFile } from './codeCache';
import { setCliV8Flags } from './v8Flags';

// as bin.ts: V8 accepts a code cache only under the flags it was made with
setCliV8Flags();
const [dist, claudeDir, codexDir] = process.argv.slice(2);
process.argv = [process.argv[0], join(dist, 'cli.js'), 'report', '--no-cache', '--format', 'json', '--timezone', 'UTC', '--claude-dir', claudeDir, '--codex-dir', codexDir];
const run = runBundle(join(dist, 'cli-main.js'), undefined);
process.once('exit', (code) => {
  if (code !== 0) return; // the report failed: no cache of a run that did not do what a report does
  if (!run.saveShippedCache(shippedCodeCacheFile(dist, 'report'))) {
    process.stderr.write('code cache not written\n');
    process.exitCode = 1;
  }
});
