// Lists a packaged VSIX (a zip) and fails unless it holds only what the extension runs:
// the extension's dist/ bundles + sql-wasm.wasm (not the CLI's), README (with every screenshot it links relatively), CHANGELOG, LICENSE, icon, the
// walkthrough's pages, translations (package.nls*.json, l10n/), package.json — no sources, tests, node_modules or
// sourcemaps — and is under 2 MB.
// Usage: node scripts/check-vsix.mjs [agentmeter.vsix]
import { readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const MAX_BYTES = 2 * 1024 * 1024;
const file = process.argv[2] ?? 'agentmeter.vsix';

/** Reads the zip central directory: [{ name, size, compressed }]. */
function listZip(buf) {
  // End of central directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const method = buf.readUInt16LE(p + 10);
    const local = buf.readUInt32LE(p + 42);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, compressed, method, local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** One entry's text (stored or deflated). */
function readZipEntry(buf, e) {
  const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
  const raw = buf.subarray(start, start + e.compressed);
  return (e.method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
}

const FORBIDDEN = [
  [/(^|\/)node_modules\//, 'node_modules'],
  [/^extension\/(src|test|out|scripts|\.vscode-test|\.ci)\//, 'sources, tests or build scripts'],
  [/^extension\/docs\/(?!screenshots\/[^/]+\.png$)/, 'docs other than the README\'s screenshots'],
  [/\.tsx?$/, 'TypeScript source'],
  [/\.map$/, 'sourcemap'],
  [/(^|\/)\.git\//, 'git data'],
  [/\.vsix$/, 'a nested VSIX'],
  [/^extension\/dist\/(cli(-main)?\.js|fresh-index-.*\.sqlite|.*\.codecache)$/, 'the CLI (not run by the extension)'],
];
const REQUIRED = [
  'extension/package.json', 'extension/dist/extension.js', 'extension/dist/index-worker.js', 'extension/dist/ingest-worker.js',
  'extension/dist/webview.js', 'extension/dist/webview.css', 'extension/dist/report-render.js', 'extension/dist/sql-wasm.wasm', 'extension/dist/sql-wasm.js', 'extension/README.md',
  'extension/CHANGELOG.md', 'extension/LICENSE.txt|extension/LICENSE', 'extension/media/icon.png',
  // translations: package.json's %keys% and the host's vscode.l10n.t bundle (zh-CN)
  'extension/package.nls.json', 'extension/package.nls.zh-cn.json', 'extension/l10n/bundle.l10n.zh-cn.json',
];

let bytes;
try {
  bytes = statSync(file).size;
} catch {
  console.error(`check-vsix: ${file} not found (run npm run package first)`);
  process.exit(2);
}
const entries = listZip(readFileSync(file));
const problems = [];
for (const e of entries) {
  for (const [re, what] of FORBIDDEN) if (re.test(e.name)) problems.push(`${e.name}: ${what} must not be packaged`);
}
// vsce stores README/CHANGELOG as readme.md/changelog.md and LICENSE as LICENSE.txt: compare case-insensitively.
const names = new Set(entries.map((e) => e.name.toLowerCase()));
for (const req of REQUIRED) {
  if (!req.split('|').some((n) => names.has(n.toLowerCase()))) problems.push(`missing ${req.split('|')[0]}`);
}
// every image the README shows by a relative link is packaged (the editor's extension page resolves it there)
const readme = entries.find((e) => e.name.toLowerCase() === 'extension/readme.md');
if (readme) {
  const text = readZipEntry(readFileSync(file), readme);
  for (const m of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const link = m[1];
    if (/^[a-z]+:/i.test(link)) continue;
    if (!names.has(`extension/${link.replace(/^\.\//, '')}`.toLowerCase())) problems.push(`README image ${link} is not packaged`);
  }
}
if (bytes >= MAX_BYTES) problems.push(`VSIX is ${bytes} bytes, limit is < ${MAX_BYTES}`);

for (const e of entries) console.log(`${String(e.size).padStart(10)}  ${e.name}`);
console.log(`${entries.length} files, ${(bytes / 1024).toFixed(1)} KiB packed (limit ${MAX_BYTES / 1024 / 1024} MiB)`);
if (problems.length) {
  console.error(`check-vsix: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-vsix: ok');
