// Fails when a layer imports what it must not:
//   src/core and src/shared never import `vscode`;
//   src/core never imports host, webview or cli code; src/shared imports nothing outside shared;
//   src/webview imports only shared (and browser packages).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const rules = [
  { dir: 'src/core', forbid: [/^vscode$/, /\/host\//, /\/webview\//, /\/cli\//, /^\.\.\/host/, /^\.\.\/webview/, /^\.\.\/cli/] },
  { dir: 'src/shared', forbid: [/^vscode$/, /\/core\//, /\/host\//, /\/webview\//, /^\.\.\/(core|host|webview|cli)/] },
  { dir: 'src/webview', forbid: [/^vscode$/, /\/core\//, /\/host\//, /^\.\.\/(core|host|cli)/] },
  { dir: 'src/cli', forbid: [/^vscode$/, /\/host\//, /\/webview\//, /^\.\.\/(host|webview)/] },
];
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield p;
  }
}
const problems = [];
for (const { dir, forbid } of rules) {
  let files;
  try { files = [...walk(join(root, dir))]; } catch { continue; }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (forbid.some((re) => re.test(spec))) problems.push(`${relative(root, file).split(sep).join('/')}: imports '${spec}'`);
    }
  }
}
if (problems.length) {
  console.error('Layer rule broken (webview -> shared <- host -> core):\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('layers ok');
