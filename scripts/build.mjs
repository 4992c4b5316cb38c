// Builds every bundle with esbuild: extension host, CLI, index and ingest workers (node, cjs) and the webview (browser, iife).
// First it recompiles the wasm field scanner when its AssemblyScript source changed (scripts/build-wasm.mjs).
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

execFileSync(process.execPath, [join(root, 'scripts/build-wasm.mjs')], { stdio: 'inherit' });

// sql.js's wasm is shipped in dist/ and loaded from there (never from the network).
copyFileSync(join(dirname(require.resolve('sql.js')), 'sql-wasm.wasm'), join(dist, 'sql-wasm.wasm'));

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

const configs = [
  { ...node, entryPoints: { extension: 'src/host/extension.ts' } },
  // the CLI: a small loader (dist/cli.js) that runs its bundle (dist/cli-main.js) with V8's code cache (src/cli/codeCache.ts)
  { ...node, entryPoints: { cli: 'src/cli/bin.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { 'cli-main': 'src/cli/main.ts' } },
  { ...node, entryPoints: { 'ingest-worker': 'src/core/ingest/worker.ts' } },
  // the usage index (sql.js database + indexer) of a window, off the extension host's event loop
  { ...node, entryPoints: { 'index-worker': 'src/app/indexWorker/main.ts' } },
  // report documents (exceljs, jsPDF), loaded by the CLI and the index worker when a report is written; jsPDF's
  // optional html()/SVG helpers (html2canvas, canvg, dompurify: ~330 KB) are required lazily and never used here
  { ...node, entryPoints: { 'report-render': 'src/app/reports/render/index.ts' }, external: ['vscode', 'html2canvas', 'canvg', 'dompurify'] },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'src/webview/main.ts' },
    loader: { '.css': 'css' },
  },
].filter((c) => Object.values(c.entryPoints).every((p) => existsSync(join(root, p))));

const opts = configs.map((c) => ({ ...c, absWorkingDir: root, outdir: dist }));
if (watch) {
  for (const o of opts) (await esbuild.context(o)).watch();
  console.log('watching…');
} else {
  await Promise.all(opts.map((o) => esbuild.build(o)));
  console.log(`built ${opts.length} bundles into dist/${production ? ' (production)' : ''}`);
}
