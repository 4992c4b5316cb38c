/**
 * When the writer ingests: the files the watcher reported since the last pass (or every file), and one pass at a time
 * (`coalesced`: a request during a pass runs one more pass afterwards, over everything reported meanwhile).
 * No `vscode` import.
 */
import { coalesced } from './coalesce';

export interface IngestSchedulerOptions {
  /** one pass over these files (undefined = stat every file); throws when the pass failed */
  pass(paths: string[] | undefined): Promise<void>;
  /** false while no pass can run (no indexer or no database yet): the reported files wait */
  canPass(): boolean;
  /** false once the window stops writing: no further coalesced pass */
  keepGoing(): boolean;
  /** a pass failed (the next one looks at every file) */
  onFailed(e: unknown): void;
}

export class IngestScheduler {
  /** files reported since the last pass took them; 'all' = stat every file */
  private pending: Set<string> | 'all' = new Set();
  private inPass: Promise<void> | undefined;
  /** Runs a pass (after the one in progress); resolves when a pass that started after the call ended. */
  readonly run: () => Promise<void>;

  constructor(private readonly opts: IngestSchedulerOptions) {
    this.run = coalesced(async () => {
      this.inPass = this.passOnce();
      await this.inPass;
      this.inPass = undefined;
    }, opts.keepGoing);
  }

  /** Adds files for the next pass to look at; undefined = every file. */
  want(paths: readonly string[] | undefined): void {
    if (!paths) this.pending = 'all';
    else if (this.pending !== 'all') for (const p of paths) this.pending.add(p);
  }

  /** Resolves when the pass in progress (not those coalesced after it) ended. */
  passInProgress(): Promise<void> {
    return this.inPass ?? Promise.resolve();
  }

  private async passOnce(): Promise<void> {
    if (!this.opts.canPass()) return;
    const target = this.pending;
    if (target !== 'all' && target.size === 0) return; // a pass before this one took them
    this.pending = new Set();
    try {
      await this.opts.pass(target === 'all' ? undefined : [...target]);
    } catch (e) {
      this.want(undefined); // the next pass looks at every file
      this.opts.onFailed(e);
    }
  }
}
