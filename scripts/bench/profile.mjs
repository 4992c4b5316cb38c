// Summarises V8 .cpuprofile files (from `node --cpu-prof`): the functions with the most self time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @returns {{ file: string, totalMs: number, top: { fn: string, ms: number, pct: number }[] }[]} */
export function summarizeProfiles(dir, topN = 15) {
  const out = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const p = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map();
    let total = 0;
    for (let i = 0; i < p.samples.length; i++) {
      const n = byId.get(p.samples[i]);
      const f = n.callFrame;
      const where = f.url ? `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : '';
      const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
      const dt = p.timeDeltas[i] ?? 0;
      self.set(key, (self.get(key) ?? 0) + dt);
      total += dt;
    }
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, topN)
      .map(([fn, us]) => ({ fn, ms: us / 1000, pct: total ? (100 * us) / total : 0 }));
    out.push({ file: name, totalMs: total / 1000, top });
  }
  return out;
}
