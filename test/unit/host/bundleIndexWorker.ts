/** Bundles src/app/indexWorker/main.ts as the extension ships it (dist/index-worker.js), once per test process. */
import * as esbuild from 'esbuild';
import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let script: Promise<string> | undefined;

/**
 * The extension host never exits while a window is open; a test process over the index worker could, with only the
 * client's unref'd worker left between two requests (CI once saw a test file end with its test's promise pending):
 * from its first bundle, the process stays alive until its tests are done.
 */
let keepAlive: NodeJS.Timeout | undefined;

export function bundledIndexWorker(): Promise<string> {
  if (!keepAlive) {
    keepAlive = setInterval(() => {}, 60_000);
    after(() => clearInterval(keepAlive));
  }
  script ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'am-index-worker-')), 'index-worker.js');
    await esbuild.build({
      entryPoints: [join(__dirname, '../../../src/app/indexWorker/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      outfile, logLevel: 'silent', external: ['vscode'],
    });
    // the report renderers' bundle, loaded by the worker from its own folder (as dist/report-render.js)
    await esbuild.build({
      entryPoints: [join(__dirname, '../../../src/app/reports/render/index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      outfile: join(outfile, '..', 'report-render.js'), logLevel: 'silent', external: ['vscode'],
    });
    return outfile;
  })();
  return script;
}
