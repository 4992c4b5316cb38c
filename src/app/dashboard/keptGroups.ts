/**
 * The sessions and projects of a range's rows (tables.ts `rangeGroups`) kept across snapshots: the same rows array
 * gives the same groups; rows read again after a data change (the kept rows are the same objects in the same order,
 * keptRows.ts, with the rows of the changed dims rows read again) give the groups of the last rows with only the
 * sessions and projects those rows touch summed again. A group none of whose rows changed has the same rows in the
 * same order, so the same sums: it is the same object. Each group's place is that of its first row, as in one pass.
 */
import type { Fact, Source } from '../../core/types';
import type { Labeler, Row } from './enrich';
import { rangeGroups, type RangeGroups } from './tables';

/** Runs of rows kept (the ranges of the last snapshots: 30 days, all time, a filter). */
const LAST_RUNS = 4;
/** How far along the last rows a row is looked for after one that is not there. */
const RESYNC = 8;
/** More rows changed than this: the groups are made again in one pass. */
const MAX_CHANGED = 16;

interface Run {
  rows: readonly Row[];
  groups: RangeGroups;
}

/** The groups of the last snapshots' rows, held by their keeper (the index engine: one per window's worker). */
export class KeptGroups {
  private runs: Run[] = [];

  /** `rangeGroups(rows, label)`, from the kept groups where they are the same. */
  of(rows: readonly Row[], label: Labeler): RangeGroups {
    const same = this.runs.find((r) => r.rows === rows);
    const run = same ?? (rows.length > 0 ? this.runs.find((r) => r.rows.slice(0, RESYNC).includes(rows[0])) : undefined);
    const kept = same ? same.groups : run && patched(run, rows, label);
    const groups = kept ? labelled(kept, rows, label) : rangeGroups(rows, label);
    this.runs = [{ rows, groups }, ...this.runs.filter((r) => r !== run).slice(0, LAST_RUNS - 1)];
    return groups;
  }
}

/** The groups with each project's label as `label` gives it now (from its first row, as `rangeGroups` labels it). */
function labelled(g: RangeGroups, rows: readonly Row[], label: Labeler): RangeGroups {
  let projects: RangeGroups['projects'] | undefined;
  g.projects.forEach((p, i) => {
    const l = label(p.project, rows[g.projectFirst[i]].f.source);
    if (l === p.label) return;
    projects ??= [...g.projects];
    projects[i] = { ...p, label: l };
  });
  return projects ? { ...g, projects } : g;
}

/** The groups of `rows` from those of the run's rows, or undefined when too many rows changed. */
function patched(run: Run, rows: readonly Row[], label: Labeler): RangeGroups | undefined {
  const old = run.rows;
  // along both: the index of each old row among the new ones (-1: gone), and the rows added or gone
  const newAt = new Int32Array(old.length).fill(-1);
  const changed: Fact[] = [];
  let j = 0;
  for (let i = 0; i < rows.length; i++) {
    if (j < old.length && old[j] === rows[i]) {
      newAt[j++] = i;
      continue;
    }
    let found = -1;
    for (let x = j + 1; x < Math.min(old.length, j + RESYNC); x++) {
      if (old[x] === rows[i]) {
        found = x;
        break;
      }
    }
    if (found < 0) changed.push(rows[i].f);
    else {
      for (; j < found; j++) changed.push(old[j].f);
      newAt[j++] = i;
    }
    if (changed.length > MAX_CHANGED) return undefined;
  }
  for (; j < old.length; j++) {
    changed.push(old[j].f);
    if (changed.length > MAX_CHANGED) return undefined;
  }
  const prev = run.groups;
  if (changed.length === 0) {
    // the same rows at other places only if some were dropped from the front (then the first indexes move)
    return { ...prev, sessionFirst: prev.sessionFirst.map((x) => newAt[x]), projectFirst: prev.projectFirst.map((x) => newAt[x]) };
  }
  const sessions: { source: Source; session: string }[] = [];
  const projects: string[] = [];
  for (const f of changed) {
    if (!sessions.some((s) => s.session === f.session && s.source === f.source)) sessions.push({ source: f.source, session: f.session });
    if (!projects.includes(f.project)) projects.push(f.project);
  }
  const touchedSession = (f: { source: Source; session: string }) => sessions.some((s) => s.session === f.session && s.source === f.source);
  const touchedProject = (project: string) => projects.includes(project);
  // the touched sessions and projects summed again over all their rows (a touched session's rows in other projects
  // are read too, and the untouched sessions of a touched project: those partial groups are dropped below)
  const again = rangeGroups(rows, label, (f) => touchedSession(f) || touchedProject(f.project));
  const out: RangeGroups = { sessions: [], projects: [], sessionFirst: [], projectFirst: [] };
  merge(
    prev.sessions.map((g, i) => ({ g, at: newAt[prev.sessionFirst[i]] })).filter((x) => !touchedSession(x.g)),
    again.sessions.map((g, i) => ({ g, at: again.sessionFirst[i] })).filter((x) => touchedSession(x.g)),
    out.sessions, out.sessionFirst,
  );
  merge(
    prev.projects.map((g, i) => ({ g, at: newAt[prev.projectFirst[i]] })).filter((x) => !touchedProject(x.g.project)),
    again.projects.map((g, i) => ({ g, at: again.projectFirst[i] })).filter((x) => touchedProject(x.g.project)),
    out.projects, out.projectFirst,
  );
  return out;
}

/** Two lists each in the order of their first rows, merged in that order. */
function merge<G>(a: readonly { g: G; at: number }[], b: readonly { g: G; at: number }[], groups: G[], first: number[]): void {
  let i = 0;
  let k = 0;
  while (i < a.length || k < b.length) {
    const x = k >= b.length || (i < a.length && a[i].at < b[k].at) ? a[i++] : b[k++];
    groups.push(x.g);
    first.push(x.at);
  }
}
