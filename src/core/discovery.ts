import { statSync } from 'node:fs';
import { sep } from 'node:path';
import { SOURCE_DEFS, sourceDef } from './sources/registry';
import { TimeSlicer } from './store/timeSlice';
import { stampedFile, type LogFile } from './logFile';

/**
 * Where the logs are: each source's discovery (sources/<id>/discovery.ts) over the same inputs. Explicit folders per
 * source (settings `agentMeter.sources.<id>.directories`, CLI `--dir id=…`) override the agents' own environment
 * variables and defaults; ['none'] disables a source, as does leaving it out of `enabled`.
 */
export interface SourceRoot {
  source: string;
  /** a folder the source lists its log files under */
  dir: string;
}
export interface Roots {
  roots: SourceRoot[];
  notes: string[];
  /** every directory looked at, per source id (for an empty state that says where logs are expected) */
  searched: Record<string, string[]>;
}
export interface DiscoverOptions {
  env: Record<string, string | undefined>;
  home: string;
  /** explicit folders per source id; [] or undefined = the source's own discovery; ['none'] disables it */
  dirs?: Readonly<Record<string, readonly string[] | undefined>>;
  /** the sources to look for (default: all) */
  enabled?: readonly string[];
  /** inside VS Code: the extension's own globalStorage folder (sources of other extensions start next to it) */
  hostGlobalStorage?: string;
  platform?: NodeJS.Platform;
}

export function discoverRoots(opts: DiscoverOptions): Roots {
  const out: Roots = { roots: [], notes: [], searched: {} };
  for (const s of SOURCE_DEFS) {
    if (opts.enabled && !opts.enabled.includes(s.id)) continue;
    const d = s.discovery.roots({ env: opts.env, home: opts.home, dirs: opts.dirs?.[s.id], hostGlobalStorage: opts.hostGlobalStorage, platform: opts.platform });
    out.searched[s.id] = d.searched;
    out.notes.push(...d.notes);
    for (const dir of d.roots) out.roots.push({ source: s.id, dir });
  }
  return out;
}

/** The roots' folders of one source. */
export function rootDirs(roots: Pick<Roots, 'roots'>, source: string): string[] {
  return roots.roots.filter((r) => r.source === source).map((r) => r.dir);
}

export type { LogFile } from './logFile';

/** A log file as listed under a root, not yet stat'ed. */
export type ListedFile = Pick<LogFile, 'path' | 'source' | 'format' | 'project' | 'session'>;

/** Every log file under the roots (each source lists its own), not stat'ed; a path listed twice is kept once. */
export async function listLogEntries(roots: Pick<Roots, 'roots'>): Promise<ListedFile[]> {
  const listed = await Promise.all(roots.roots.map((r) => sourceDef(r.source).discovery.list(r.dir)));
  const out: ListedFile[] = [];
  const seen = new Set<string>();
  roots.roots.forEach((r, i) => {
    for (const f of listed[i]) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      // the source's own fresh object, given its source id: no second object per file (a year: 16k of them)
      const listed = f as ListedFile;
      listed.source = r.source;
      out.push(listed);
    }
  });
  return out;
}

/** Every log file under the roots (each source lists its own), stat'ed; a path listed twice is kept once. */
export async function listLogFiles(roots: Pick<Roots, 'roots'>): Promise<LogFile[]> {
  return statFiles(await listLogEntries(roots));
}

/**
 * Stats are synchronous in small slices with an event-loop turn between slices: a thread-pool round trip per stat
 * costs more than the call itself (a warm refresh is mostly these calls), and the host thread is never blocked for
 * more than one slice (TimeSlicer: ~10 ms, however slow the file system is).
 */
async function statFiles(todo: readonly ListedFile[]): Promise<LogFile[]> {
  const out: LogFile[] = [];
  const slicer = new TimeSlicer();
  for (const listed of todo) {
    const turn = slicer.tick();
    if (turn) await turn;
    const f = statLogFile(listed);
    if (f) out.push(f);
  }
  return out;
}

/**
 * A listed log file with its size, modification time and identity now (undefined when it is gone or not a file). An
 * SQLite database is stamped with its `-wal` file too (sizes added, the later time): a transaction not yet
 * checkpointed changes only the -wal.
 */
export function statLogFile(f: Pick<LogFile, 'path' | 'source' | 'format' | 'project' | 'session'>): LogFile | undefined {
  try {
    const st = statSync(f.path);
    if (!st.isFile()) return undefined;
    const out = stampedFile(f, st.size, Math.floor(st.mtimeMs), st.dev, st.ino);
    if (sourceDef(f.source).isDatabase(f.format)) {
      try {
        const wal = statSync(`${f.path}-wal`);
        out.size += wal.size;
        out.mtimeMs = Math.max(out.mtimeMs, Math.floor(wal.mtimeMs));
      } catch {
        /* no -wal: everything is in the file */
      }
    }
    return out;
  } catch {
    return undefined; // vanished between listing and stat
  }
}

/** What to watch for the roots' log changes: the folders, and whether a changed file is a log of the root it is under. */
export function watchTargets(roots: Pick<Roots, 'roots'>): { dirs: string[]; isLog(path: string): boolean } {
  const targets = roots.roots.flatMap((r) => {
    const w = sourceDef(r.source).watch(r.dir);
    return w.dirs.map((dir) => ({ dir: dir.endsWith(sep) ? dir : dir + sep, isLog: w.isLog }));
  });
  return {
    dirs: [...new Set(targets.map((t) => t.dir.slice(0, -1)))],
    isLog: (path) => targets.some((t) => path.startsWith(t.dir) && t.isLog(path)),
  };
}
