// Builds every bundle with esbuild: extension host, CLI, index and ingest workers (node, cjs) and the webview (browser, iife).
// First it recompiles the wasm field scanner when its AssemblyScript source changed (scripts/build-wasm.mjs).
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { patchedSqlJsScript, sqlJsPatchPlugin } from './sqljsPatch.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

execFileSync(process.execPath, [join(root, 'scripts/build-wasm.mjs')], { stdio: 'inherit' });

// sql.js's wasm is shipped in dist/ and loaded from there (never from the network).
copyFileSync(join(dirname(require.resolve('sql.js')), 'sql-wasm.wasm'), join(dist, 'sql-wasm.wasm'));
// and its script, which a parse worker evaluates anew for a sql.js of its own per database read (core store/sqljs.ts
// loadOwnSqlJs), patched (scripts/sqljsPatch.mjs) as every bundle bundles it (its plugin, in `node` below)
const patchedSqlJs = patchedSqlJsScript();
writeFileSync(join(dist, 'sql-wasm.js'), patchedSqlJs);

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [sqlJsPatchPlugin(patchedSqlJs)] };

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
  writeFreshIndex();
  writeCodeCache();
  console.log(`built ${opts.length} bundles into dist/${production ? ' (production)' : ''}`);
}

/**
 * The empty index at this schema that the CLI opens for a new index instead of migrating (src/cli/freshIndex.ts):
 * made by the build's own code (a bundle of src/cli/writeFreshIndex.ts, run once from a temporary folder).
 */
function writeFreshIndex() {
  buildAndRun('src/cli/writeFreshIndex.ts', [dist]);
}

/**
 * The code cache shipped beside the CLI's bundle for runs without their own (src/cli/codeCache.ts): made by one
 * `report --no-cache` of the built CLI over the test fixtures (src/cli/writeCodeCache.ts), with a HOME holding nothing,
 * on this Node (the file is named for it). Old ones (another Node, an earlier build) are removed first.
 */
function writeCodeCache() {
  for (const f of readdirSync(dist)) if (f.endsWith('.codecache')) rmSync(join(dist, f));
  const fixtures = join(root, 'test', 'fixtures', 'basic');
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-build-home-'));
  try {
    buildAndRun('src/cli/writeCodeCache.ts', [dist, join(fixtures, 'claude'), join(fixtures, 'codex')], { PATH: process.env.PATH, HOME: home, TZ: 'UTC' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Bundles a build step's script into a temporary folder and runs it once with `args` (and `env`, else this one's). */
function buildAndRun(entry, args, env = process.env) {
  const tmp = mkdtempSync(join(tmpdir(), 'agentmeter-build-'));
  try {
    const script = join(tmp, 'step.js');
    // esbuild's synchronous API takes no plugins: these one-off steps bundle sql.js as it is (their saves use export())
    esbuild.buildSync({ ...node, plugins: [], absWorkingDir: root, entryPoints: [entry], outfile: script, sourcemap: false });
    execFileSync(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
