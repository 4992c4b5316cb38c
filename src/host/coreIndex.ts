import { promises as fsp } from 'node:fs';
import type { Database } from 'sql.js';
import { discoverRoots, type Roots } from '../core/discovery';
import { Indexer } from '../core/ingest/indexer';
import { openIndexDatabase, saveIndexDatabase } from '../core/store/persist';
import { loadSqlJs } from '../core/store/sqljs';
import { SCHEMA_VERSION } from '../core/store/schema';
import type { Logger } from '../core/types';
import type { CoreIndexApi, DiscoveredRoots, IndexerHandle } from './indexApi';

export interface CoreIndexOptions {
  /** dist/sql-wasm.wasm inside the extension */
  wasmPath: string;
  /** dist/ingest-worker.js inside the extension: parsing runs in worker threads, off the host's event loop */
  workerScript: string;
  env: Record<string, string | undefined>;
  home: string;
  logger: Logger;
}

/** The real core behind the usage service's `CoreIndexApi` seam. */
export function createCoreIndex(o: CoreIndexOptions): CoreIndexApi {
  const sql = () => loadSqlJs(o.wasmPath);
  return {
    async discover(claudeDirs, codexDirs): Promise<DiscoveredRoots> {
      const roots = discoverRoots({ env: o.env, home: o.home, claudeDirs, codexDirs });
      return {
        claudeDirs: roots.claude.map((r) => r.projectsDir),
        codexDirs: roots.codex.flatMap((r) => [r.sessionsDir, r.archivedDir].filter((d): d is string => !!d)),
        notes: roots.notes,
        searched: roots.searched,
        raw: roots,
      };
    },

    async openWritable(path) {
      const opened = openIndexDatabase(await sql(), path, o.logger);
      return { db: opened.db, notes: opened.rebuiltReason ? [`The usage index ${opened.rebuiltReason}.`] : [] };
    },

    async openReadOnly(path) {
      let bytes: Buffer;
      try {
        bytes = await fsp.readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      const db = new (await sql()).Database(bytes);
      try {
        const v = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
        if (v !== SCHEMA_VERSION) throw new Error(`index schema ${v}, this AgentMeter reads ${SCHEMA_VERSION}`);
      } catch (e) {
        db.close();
        throw e;
      }
      return db;
    },

    async save(db, path) {
      saveIndexDatabase(db, path);
    },

    createIndexer(db: Database, roots: DiscoveredRoots, logger: Logger): IndexerHandle {
      const indexer = new Indexer({ db, roots: roots.raw as Roots, logger, workerScript: o.workerScript });
      return {
        refresh: (onProgress) => indexer.refresh({ onProgress, newestFirst: true }),
        dispose: () => indexer.dispose(),
      };
    },

    isEmpty(db) {
      return Number(db.exec('SELECT COUNT(*) FROM files')[0]?.values[0]?.[0] ?? 0) === 0;
    },
  };
}
