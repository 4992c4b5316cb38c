// Fails when a user-visible string is not localized (part of `npm run check`, so of `npm test`). Run with tsx
// (`node --import tsx scripts/check-l10n.mjs`): the string tables are TypeScript. Rules:
//  1. every `vscode.l10n.t('…')` message in src/host has a translation in every l10n/bundle.l10n.<lang>.json, with
//     the same {0}/{name} placeholders; `l10n.t` is called with a literal (a computed message cannot be checked);
//  2. the host shows no raw literal in a notification, picker, progress title, status bar text/tooltip (heuristic:
//     `show…Message('…'`, `title:`/`placeHolder:`/`prompt:`/`detail:`/`saveLabel:`/`tooltip =` with an English
//     word, outside `l10n.t`);
//  3. every `%key%` in package.json is in package.nls.json and in every package.nls.<lang>.json, every nls file's key
//     is used, and no command title/category, setting description, enum description, walkthrough or view text in
//     package.json is a raw literal (all are `%key%`);
//  4. every key of the app/webview string tables (src/shared/i18n) is in every language, with the same placeholders;
//  5. the webview has no English literal outside its string table (heuristic: a string literal or template text in
//     src/webview, comments and imports left out, that holds a capitalised word of 3+ letters ("Today") or three
//     lowercase words in a row ("no data yet") is reported; `class:` values, chart.js options and keys are not). A literal that is not user-visible text can be kept with a trailing `// l10n-ignore` comment.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Placeholder names of a template: `{0}`, `{name}`, and plural selectors `{n, plural, …}`. */
export function placeholders(text) {
  const names = new Set();
  const plural = /\{(\w+), plural, one \{[^{}]*\} other \{[^{}]*\}\}/g;
  for (const m of text.matchAll(plural)) names.add(m[1]);
  for (const m of text.replace(plural, '').matchAll(/\{(\w+)\}/g)) names.add(m[1]);
  return [...names].sort().join(',');
}

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** Source text with comments blanked (strings kept; a `//` inside a string is left alone). */
export function stripComments(src) {
  let out = '';
  let i = 0;
  let quote = null;
  while (i < src.length) {
    const c = src[i];
    if (quote) {
      out += c;
      if (c === '\\') { out += src[i + 1] ?? ''; i += 2; continue; }
      if (c === quote) quote = null;
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') { quote = c; out += c; i++; continue; }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const comment = src.slice(i, end < 0 ? src.length : end);
      out += comment.includes('l10n-ignore') ? '/*l10n-ignore*/' : '';
      i = end < 0 ? src.length : end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const body = src.slice(i, end < 0 ? src.length : end + 2);
      out += body.replace(/[^\n]/g, ' ');
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** String literals of a source text (template literals: their text parts), with line numbers. */
export function stringLiterals(src) {
  const out = [];
  const re = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
  for (const m of src.matchAll(re)) {
    const text = m[1] ?? m[2] ?? m[3].replace(/\$\{[^}]*\}/g, ' ');
    const line = src.slice(0, m.index).split('\n').length;
    out.push({ text, line, index: m.index, raw: m[0] });
  }
  return out;
}

/** True when a literal reads as English prose (see rule 5). */
export function looksEnglish(text) {
  if (/^[\w.-]+$/.test(text) && /\./.test(text)) return false; // a key such as 'dashboard.card.today'
  return /\b[A-Z][a-z]{2,}\b/.test(text) || /\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b/.test(text);
}

/** `l10n.t(` calls: the first argument's literal, or null when it is not a plain literal. */
export function l10nCalls(src) {
  const out = [];
  const re = /\bl10n\.t\(\s*/g;
  for (const m of src.matchAll(re)) {
    const rest = src.slice(m.index + m[0].length);
    const lit = /^(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/.exec(rest);
    const line = src.slice(0, m.index).split('\n').length;
    out.push({ message: lit ? unescapeLiteral(lit[1] ?? lit[2] ?? lit[3]) : null, line });
  }
  return out;
}

function unescapeLiteral(s) {
  return s.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t' })[c] ?? c);
}

const NLS_FIELDS = new Set(['title', 'category', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions',
  'deprecationMessage', 'markdownDeprecationMessage', 'patternErrorMessage', 'name', 'contextualTitle', 'shortTitle', 'altText', 'label']);

/** Raw (non-`%key%`) user-visible strings under `contributes` of package.json. */
export function rawContributionStrings(pkg) {
  const out = [];
  const visit = (v, path, field) => {
    if (typeof v === 'string') {
      if (field && NLS_FIELDS.has(field) && !/^%[^%]+%$/.test(v)) out.push(`${path}: "${v.slice(0, 60)}"`);
      return;
    }
    if (Array.isArray(v)) {
      const inner = field === 'enumDescriptions' || field === 'markdownEnumDescriptions' ? field : undefined;
      for (const [i, x] of v.entries()) visit(x, `${path}[${i}]`, inner);
      return;
    }
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
      // `properties` maps setting ids, `when`/`command` are code: only the text fields are checked
      visit(x, `${path}.${k}`, path.endsWith('.properties') ? undefined : k);
    }
  };
  visit(pkg.contributes ?? {}, 'contributes', undefined);
  return out;
}

export async function checkL10n(root) {
  const problems = [];
  const rel = (p) => relative(root, p).split(sep).join('/');

  // 1 + 2: the host
  const bundles = existsSync(join(root, 'l10n'))
    ? readdirSync(join(root, 'l10n')).filter((f) => /^bundle\.l10n\.[\w-]+\.json$/.test(f)).map((f) => ({ file: `l10n/${f}`, map: JSON.parse(readFileSync(join(root, 'l10n', f), 'utf8')) }))
    : [];
  if (bundles.length === 0) problems.push('l10n/: no bundle.l10n.<lang>.json');
  const used = new Set();
  for (const file of walk(join(root, 'src/host'))) {
    const src = stripComments(readFileSync(file, 'utf8'));
    for (const c of l10nCalls(src)) {
      if (c.message === null) { problems.push(`${rel(file)}:${c.line}: l10n.t with a computed message (use a literal)`); continue; }
      used.add(c.message);
      for (const b of bundles) {
        const tr = b.map[c.message];
        if (typeof tr !== 'string') problems.push(`${rel(file)}:${c.line}: "${c.message}" has no translation in ${b.file}`);
        else if (placeholders(tr) !== placeholders(c.message)) problems.push(`${b.file}: "${c.message}": placeholders {${placeholders(c.message)}} but the translation has {${placeholders(tr)}}`);
      }
    }
    const lines = src.split('\n');
    const rawUi = [
      /show(?:Information|Warning|Error)Message\(\s*(['"`])/g,
      /\b(?:title|placeHolder|prompt|detail|saveLabel|tooltip)\s*[:=]\s*(['"`])/g,
      /\.text\s*=\s*(['"`])/g,
    ];
    lines.forEach((line, i) => {
      if (line.includes('l10n-ignore')) return;
      for (const re of rawUi) {
        for (const m of line.matchAll(re)) {
          const lit = stringLiterals(line.slice(m.index + m[0].length - 1))[0];
          if (lit && looksEnglish(lit.text)) problems.push(`${rel(file)}:${i + 1}: raw text "${lit.text.slice(0, 60)}" (use vscode.l10n.t)`);
        }
      }
    });
  }
  for (const b of bundles) for (const k of Object.keys(b.map)) if (!used.has(k)) problems.push(`${b.file}: "${k}" is not used by any l10n.t call`);

  // 3: package.json and its nls files
  const pkgText = readFileSync(join(root, 'package.json'), 'utf8');
  const pkg = JSON.parse(pkgText);
  const keys = new Set([...pkgText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  const nlsFiles = readdirSync(root).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f));
  if (!nlsFiles.includes('package.nls.json')) problems.push('package.nls.json is missing');
  if (nlsFiles.length < 2) problems.push('package.nls.<lang>.json: no translation of package.json');
  for (const f of nlsFiles) {
    const nls = JSON.parse(readFileSync(join(root, f), 'utf8'));
    for (const k of keys) if (typeof nls[k] !== 'string' && typeof nls[k]?.message !== 'string') problems.push(`${f}: no "${k}" (package.json uses %${k}%)`);
    for (const k of Object.keys(nls)) if (!keys.has(k)) problems.push(`${f}: "${k}" is not used in package.json`);
  }
  for (const r of rawContributionStrings(pkg)) problems.push(`package.json ${r}: not localized (use a %key% from package.nls.json)`);

  // 4: the string tables
  const i18n = join(root, 'src/shared/i18n');
  const tables = {};
  if (existsSync(join(i18n, 'messages.en.ts'))) {
    tables.en = (await import(pathToFileURL(join(i18n, 'messages.en.ts')).href)).en;
    for (const f of readdirSync(i18n).filter((n) => /^[a-z]{2}(-[a-z]+)?\.ts$/.test(n))) {
      const mod = await import(pathToFileURL(join(i18n, f)).href);
      const table = Object.values(mod).find((v) => v && typeof v === 'object');
      tables[f.replace(/\.ts$/, '')] = table;
    }
  } else problems.push('src/shared/i18n/messages.en.ts is missing');
  for (const [lang, table] of Object.entries(tables)) {
    if (lang === 'en') continue;
    for (const [k, v] of Object.entries(tables.en)) {
      if (typeof table?.[k] !== 'string' || table[k] === '') problems.push(`src/shared/i18n/${lang}.ts: no "${k}"`);
      else if (placeholders(table[k]) !== placeholders(v)) problems.push(`src/shared/i18n/${lang}.ts: "${k}": placeholders {${placeholders(table[k])}}, English has {${placeholders(v)}}`);
    }
    for (const k of Object.keys(table ?? {})) if (!(k in tables.en)) problems.push(`src/shared/i18n/${lang}.ts: "${k}" is not in the English table`);
  }

  // 5: the webview
  for (const file of walk(join(root, 'src/webview'))) {
    if (file.endsWith(`${sep}i18n.ts`)) continue;
    const src = stripComments(readFileSync(file, 'utf8'));
    for (const lit of stringLiterals(src)) {
      const lineText = src.split('\n')[lit.line - 1];
      if (/^\s*(import|export \* from|export \{[^}]*\} from)\b/.test(lineText) || lineText.includes('l10n-ignore')) continue;
      // a class attribute's value is CSS class names, not text
      if (/\bclass:\s*$/.test(src.slice(Math.max(0, lit.index - 12), lit.index))) continue;
      if (looksEnglish(lit.text)) problems.push(`${rel(file)}:${lit.line}: English literal "${lit.text.slice(0, 60)}" outside the string table (src/shared/i18n/dashboard.en.ts)`);
    }
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = new URL('..', import.meta.url).pathname;
  checkL10n(root).then((problems) => {
    if (problems.length) {
      console.error(`Localization check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    console.log('l10n ok');
  });
}
