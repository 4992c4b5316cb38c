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

/** Text pool size: large enough for the ~500 KB tool results of a full corpus, small (fast) for test corpora. */
const poolSize = (bytes) => Math.max(600_000, Math.min(2_500_000, Math.round(bytes / 8)));

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

  // corpora of the same size from older generator versions, and half-written ones, are removed (~1 GB each)
  mkdirSync(o.baseDir, { recursive: true });
  for (const name of readdirSync(o.baseDir).filter((n) => n.startsWith('corpus-'))) {
    const other = join(o.baseDir, name);
    let stale = name.includes('.tmp-');
    try {
      const m = JSON.parse(readFileSync(join(other, 'manifest.json'), 'utf8'));
      stale ||= m.claudeBytes === claudeBytes && m.codexBytes === codexBytes;
    } catch {
      stale = true;
    }
    if (stale) rmSync(other, { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  log(`generating corpus (seed ${seed}, ${(claudeBytes / 1e6).toFixed(0)} MB Claude + ${(codexBytes / 1e6).toFixed(0)} MB Codex) into ${dir} …`);
  const t0 = performance.now();
  const rng = createRng(seed);
  const claude = generateClaude({ rng, pool: createTextPool(rng, poolSize(claudeBytes)), root: join(tmp, 'claude'), targetBytes: claudeBytes, startMs: CORPUS_START_MS, days: CORPUS_DAYS });
  const t1 = performance.now();
  const rng2 = createRng(seed ^ 0x5eed5eed);
  const codex = generateCodex({ rng: rng2, pool: createTextPool(rng2, poolSize(codexBytes)), root: join(tmp, 'codex'), targetBytes: codexBytes, startMs: CORPUS_START_MS, days: CORPUS_DAYS });
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
