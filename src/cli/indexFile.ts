/**
 * Where `agentmeter report` keeps its index when no `--db` is given: one file per set of log roots in the user's
 * cache folder, so a second run reads only new log bytes and runs over other folders never mix.
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Roots } from '../core/discovery';

export { cacheDir } from './cacheDir';

/**
 * The index file for the roots of a run: `index-<hash>.sqlite`, the hash (12 hex digits of SHA-256) taken over the
 * sorted folders the run looks in for each agent — the folders the selection names, whether they exist yet or not
 * (`roots.searched`), so a `~/.codex/sessions` created later still belongs to the same file. A source left out
 * (`--source`, `none`) adds nothing, so `--source claude` and `--codex-dir none` share one file, and any other set
 * of folders gets its own.
 *
 * One file per set of roots rather than one shared file: the index keeps aggregates (15-minute buckets de-duplicated
 * across files), not which file each came from, so a shared index could not report only the chosen roots; and the
 * history of deleted logs stays in each file.
 */
export function indexFileFor(roots: Pick<Roots, 'searched'>, dir: string): string {
  return join(dir, `index-${rootsKey(roots)}.sqlite`);
}

/**
 * The sources the cache file's key covered before sources were plug-ins: a file named for just their folders is
 * the same history; `adoptLegacyIndexFile` renames it to the current name once, so adding sources keeps it.
 */
const KEYED_BEFORE_PLUGINS = ['claude', 'codex'];

/** The file the roots' index had before sources were plug-ins (undefined when that is today's name). */
export function legacyIndexFileFor(roots: Pick<Roots, 'searched'>, dir: string): string | undefined {
  const legacy = { searched: Object.fromEntries(Object.entries(roots.searched).filter(([id]) => KEYED_BEFORE_PLUGINS.includes(id))) };
  const file = join(dir, `index-${rootsKey(legacy)}.sqlite`);
  return file === indexFileFor(roots, dir) ? undefined : file;
}

/** Renames the legacy cache file (and its journal) to `file` when only the legacy one exists. */
export function adoptLegacyIndexFile(file: string, legacy: string | undefined): void {
  if (!legacy || existsSync(file) || !existsSync(legacy)) return;
  try {
    renameSync(legacy, file);
    if (existsSync(`${legacy}.journal`)) renameSync(`${legacy}.journal`, `${file}.journal`);
  } catch {
    /* another run moved it first, or the folder is read-only: the index is rebuilt from the logs */
  }
}

export function rootsKey(roots: Pick<Roots, 'searched'>): string {
  const lines = new Set(Object.entries(roots.searched).flatMap(([id, dirs]) => dirs.map((p) => `${id}\u0000${p}`)));
  return createHash('sha256').update([...lines].sort().join('\n')).digest('hex').slice(0, 12);
}
