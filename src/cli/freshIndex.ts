/**
 * A new index for a CLI run: the copy of an empty index at this build's schema that the build writes beside the
 * bundle (`dist/fresh-index-<stamp>.sqlite`, scripts/build.mjs through writeFreshIndex.ts), opened instead of running
 * every migration from an empty database — those DDL statements, run by sql.js's wasm before it is optimised, took
 * ~50 ms of every cold run's start on the bench machine (~150 ms under load), opening the copy a few ms. The stamp
 * is a hash of the migrations' text, so a copy written from other migrations is never opened; without a copy (tests
 * run from the sources, a copy that cannot be read or is not this schema) the index is made by migrating as before.
 * The copy holds exactly what `freshIndexDatabase` makes (migrated, set up for incremental vacuum), plus the sources'
 * parser versions that a new index's first refresh records (store/sourceVersions.ts: on a new index it only records
 * them, but in a transaction with lookups per versioned source; with them recorded the check is one SELECT: 48-104 →
 * 31-62 ms at a cold run's start under load 9, most of what is left being SQLite's first parse of the schema); their
 * versions are in the stamp too. Nothing is written to the copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { hash53 } from '../core/hash';
import { sourceParserVersions } from '../core/ingest/indexer';
import { resetOutdatedSources } from '../core/store/sourceVersions';
import { freshIndexDatabase, sqliteHeaderProblem } from '../core/store/persist';
import { openWithRoom } from '../core/store/roomyFile';
import { MIGRATIONS, SCHEMA_VERSION, schemaVersionOf } from '../core/store/schema';

/** The file name of the empty index for these migrations and parser versions. */
export function freshIndexFileName(): string {
  const versions = [...sourceParserVersions()].map(([id, v]) => `${id}=${v}`).join(',');
  return `fresh-index-${hash53(`${MIGRATIONS.join('\n;\n')}\n;\n${versions}`).toString(36)}.sqlite`;
}

/** The bytes of an empty index at this schema, the parser versions recorded (what the build writes). */
export async function freshIndexBytes(SQL: SqlJsStatic): Promise<Uint8Array> {
  const db = freshIndexDatabase(SQL);
  try {
    await resetOutdatedSources(db, sourceParserVersions()); // nothing to take back in a new index: records the versions
    return db.export();
  } finally {
    db.close();
  }
}

/** An empty index: from the copy in `dir` when there is one for these migrations, else migrated from nothing. */
export function openFreshIndex(SQL: SqlJsStatic, dir: string): Database {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, freshIndexFileName()));
  } catch {
    return freshIndexDatabase(SQL);
  }
  if (sqliteHeaderProblem(bytes)) return freshIndexDatabase(SQL);
  const db = openWithRoom(SQL, bytes);
  try {
    if (schemaVersionOf(db) === SCHEMA_VERSION) return db;
  } catch {
    /* not a database after all: made by migrating below */
  }
  db.close();
  return freshIndexDatabase(SQL);
}
