/** Bundles src/app/indexWorker/main.ts as the extension ships it (dist/index-worker.js), once per test process. */
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let script: Promise<string> | undefined;

export function bundledIndexWorker(): Promise<string> {
  script ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'am-index-worker-')), 'index-worker.js');
    await esbuild.build({
      entryPoints: [join(__dirname, '../../../src/app/indexWorker/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      outfile, logLevel: 'silent', external: ['vscode'],
    });
    return outfile;
  })();
  return script;
}
