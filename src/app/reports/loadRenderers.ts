/**
 * The renderers (exceljs, jsPDF: ~2 MB minified) live in a bundle of their own, `dist/report-render.js`, loaded
 * when a report is written: the CLI and the index worker share that one copy (the VSIX stays small) and neither
 * pays for it at start. From the sources (tests under tsx) the module itself is loaded.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type Renderers = typeof import('./render');

let loaded: Renderers | undefined;

export function loadRenderers(): Renderers {
  if (!loaded) {
    const fromSources = __filename.endsWith('.ts');
    const file = fromSources ? join(__dirname, 'render', 'index.ts') : join(__dirname, 'report-render.js');
    loaded = createRequire(__filename)(file) as Renderers;
  }
  return loaded;
}
