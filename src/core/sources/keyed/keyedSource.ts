import type { SourcePlugin } from '../plugin';
import type { SourceDef } from '../sourceDef';
import { KeyedApplier } from './keyedApplier';
import { parseKeyed } from './keyedParse';

/** A log, or the `-wal` file of a log (an SQLite database's newest transactions). */
function withWal(isLog: (path: string) => boolean): (path: string) => boolean {
  return (path) => isLog(path) || (path.endsWith('-wal') && isLog(path.slice(0, -4)));
}

/** A plug-in source of keyed usage (plugin.ts) as the indexer sees it. */
export function keyedSource(plugin: SourcePlugin): SourceDef {
  return {
    id: plugin.id,
    label: plugin.label,
    color: plugin.color,
    describe: plugin.describe,
    version: plugin.version ?? 1,
    discovery: plugin.discovery,
    watch: (root) => ({ dirs: [root], isLog: withWal(plugin.discovery.isLog ?? ((p) => /\.(jsonl|json|db)$/i.test(p))) }),
    isDatabase: (format) => plugin.parsers[format]?.kind === 'database',
    wholeFile: (format) => plugin.parsers[format]?.kind !== 'lines',
    parse: (job, chunkSize) => parseKeyed(plugin, job, chunkSize),
    createApplier: (ctx) => new KeyedApplier(plugin.id, ctx),
  };
}
