// Fails when a layer imports what it must not, or when SQL appears outside the core:
//   dependencies point one way: webview -> shared <- host -> app -> core, and cli -> app/core;
//   src/core, src/app, src/shared, src/webview and src/cli never import `vscode`;
//   src/core imports no other layer; src/app imports only core and shared; src/shared imports nothing outside shared;
//   src/webview imports only shared (and browser packages); src/cli imports app and core, never host or webview;
//   SQL (statement text handed to sql.js) lives only in src/core (the store and the queries).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const rules = [
  { dir: 'src/core', forbid: [/^vscode$/, /\/(host|webview|cli|app|shared)\//, /^\.\.\/(host|webview|cli|app|shared)(\/|$)/] },
  { dir: 'src/app', forbid: [/^vscode$/, /\/(host|webview|cli)\//, /^\.\.\/(host|webview|cli)(\/|$)/], sql: true },
  { dir: 'src/shared', forbid: [/^vscode$/, /\/(core|app|host|webview|cli)\//, /^\.\.\/(core|app|host|webview|cli)(\/|$)/] },
  { dir: 'src/webview', forbid: [/^vscode$/, /\/(core|app|host|cli)\//, /^\.\.\/(core|app|host|cli)(\/|$)/] },
  { dir: 'src/cli', forbid: [/^vscode$/, /\/(host|webview)\//, /^\.\.\/(host|webview)(\/|$)/], sql: true },
  { dir: 'src/host', forbid: [/\/(webview|cli)\//, /^\.\.\/(webview|cli)(\/|$)/], sql: true },
];
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
// a string literal that starts with an SQL statement keyword (what db.exec / db.prepare / db.run are handed)
const sqlRe = /['"`]\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|ATTACH|VACUUM)\s/g;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield p;
  }
}
const problems = [];
for (const { dir, forbid, sql } of rules) {
  let files;
  try { files = [...walk(join(root, dir))]; } catch { continue; }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file).split(sep).join('/');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (forbid.some((re) => re.test(spec))) problems.push(`${rel}: imports '${spec}'`);
    }
    if (sql) {
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const m of code.matchAll(sqlRe)) problems.push(`${rel}: SQL outside src/core ('${m[1]} …'): move it into the core's store or queries`);
    }
  }
}
if (problems.length) {
  console.error(`Layer rule broken (webview -> shared <- host -> app -> core; cli -> app/core; SQL only in core):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layers ok');
