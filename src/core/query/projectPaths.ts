import type { Database } from 'sql.js';
import { inTransaction } from './inTransaction';

/**
 * The display path of a project key, as the map built from `loadProjects` gives it (`project` → display path, the
 * last source's in source order when both sources use the key; the key itself when no path is known; undefined for
 * a key no dim has) — what per-project budgets match against — without reading every dim on each call.
 * Which sources use a key comes from the dims, read once per database and then only the dims added since (dims are
 * only ever inserted; those read inside an open transaction are used but not kept, see recentFacts.ts). The display
 * paths themselves (one row per project) are read on each call.
 */
interface KeptSources {
  /** project key → the sources whose dims use it */
  sources: Map<string, Set<string>>;
  maxId: number;
}

const kept = new WeakMap<Database, KeptSources>();

export function projectDisplayPaths(db: Database): (project: string) => string | undefined {
  const sources = sourcesByProject(db);
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

function sourcesByProject(db: Database): Map<string, Set<string>> {
  const maxId = Number(db.exec('SELECT COALESCE(MAX(id), 0) FROM dims')[0]?.values[0]?.[0] ?? 0);
  let k = kept.get(db);
  if (k && maxId < k.maxId) k = undefined; // the table shrank: start over
  if (!k) {
    // every (source, project) once, then the largest id they were read up to
    const all = db.exec('SELECT DISTINCT source, project FROM dims')[0]?.values ?? [];
    const fresh: KeptSources = { sources: new Map(), maxId: 0 };
    add(fresh.sources, all);
    if (inTransaction(db)) return fresh.sources;
    fresh.maxId = maxId;
    kept.set(db, fresh);
    return fresh.sources;
  }
  if (maxId === k.maxId) return k.sources;
  const added = db.exec('SELECT source, project FROM dims WHERE id > ? ORDER BY id', [k.maxId])[0]?.values ?? [];
  if (inTransaction(db)) {
    const merged = new Map([...k.sources].map(([p, s]) => [p, new Set(s)]));
    add(merged, added);
    return merged;
  }
  add(k.sources, added);
  k.maxId = maxId;
  return k.sources;
}

function add(into: Map<string, Set<string>>, rows: readonly unknown[][]): void {
  for (const [s, p] of rows) {
    const key = String(p);
    let set = into.get(key);
    if (!set) into.set(key, (set = new Set()));
    set.add(String(s));
  }
}
