import type { Database, Statement } from 'sql.js';
import type { Dims } from '../types';

/**
 * Maps (source, model, project, session, branch, tier) to its `dims.id`, inserting new tuples. Tuples are looked up
 * when first used (by the table's index on the session's last 8 characters, schema 12: a few rows per session, rarely
 * another session's with the same ending), not all read up front: a
 * refresh that reads one appended line costs one lookup, not a read of every dim of history. The table has no UNIQUE
 * index since schema 10 (a second copy of every tuple's text): this lookup before each insert keeps the tuples
 * distinct, as the index's only writer does it inside the refresh's transaction.
 */
export class DimCache {
  private readonly ids = new Map<string, number>();
  private readonly places = new Map<number, string>();
  private insert: Statement | undefined;
  private select: Statement | undefined;
  private selectPlace: Statement | undefined;

  /**
   * The table was empty when this cache was made (a first index): a tuple not in `ids` is not in the table either (this
   * cache is its only writer while it lives, in the refresh's transaction), so it is inserted without a lookup.
   */
  private readonly startedEmpty: boolean;

  constructor(private readonly db: Database) {
    this.startedEmpty = Number(db.exec('SELECT EXISTS (SELECT 1 FROM dims)')[0]?.values[0]?.[0] ?? 0) === 0;
  }

  idOf(d: Dims): number {
    const key = `${d.source}\u0000${d.model}\u0000${d.project}\u0000${d.session}\u0000${d.branch}\u0000${d.tier}`;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    const values = [d.source, d.model, d.project, d.session, d.branch, d.tier];
    // looked up first (by the index on the session's last 8 characters, schema 12), inserted when not there: the table
    // has no UNIQUE index to conflict on; a table that was empty when this cache started (a first index) has only the
    // rows this cache inserted, all in `ids`
    if (!this.startedEmpty) {
      this.select ??= this.db.prepare(
        'SELECT id FROM dims WHERE substr(session, -8) = substr(?1, -8) AND session = ?1 AND source = ? AND model = ? AND project = ? AND branch = ? AND tier = ?',
      );
      this.select.bind([d.session, d.source, d.model, d.project, d.branch, d.tier]);
      if (this.select.step()) id = Number(this.select.get()[0]);
      this.select.reset();
    }
    if (id === undefined) {
      this.insert ??= this.db.prepare('INSERT INTO dims (source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?) RETURNING id');
      this.insert.bind(values);
      if (this.insert.step()) id = Number(this.insert.get()[0]);
      this.insert.reset();
    }
    if (id === undefined) throw new Error('dims: a tuple neither inserted nor found');
    this.ids.set(key, id); // found or inserted: looked up once per cache
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

  free(): void {
    this.insert?.free();
    this.select?.free();
    this.selectPlace?.free();
    this.insert = this.select = this.selectPlace = undefined;
  }
}
