// The add-on corpus of `npm run bench -- --year --mix`: a year of every other source AgentMeter reads, beside the
// Claude/Codex year corpus (yearCorpus.mjs, reused untouched), generated deterministically once into
// .bench/mix-<key>-<end day>/ and reused. `home/` is a HOME-like tree where each source's default discovery finds
// its logs (env {}, platform linux):
//   home/.gemini/tmp/<project>/chats/session-*.jsonl            Gemini CLI   (~60k calls)
//   home/.qwen/projects/<cwd>/chats/<session>.jsonl             Qwen Code    (~20k calls)
//   home/.config/Code/User/globalStorage/<ext id>/tasks/<id>/   Cline, Roo Code (~15k requests each, ~10 a task)
//   home/.copilot/session-state/<id>/events.jsonl               Copilot CLI  (~3k sessions)
//   home/.local/share/opencode/opencode.db                      OpenCode     (~40k assistant messages, 1–3 steps each)
// spread over the same 365 days (yearCalendar.mjs: heavy weekdays, light weekends, working hours) in proportion to
// each day's Claude calls. manifest.json holds the ground truth per source (requests and token sums in AgentMeter's
// conventions), computed by the generators from what they write.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { writeCopilotYear } from './mixCopilot.mjs';
import { writeGeminiYear, writeQwenYear } from './mixGemini.mjs';
import { planOpencodeYear } from './mixOpencode.mjs';
import { writeClineYear, writeRooYear } from './mixTaskLogs.mjs';
import { emptyTruth, MIX_SOURCES, perDay } from './mixTruth.mjs';
import { createRng } from './prng.mjs';
import { createTextPool } from './textPool.mjs';
import { yearDays } from './yearCalendar.mjs';

/** Items per source over the year at scale 1 (calls; Copilot CLI: sessions; OpenCode: assistant messages). */
export const MIX_SHAPE = { gemini: 60_000, qwen: 20_000, cline: 15_000, roo: 15_000, copilotCliSessions: 3_000, opencodeMessages: 40_000 };
const GENERATOR_FILES = ['prng.mjs', 'textPool.mjs', 'yearCalendar.mjs', 'mixTruth.mjs', 'mixGemini.mjs', 'mixTaskLogs.mjs', 'mixCopilot.mjs', 'mixOpencode.mjs', 'mixOpencodeDb.ts', 'mixCorpus.mjs'];
export const MIX_SEED = 20261206;

/**
 * @param {{ baseDir: string, endDay: string, seed?: number, scale?: number, log?: (s: string) => void }} o
 *   endDay: the last day of the Claude/Codex year it goes with ('YYYY-MM-DD', local).
 */
export async function ensureMixCorpus(o) {
  const seed = o.seed ?? MIX_SEED;
  const scale = o.scale ?? 1;
  const log = o.log ?? (() => {});
  const here = new URL('.', import.meta.url).pathname;
  const h = createHash('sha256').update(JSON.stringify({ seed, scale, MIX_SHAPE }));
  for (const f of GENERATOR_FILES) h.update(readFileSync(join(here, f)));
  const prefix = `mix-${h.digest('hex').slice(0, 12)}-`;
  const name = `${prefix}${o.endDay}`;
  const dir = join(o.baseDir, name);
  const result = (manifest, generated) => ({ dir, home: join(dir, 'home'), manifest, generated });
  mkdirSync(o.baseDir, { recursive: true });
  if (existsSync(join(dir, 'manifest.json'))) return result(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), false);
  // other mix corpora of this scale (other keys or end days) and half-written ones are removed; never anything else
  for (const n of readdirSync(o.baseDir).filter((x) => x.startsWith('mix-'))) {
    let stale = n.includes('.tmp-');
    try {
      stale ||= JSON.parse(readFileSync(join(o.baseDir, n, 'manifest.json'), 'utf8')).scale === scale;
    } catch {
      stale = true;
    }
    if (stale) rmSync(join(o.baseDir, n), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  const home = join(tmp, 'home');
  const days = yearDays(o.endDay, scale);
  log(`generating the add-on year of the other sources (seed ${seed}, scale ${scale}, ${days[0].day} … ${o.endDay}) into ${dir} …`);
  const truth = Object.fromEntries(MIX_SOURCES.map((s) => [s, emptyTruth()]));
  const seconds = {};
  const timed = async (source, f) => {
    const t0 = performance.now();
    await f();
    seconds[source] = (performance.now() - t0) / 1000;
  };
  // one generator each, each from its own seed: changing one source's writer leaves the others' bytes as they were
  const gen = (k) => {
    const rng = createRng((seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
    return { rng, pool: createTextPool(rng, 300_000), home, days, truth: truth[MIX_SOURCES[k]] };
  };
  await timed('gemini', () => writeGeminiYear({ ...gen(0), callsByDay: perDay(days, MIX_SHAPE.gemini, scale) }));
  await timed('qwen', () => writeQwenYear({ ...gen(1), callsByDay: perDay(days, MIX_SHAPE.qwen, scale) }));
  let clineTasks = [];
  await timed('cline', () => (clineTasks = writeClineYear({ ...gen(2), callsByDay: perDay(days, MIX_SHAPE.cline, scale) })));
  await timed('roo', () => writeRooYear({ ...gen(3), callsByDay: perDay(days, MIX_SHAPE.roo, scale) }));
  await timed('copilot-cli', () => writeCopilotYear({ ...gen(4), sessionsByDay: perDay(days, MIX_SHAPE.copilotCliSessions, scale) }));
  await timed('opencode', async () => {
    const g = gen(5);
    const sessions = planOpencodeYear({ ...g, messagesByDay: perDay(days, MIX_SHAPE.opencodeMessages, scale) });
    const dbDir = join(home, '.local', 'share', 'opencode');
    mkdirSync(dbDir, { recursive: true });
    const { buildOpencodeDb } = await opencodeWriter(o.baseDir);
    g.truth.bytes += await buildOpencodeDb(join(dbDir, 'opencode.db'), sessions);
    g.truth.files++;
  });
  const rel = (p) => p.slice(tmp.length + 1);
  const manifest = {
    kind: 'year-mix', seed, scale, shape: MIX_SHAPE, startDay: days[0].day, endDay: o.endDay, generateSeconds: seconds, truth,
    // the bench's per-change measurements: the largest Gemini session log, and a Cline task of the last day
    targets: { gemini: rel(largest(join(home, '.gemini', 'tmp'))), cline: rel(join(clineTasks[clineTasks.length - 1], 'ui_messages.json')) },
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  renameSync(tmp, dir);
  return result(manifest, true);
}

/** mixOpencodeDb.ts bundled into the bench folder (sql.js and the fixture schema live on the TypeScript side). */
async function opencodeWriter(baseDir) {
  const out = join(baseDir, 'mix-opencode-db.cjs');
  await esbuild.build({ entryPoints: [new URL('./mixOpencodeDb.ts', import.meta.url).pathname], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  return createRequire(import.meta.url)(out);
}

/** The largest `session-*.jsonl` under a folder. */
function largest(dir) {
  let best = null, size = -1;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^session-.*\.jsonl$/.test(e.name)) {
        const s = readFileSync(p).length;
        if (s > size) [best, size] = [p, s];
      }
    }
  };
  walk(dir);
  return best;
}
