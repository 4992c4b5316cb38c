import { join } from 'node:path';
import { rng } from '../rng';
import { codexSessionMeta, codexTokenCount, codexTurnContext, type CodexTotals } from '../ingest/helpers';
import { claudeHistory, type HistoryFile } from '../store/claudeHistory';

/**
 * Claude and Codex logs in their real formats over `days` days from `startIso`: the generated Claude history
 * (store/claudeHistory.ts: de-dup corrections within and across files, several models and tiers, `<synthetic>`
 * lines) with a git branch per session, plus Codex rollouts (cumulative token_count events, a model switch, a
 * replayed snapshot) in several projects and branches. Paths are relative to a folder holding `claude/` and `codex/`.
 */
export function mixedHistory(seed: number, startIso: string, days: number, opts: { tools?: boolean } = {}): HistoryFile[] {
  const r = rng(seed * 7 + 1);
  const branches = ['main', 'feature/x', 'fix-42', ''];
  const claude = claudeHistory(seed, startIso, days, opts).map((f, i) => ({
    ...f,
    path: join('claude', f.path),
    lines: f.lines.map((l) => l.replace('"gitBranch":"main"', `"gitBranch":"${branches[i % branches.length]}"`)),
  }));
  const codex: HistoryFile[] = [];
  const start = Date.parse(startIso);
  const iso = (t: number) => new Date(t).toISOString();
  for (let d = 0; d < days; d++) {
    if (r() < 0.35) continue;
    const from = start + d * 86_400_000 + Math.floor(r() * 20 * 3_600_000) + Math.floor(r() * 3_600_000);
    const id = `0199${String(seed).padStart(4, '0')}-${String(d).padStart(4, '0')}-cccc-dddd-eeeeffff0000`;
    const day = iso(from).slice(0, 10).split('-');
    const lines = [
      codexSessionMeta(iso(from), `/home/u/codex${Math.floor(r() * 3)}`, branches[Math.floor(r() * 3)]),
      codexTurnContext(iso(from + 1000), r() < 0.5 ? 'gpt-5-codex' : 'gpt-5'),
    ];
    const total: CodexTotals = { input: 0, cached: 0, output: 0, reasoning: 0 };
    let t = from + 60_000;
    const steps = 3 + Math.floor(r() * 25);
    for (let k = 0; k < steps; k++) {
      if (k === Math.floor(steps / 2)) lines.push(codexTurnContext(iso(t), 'gpt-5.1-codex-mini'));
      const last = { input: 2000 + Math.floor(r() * 40_000), cached: 0, output: 50 + Math.floor(r() * 4000), reasoning: 0 };
      last.cached = Math.floor(last.input * r() * 0.9);
      last.reasoning = Math.floor(last.output * r() * 0.5);
      total.input += last.input;
      total.cached += last.cached;
      total.output += last.output;
      total.reasoning += last.reasoning;
      lines.push(codexTokenCount(iso(t), { ...total }, last));
      if (r() < 0.1) lines.push(codexTokenCount(iso(t + 500), { ...total }, last)); // a replayed snapshot
      t += 30_000 + Math.floor(r() * 25 * 60_000);
    }
    codex.push({ path: join('codex', 'sessions', day[0], day[1], day[2], `rollout-${iso(from).slice(0, 19).replace(/:/g, '-')}-${id}.jsonl`), lines, lastMs: t });
  }
  return [...claude, ...codex].sort((a, b) => a.lastMs - b.lastMs);
}
