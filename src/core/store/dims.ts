import type { Database, Statement } from 'sql.js';
import type { Dims } from '../types';
import { TextIds } from './strs';

/**
 * Maps (source, model, project, session, branch, tier) to its `dims.id`, inserting new tuples. Tuples are looked up
 * when first used (by the table's index on the session's last 4 characters, schema 21, 8 since schema 12: a few rows per
 * session, at a year a dozen at most with other sessions' of the same ending), not all read up front: a
 * refresh that reads one appended line costs one lookup, not a read of every dim of history. The table has no UNIQUE
 * index since schema 10 (a second copy of every tuple's text): this lookup before each insert keeps the tuples
 * distinct, as the index's only writer does it inside the refresh's transaction. Since schema 13 a row holds the ids of
 * its texts in `strs` (store/strs.ts) and its session as text.
 */
/** Tuples of one session looked up in a list; a session with more has a map of them. */
const PAIRS_MAX = 16;

export class DimCache {
  /**
   * The ids found or inserted, by session: per session its (rest, id) pairs, `rest` the id in `rests` of the tuple's
   * other texts (a session of more than PAIRS_MAX tuples, such as one no log names: a map of them). A key of all six
   * texts joined (a string of ~10 parts per tuple) held ~200 bytes of the indexing thread's heap per tuple: ~14 MB at
   * a year of every source's 70k sessions, against ~50 bytes so.
   */
  private readonly ids = new Map<string, number[] | Map<number, number>>();
  /** source, model, project, branch and tier of the tuples seen, joined, to a small id (a few hundred of them) */
  private readonly rests = new Map<string, number>();
  private readonly places = new Map<number, string>();
  private readonly strs: TextIds;
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
    this.strs = new TextIds(db, 'strs');
  }

  /**
   * The id in `strs` of a text, inserted when new: for the other texts a refresh interns (store/fileRows.ts), through
   * this cache's TextIds, the table's one writer in the refresh's transaction.
   */
  textId(s: string): number {
    return this.strs.idOf(s);
  }

  idOf(d: Dims): number {
    const restKey = `${d.source}\u0000${d.model}\u0000${d.project}\u0000${d.branch}\u0000${d.tier}`;
    let rest = this.rests.get(restKey);
    if (rest === undefined) {
      rest = this.rests.size;
      this.rests.set(restKey, rest);
    }
    const held = this.ids.get(d.session);
    if (held instanceof Map) {
      const found = held.get(rest);
      if (found !== undefined) return found;
    } else if (held) for (let i = 0; i < held.length; i += 2) if (held[i] === rest) return held[i + 1];
    let id: number | undefined;
    // looked up first (by the index on the session's last 4 characters, schema 21; 8 since schema 12), inserted when not there: the table
    // has no UNIQUE index to conflict on; a table that was empty when this cache started (a first index) has only the
    // rows this cache inserted, all in `ids`; a text not in `strs` yet is in no row either
    const texts = [d.source, d.model, d.project, d.branch, d.tier];
    if (!this.startedEmpty) {
      const found = texts.map((t) => this.strs.find(t));
      if (!found.includes(undefined)) {
        this.select ??= this.db.prepare(
          'SELECT id FROM dims WHERE substr(session, -4) = substr(?1, -4) AND session = ?1 AND source_id = ? AND model_id = ? AND project_id = ? AND branch_id = ? AND tier_id = ?',
        );
        this.select.bind([d.session, ...(found as number[])]);
        if (this.select.step()) id = Number(this.select.get()[0]);
        this.select.reset();
      }
    }
    if (id === undefined) {
      const [s, m, p, b, t] = texts.map((x) => this.strs.idOf(x));
      this.insert ??= this.db.prepare('INSERT INTO dims (source_id, model_id, project_id, session, branch_id, tier_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id');
      this.insert.bind([s, m, p, d.session, b, t]);
      if (this.insert.step()) id = Number(this.insert.get()[0]);
      this.insert.reset();
    }
    if (id === undefined) throw new Error('dims: a tuple neither inserted nor found');
    // found or inserted: looked up once per cache
    if (held instanceof Map) held.set(rest, id);
    else if (!held) this.ids.set(d.session, [rest, id]);
    else if (held.length < 2 * PAIRS_MAX) held.push(rest, id);
    else {
      const byRest = new Map<number, number>([[rest, id]]);
      for (let i = 0; i < held.length; i += 2) byRest.set(held[i], held[i + 1]);
      this.ids.set(d.session, byRest);
    }
    return id;
  }

  /**
   * The order of a dims row's log file among others of its source: project, then session (a Claude transcript's path is
   * `<project>/<session>.jsonl`, its subagents' files under `<session>/`). '' for an unknown id.
   */
  placeOf(id: number): string {
    let place = this.places.get(id);
    if (place !== undefined) return place;
    this.selectPlace ??= this.db.prepare('SELECT project_id, session FROM dims WHERE id = ?');
    this.selectPlace.bind([id]);
    if (this.selectPlace.step()) {
      const [project, session] = this.selectPlace.get();
      place = `${this.strs.textOf(Number(project))}\u0000${String(session)}`;
    } else place = '';
    this.selectPlace.reset();
    this.places.set(id, place);
    return place;
  }

  free(): void {
    this.insert?.free();
    this.select?.free();
    this.selectPlace?.free();
    this.strs.free();
    this.insert = this.select = this.selectPlace = undefined;
  }
}
