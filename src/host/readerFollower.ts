/**
 * The reader role: loads the writer's latest saved file (read-only) in the index worker, and again whenever the file
 * changes. One load at a time, the last one after every change (two loads in flight could finish out of order and
 * leave the window on the older file). A half-written or unreadable file is retried on the next change. No `vscode`
 * import.
 */
import type { Logger } from '../core/types';
import type { IndexBackend } from '../app/indexWorker/protocol';
import { coalesced } from './coalesce';
import { errorText } from './errorText';
import { journalPathOf } from '../core/store/indexJournal';
import { FileFollower, filesSignature } from './fileFollower';

export interface ReaderFollowerOptions {
  dbPath: string;
  index: Pick<IndexBackend, 'openReadOnly'>;
  /** still the reader (a load that ends after a switch to writer is dropped) */
  isReader(): boolean;
  /** false once the window is closing: no further coalesced load */
  keepGoing(): boolean;
  /** before each load (the status settings: the load pushes the summary of the loaded file) */
  beforeLoad(): Promise<void>;
  /** a load replaced the window's database */
  onLoaded(): void;
  logger: Logger;
}

export class ReaderFollower {
  private follower: FileFollower | undefined;
  /** this window wrote the database the worker holds, and no load of the writer's file has replaced it yet */
  private replaceWritable = false;
  /** Loads the file now (after the load in progress). */
  readonly reload: () => Promise<void>;

  constructor(private readonly opts: ReaderFollowerOptions) {
    this.reload = coalesced(() => this.loadOnce(), opts.keepGoing);
  }

  /** Follows the file (a first load now). `wasWriter`: loads may replace this window's own writable copy. */
  async start(wasWriter: boolean): Promise<void> {
    // the signature before the load: a save landing while we load (or after a failed load) is then a change
    const files = [this.opts.dbPath, journalPathOf(this.opts.dbPath)];
    const seen = await filesSignature(files);
    // until a load succeeds, every reload may replace our writable copy (the file may not exist yet)
    if (wasWriter) this.replaceWritable = true;
    await this.reload();
    this.follower = new FileFollower({ path: this.opts.dbPath, related: files.slice(1), onChange: () => void this.reload() });
    await this.follower.start(seen);
  }

  /** The file is followed (start ran). */
  get following(): boolean {
    return this.follower !== undefined;
  }

  stop(): void {
    this.follower?.dispose();
    this.follower = undefined;
    this.replaceWritable = false;
  }

  private async loadOnce(): Promise<void> {
    if (!this.opts.isReader()) return;
    try {
      await this.opts.beforeLoad();
      const loaded = await this.opts.index.openReadOnly(this.opts.dbPath, this.replaceWritable);
      if (!this.opts.isReader()) return;
      if (loaded) {
        this.replaceWritable = false;
        this.opts.onLoaded();
      }
    } catch (e) {
      this.opts.logger.warn(`reloading the index failed (will retry on the next change): ${errorText(e)}`);
    }
  }
}
