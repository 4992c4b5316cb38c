// The benchmark corpus: generated deterministically (fixed seed) into .bench/corpus-<hash>/ and reused while the
// seed, sizes and generator sources are unchanged. Layout: claude/projects/... (a CLAUDE_CONFIG_DIR) and
// codex/sessions/... (a CODEX_HOME). manifest.json holds sizes, line statistics and the ground-truth totals.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClaude } from './claudeCorpus.mjs';
import { generateCodex } from './codexCorpus.mjs';
import { createRng } from './prng.mjs';
import { createTextPool } from './textPool.mjs';

const GENERATOR_FILES = ['prng.mjs', 'textPool.mjs', 'chunkWriter.mjs', 'claudeLines.mjs', 'claudeCorpus.mjs', 'codexCorpus.mjs', 'corpus.mjs'];
export const DEFAULT_SEED = 20260601;
/** Corpus time span: 60 days ending 2026-06-01 UTC (fixed, so the corpus does not depend on today's date). */
export const CORPUS_START_MS = Date.UTC(2026, 3, 2);
export const CORPUS_DAYS = 60;

/**
 * @param {{ baseDir: string, seed?: number, claudeBytes?: number, codexBytes?: number, log?: (s: string) => void }} o
 * @returns {{ dir: string, claudeDir: string, codexDir: string, manifest: any, generated: boolean }}
 */
export function ensureCorpus(o) {
  const seed = o.seed ?? DEFAULT_SEED;
  const claudeBytes = o.claudeBytes ?? 850_000_000;
  const codexBytes = o.codexBytes ?? 200_000_000;
  const log = o.log ?? (() => {});
  const here = new URL('.', import.meta.url).pathname;
  const h = createHash('sha256').update(JSON.stringify({ seed, claudeBytes, codexBytes, CORPUS_START_MS, CORPUS_DAYS }));
  for (const f of GENERATOR_FILES) h.update(readFileSync(join(here, f)));
  const id = h.digest('hex').slice(0, 12);
  const dir = join(o.baseDir, `corpus-${id}`);
  const result = (manifest, generated) => ({ dir, claudeDir: join(dir, 'claude'), codexDir: join(dir, 'codex'), manifest, generated });
  if (existsSync(join(dir, 'manifest.json'))) return result(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), false);

  // stale corpora of other generator versions are removed (they are ~1 GB each)
  mkdirSync(o.baseDir, { recursive: true });
  for (const name of readdirSync(o.baseDir)) if (name.startsWith('corpus-')) rmSync(join(o.baseDir, name), { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  log(`generating corpus (seed ${seed}, ${(claudeBytes / 1e6).toFixed(0)} MB Claude + ${(codexBytes / 1e6).toFixed(0)} MB Codex) into ${dir} …`);
  const t0 = performance.now();
  const rng = createRng(seed);
  const claude = generateClaude({ rng, pool: createTextPool(rng), root: join(tmp, 'claude'), targetBytes: claudeBytes, startMs: CORPUS_START_MS, days: CORPUS_DAYS });
  const t1 = performance.now();
  const rng2 = createRng(seed ^ 0x5eed5eed);
  const codex = generateCodex({ rng: rng2, pool: createTextPool(rng2), root: join(tmp, 'codex'), targetBytes: codexBytes, startMs: CORPUS_START_MS, days: CORPUS_DAYS });
  const t2 = performance.now();
  const manifest = {
    seed, claudeBytes, codexBytes, startMs: CORPUS_START_MS, days: CORPUS_DAYS,
    generateSeconds: { claude: (t1 - t0) / 1000, codex: (t2 - t1) / 1000 },
    claude, codex,
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  renameSync(tmp, dir);
  return result(manifest, true);
}
