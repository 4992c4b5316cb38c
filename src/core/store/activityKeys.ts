import type { Database, Statement } from 'sql.js';

/**
 * The activity keys (core/activity.ts: `coding`, `mcp:<server>`, `subagent/exploring`, …) by their `act_keys` id
 * (schema 6). Id 0 is '' (unknown: usage indexed before activity was recorded, or a source that does not log tools).
 * A few dozen keys at most: each is looked up once per run and kept.
 */
export class ActivityKeys {
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly names = new Map<number, string>([[0, '']]);
  private sel: Statement | undefined;
  private byId: Statement | undefined;
  private ins: Statement | undefined;

  constructor(private readonly db: Database) {}

  /** The id of an activity key, inserting it when new. */
  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id !== undefined) return id;
    this.sel ??= this.db.prepare('SELECT id FROM act_keys WHERE name = ?');
    this.sel.bind([name]);
    if (this.sel.step()) id = Number(this.sel.get()[0]);
    this.sel.reset();
    if (id === undefined) {
      this.ins ??= this.db.prepare('INSERT INTO act_keys (name) VALUES (?) RETURNING id');
      this.ins.bind([name]);
      this.ins.step();
      id = Number(this.ins.get()[0]);
      this.ins.reset();
    }
    this.ids.set(name, id);
    this.names.set(id, name);
    return id;
  }

  /** The activity key of an id ('' for an id the table does not hold). */
  nameOf(id: number): string {
    let name = this.names.get(id);
    if (name !== undefined) return name;
    this.byId ??= this.db.prepare('SELECT name FROM act_keys WHERE id = ?');
    this.byId.bind([id]);
    name = this.byId.step() ? String(this.byId.get()[0]) : '';
    this.byId.reset();
    this.names.set(id, name);
    if (name !== '') this.ids.set(name, id);
    return name;
  }

  free(): void {
    this.sel?.free();
    this.byId?.free();
    this.ins?.free();
    this.sel = this.byId = this.ins = undefined;
  }
}
