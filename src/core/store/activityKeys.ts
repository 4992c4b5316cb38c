import type { Database } from 'sql.js';

/**
 * The activity keys (core/activity.ts: `coding`, `mcp:<server>`, `subagent/exploring`, …) by their `act_keys` id
 * (schema 6). Id 0 is '' (unknown: usage indexed before activity was recorded, or a source that does not log tools).
 * A few dozen keys at most: each is looked up once per run and kept.
 */
export class ActivityKeys {
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly names = new Map<number, string>([[0, '']]);

  constructor(private readonly db: Database) {}

  /** The id of an activity key, inserting it when new. */
  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id !== undefined) return id;
    // once per key and run: no prepared statement to keep (and free)
    this.db.run('INSERT OR IGNORE INTO act_keys (name) VALUES (?)', [name]);
    id = Number(this.db.exec('SELECT id FROM act_keys WHERE name = ?', [name])[0].values[0][0]);
    this.ids.set(name, id);
    this.names.set(id, name);
    return id;
  }

  /** The activity key of an id ('' for an id the table does not hold). */
  nameOf(id: number): string {
    let name = this.names.get(id);
    if (name !== undefined) return name;
    const v = this.db.exec('SELECT name FROM act_keys WHERE id = ?', [id])[0]?.values[0]?.[0];
    name = v === undefined || v === null ? '' : String(v);
    this.names.set(id, name);
    if (name !== '') this.ids.set(name, id);
    return name;
  }
}
