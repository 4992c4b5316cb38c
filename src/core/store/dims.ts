import type { Database, Statement } from 'sql.js';
import type { Dims } from '../types';

/**
 * Maps (source, model, project, session, branch, tier, activity) to its `dims.id`, inserting new tuples. Tuples are
 * looked up when first used (the table's UNIQUE index), not all read up front: a refresh that reads one appended line
 * costs one lookup, not a read of every dim of history. A missing `activity` is '' (unknown, core/activity.ts).
 */
export class DimCache {
  private readonly ids = new Map<string, number>();
  private readonly places = new Map<number, string>();
  /** the tuples of the ids looked up or read by id (withActivity) */
  private readonly tuples = new Map<number, Required<Dims>>();
  private insert: Statement | undefined;
  private select: Statement | undefined;
  private selectPlace: Statement | undefined;
  private byId: Statement | undefined;

  constructor(private readonly db: Database) {}

  idOf(d: Dims): number {
    const activity = d.activity ?? '';
    const key = `${d.source}\u0000${d.model}\u0000${d.project}\u0000${d.session}\u0000${d.branch}\u0000${d.tier}\u0000${activity}`;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    const values = [d.source, d.model, d.project, d.session, d.branch, d.tier, activity];
    this.select ??= this.db.prepare('SELECT id FROM dims WHERE source = ? AND model = ? AND project = ? AND session = ? AND branch = ? AND tier = ? AND activity = ?');
    this.select.bind(values);
    if (this.select.step()) id = Number(this.select.get()[0]);
    this.select.reset();
    if (id === undefined) {
      this.insert ??= this.db.prepare('INSERT INTO dims (source, model, project, session, branch, tier, activity) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id');
      this.insert.bind(values);
      this.insert.step();
      id = Number(this.insert.get()[0]);
      this.insert.reset();
    }
    this.ids.set(key, id);
    this.tuples.set(id, { source: d.source, model: d.model, project: d.project, session: d.session, branch: d.branch, tier: d.tier, activity });
    return id;
  }

  /**
   * The order of a dims row's log file among others of its source: project, then session (a Claude transcript's path is
   * `<project>/<session>.jsonl`, its subagents' files under `<session>/`). '' for an unknown id.
   */
  placeOf(id: number): string {
    let place = this.places.get(id);
    if (place !== undefined) return place;
    this.selectPlace ??= this.db.prepare('SELECT project, session FROM dims WHERE id = ?');
    this.selectPlace.bind([id]);
    place = this.selectPlace.step() ? (this.selectPlace.get() as string[]).join('\u0000') : '';
    this.selectPlace.reset();
    this.places.set(id, place);
    return place;
  }

  /** The tuple of a dims id (undefined for an id the table does not hold). */
  tupleOf(id: number): Required<Dims> | undefined {
    let t = this.tuples.get(id);
    if (t) return t;
    this.byId ??= this.db.prepare('SELECT source, model, project, session, branch, tier, activity FROM dims WHERE id = ?');
    this.byId.bind([id]);
    if (this.byId.step()) {
      const v = this.byId.get();
      t = { source: String(v[0]), model: String(v[1]), project: String(v[2]), session: String(v[3]), branch: String(v[4]), tier: v[5] as Dims['tier'], activity: String(v[6]) };
      this.tuples.set(id, t);
    }
    this.byId.reset();
    return t;
  }

  /** The activity of a dims id ('' when unknown). */
  activityOf(id: number): string {
    return this.tupleOf(id)?.activity ?? '';
  }

  /** The id of the same tuple as `id` with another activity. */
  withActivity(id: number, activity: string): number {
    const t = this.tupleOf(id);
    if (!t || t.activity === activity) return id;
    return this.idOf({ ...t, activity });
  }

  free(): void {
    this.insert?.free();
    this.select?.free();
    this.selectPlace?.free();
    this.byId?.free();
    this.insert = this.select = this.selectPlace = this.byId = undefined;
  }
}
