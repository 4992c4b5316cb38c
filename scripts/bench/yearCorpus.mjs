// The one-year corpus for `npm run bench -- --year`: generated deterministically into .bench/year-<key>-<end day>/
// and reused. The key covers the seed, the scale, the shape (YEAR_SHAPE) and the generator sources; the end day
// (yesterday, local time, when generated) is in the folder name and the manifest. An existing corpus of the same key
// is reused whatever its end day unless `fresh` asks for one ending yesterday. Layout as corpus.mjs: claude/projects/…
// (a CLAUDE_CONFIG_DIR), codex/sessions/… (a CODEX_HOME), manifest.json with statistics and the ground truth.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from './prng.mjs';
import { createTextPool } from './textPool.mjs';
import { YEAR_SHAPE, yearDays, yesterdayLocal } from './yearCalendar.mjs';
import { generateYearClaude } from './yearClaude.mjs';
import { generateYearCodex } from './yearCodex.mjs';

const GENERATOR_FILES = ['prng.mjs', 'textPool.mjs', 'chunkWriter.mjs', 'claudeLines.mjs', 'claudeTruth.mjs', 'claudeCorpus.mjs', 'codexCorpus.mjs',
  'yearCalendar.mjs', 'yearClaude.mjs', 'yearCodex.mjs', 'yearCorpus.mjs'];
export const YEAR_SEED = 20261214;

/**
 * @param {{ baseDir: string, seed?: number, scale?: number, endDay?: string, fresh?: boolean, log?: (s: string) => void }} o
 *   endDay: 'YYYY-MM-DD' (default yesterday, local); given explicitly, only a corpus ending that day is reused.
 */
export function ensureYearCorpus(o) {
  const seed = o.seed ?? YEAR_SEED;
  const scale = o.scale ?? 1;
  const log = o.log ?? (() => {});
  const here = new URL('.', import.meta.url).pathname;
  const h = createHash('sha256').update(JSON.stringify({ seed, scale, YEAR_SHAPE }));
  for (const f of GENERATOR_FILES) h.update(readFileSync(join(here, f)));
  const key = h.digest('hex').slice(0, 12);
  const prefix = `year-${key}-`;
  const result = (dir, manifest, generated) => ({ dir, claudeDir: join(dir, 'claude'), codexDir: join(dir, 'codex'), manifest, generated });
  mkdirSync(o.baseDir, { recursive: true });
  const existing = readdirSync(o.baseDir).filter((n) => n.startsWith(prefix) && !n.includes('.tmp-') && existsSync(join(o.baseDir, n, 'manifest.json'))).sort();
  const endDay = o.endDay ?? yesterdayLocal();
  const reusable = o.endDay || o.fresh ? existing.filter((n) => n === `${prefix}${endDay}`) : existing.slice(-1);
  if (reusable.length) {
    const dir = join(o.baseDir, reusable[0]);
    return result(dir, JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), false);
  }

  // year corpora of the same scale from other keys or end days, and half-written ones, are removed (~3 GB each)
  for (const name of readdirSync(o.baseDir).filter((n) => n.startsWith('year-'))) {
    let stale = name.includes('.tmp-') || name.startsWith(prefix);
    try {
      stale ||= JSON.parse(readFileSync(join(o.baseDir, name, 'manifest.json'), 'utf8')).scale === scale;
    } catch {
      stale = true;
    }
    if (stale) rmSync(join(o.baseDir, name), { recursive: true, force: true });
  }
  const dir = join(o.baseDir, `${prefix}${endDay}`);
  const tmp = `${dir}.tmp-${process.pid}`;
  const days = yearDays(endDay, scale);
  log(`generating the one-year corpus (seed ${seed}, scale ${scale}, ${days[0].day} … ${endDay}) into ${dir} …`);
  const t0 = performance.now();
  const rng = createRng(seed);
  const claude = generateYearClaude({ rng, pool: createTextPool(rng, 1_000_000), root: join(tmp, 'claude'), days });
  const t1 = performance.now();
  const rng2 = createRng(seed ^ 0x5eed5eed);
  const codex = generateYearCodex({ rng: rng2, pool: createTextPool(rng2, 1_000_000), root: join(tmp, 'codex'), days });
  const t2 = performance.now();
  const manifest = {
    kind: 'year', seed, scale, shape: YEAR_SHAPE, startDay: days[0].day, endDay,
    generateSeconds: { claude: (t1 - t0) / 1000, codex: (t2 - t1) / 1000 },
    claude, codex,
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  renameSync(tmp, dir);
  return result(dir, manifest, true);
}
