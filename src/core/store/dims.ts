import type { Database, Statement } from 'sql.js';
import type { Dims } from '../types';

/** Maps (source, model, project, session, branch, tier) to its `dims.id`, inserting new tuples. */
export class DimCache {
  private readonly ids = new Map<string, number>();
  private insert: Statement | undefined;

  constructor(private readonly db: Database) {
    const res = db.exec('SELECT id, source, model, project, session, branch, tier FROM dims');
    for (const [id, ...rest] of res[0]?.values ?? []) this.ids.set(rest.join('\u0000'), Number(id));
  }

  idOf(d: Dims): number {
    const key = `${d.source}\u0000${d.model}\u0000${d.project}\u0000${d.session}\u0000${d.branch}\u0000${d.tier}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      this.insert ??= this.db.prepare('INSERT INTO dims (source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?) RETURNING id');
      this.insert.bind([d.source, d.model, d.project, d.session, d.branch, d.tier]);
      this.insert.step();
      id = Number(this.insert.get()[0]);
      this.insert.reset();
      this.ids.set(key, id);
    }
    return id;
  }

  free(): void {
    this.insert?.free();
    this.insert = undefined;
  }
}
