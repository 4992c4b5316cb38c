// Bundles the integration suite for the extension host: test/integration/index.ts (exports `run()`) and every
// test/integration/suite/*.test.ts, to out/integration/ as cjs with `vscode` and `mocha` left external
// (mocha is resolved from the repo's node_modules at run time). Shared by the code-server and Electron runners.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const suiteOutDir = (repoRoot) => join(repoRoot, 'out/integration');

export async function buildSuite(repoRoot) {
  const srcDir = join(repoRoot, 'test/integration');
  const outDir = suiteOutDir(repoRoot);
  const tests = readdirSync(join(srcDir, 'suite')).filter((n) => n.endsWith('.test.ts')).map((n) => join(srcDir, 'suite', n));
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(srcDir, 'index.ts'), ...tests],
    outbase: srcDir, outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning', absWorkingDir: repoRoot,
  });
  return { outDir, entry: join(outDir, 'index.js'), count: tests.length };
}
