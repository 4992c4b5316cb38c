import type { Database } from 'sql.js';
import { committedDims } from './committedDims';

/**
 * The display path of a project key, as the map built from `loadProjects` gives it (`project` → display path, the
 * last source's in source order when both sources use the key; the key itself when no path is known; undefined for
 * a key no dim has) — what per-project budgets match against — without reading every dim on each call.
 * Which sources use a key comes from the dims (the per-database cache, committedDims.ts); the display paths themselves
 * (one row per project) are read on each call.
 */
export function projectDisplayPaths(db: Database): (project: string) => string | undefined {
  const sources = new Map<string, Set<string>>();
  for (const d of committedDims(db).values()) {
    let set = sources.get(d.project);
    if (!set) {
      set = new Set();
      sources.set(d.project, set);
    }
    set.add(d.source);
  }
  const paths = new Map<string, string>();
  for (const [s, p, d] of db.exec('SELECT source, project, display_path FROM projects')[0]?.values ?? []) {
    paths.set(`${String(s)}\u0000${String(p)}`, String(d));
  }
  return (project) => {
    const of = sources.get(project);
    if (!of) return undefined;
    const last = [...of].sort().at(-1)!; // loadProjects orders by source: the last one's path wins
    return paths.get(`${last}\u0000${project}`) ?? project;
  };
}

/**
 * The `loadProjects` list as a map (`source` NUL `project` → display path, the key itself when no path is known), with
 * the (source, project) pairs taken from the kept dims (committedDims.ts) instead of a DISTINCT over every dims row:
 * the dashboard's project labels, read once per data change.
 */
export function projectLabels(db: Database): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [s, p, d] of db.exec('SELECT source, project, display_path FROM projects')[0]?.values ?? []) {
    paths.set(`${String(s)}\u0000${String(p)}`, String(d));
  }
  const labels = new Map<string, string>();
  for (const d of committedDims(db).values()) {
    const key = `${d.source}\u0000${d.project}`;
    if (!labels.has(key)) labels.set(key, paths.get(key) ?? d.project);
  }
  return labels;
}
