import type { Database } from 'sql.js';
import { committedDims } from './committedDims';
import type { Dim } from './dimTotals';

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
  for (const [key, project] of projectKeysOf(committedDims(db))) labels.set(key, paths.get(key) ?? project);
  return labels;
}

/**
 * The (source, project) keys of a dims map in the order of their first dims row (→ project), kept per map: the dims
 * map committedDims.ts keeps only grows (rows are only ever added, in insertion order), so only the rows added since
 * are looked at.
 */
const keysKept = new WeakMap<ReadonlyMap<number, Dim>, { seen: number; keys: Map<string, string>; projects: Map<string, Set<string>> }>();
function projectKeysOf(dims: ReadonlyMap<number, Dim>): ReadonlyMap<string, string> {
  let k = keysKept.get(dims);
  if (!k || k.seen > dims.size) {
    k = { seen: 0, keys: new Map(), projects: new Map() };
    keysKept.set(dims, k);
  }
  if (k.seen === dims.size) return k.keys;
  let i = 0;
  for (const d of dims.values()) {
    if (i++ < k.seen) continue;
    // looked up by the dims' own strings (shared per text: their hashes are kept), the key joined once per pair
    let projects = k.projects.get(d.source);
    if (!projects) {
      projects = new Set();
      k.projects.set(d.source, projects);
    }
    if (projects.has(d.project)) continue;
    projects.add(d.project);
    k.keys.set(`${d.source}\u0000${d.project}`, d.project);
  }
  k.seen = dims.size;
  return k.keys;
}
