/**
 * The writer's indexer and log watcher in the index worker: started over the discovered roots, stopped when the window
 * stops writing. `generation` changes whenever the indexer is replaced or stopped, so a refresh that ran on an older
 * one can tell. No `vscode` import.
 */
import type { Logger } from '../core/types';
import type { SourceRoot } from '../core/discovery';
import type { IndexBackend } from '../app/indexWorker/protocol';
import { errorText } from './errorText';

export class WriterIndexer {
  private gen = 0;
  private running = false;
  private watching = false;

  constructor(
    private readonly index: Pick<IndexBackend, 'startIndexer' | 'stopIndexer' | 'watchLogs' | 'unwatchLogs'>,
    private readonly logger: Logger,
  ) {}

  /** Bumped whenever the indexer is replaced or stopped. */
  get generation(): number {
    return this.gen;
  }

  /** An indexer runs (refreshes can go ahead). */
  get isRunning(): boolean {
    return this.running;
  }

  /** (Re)creates the indexer over the discovered roots. */
  async start(roots: SourceRoot[]): Promise<void> {
    this.gen++;
    this.running = false;
    await this.index.startIndexer({ roots });
    this.running = true;
  }

  /** (Re)starts the log watcher (in the index worker: its start-up walk of the log folders is heavy). */
  watch(roots: SourceRoot[], usePolling: boolean): void {
    this.watching = true;
    this.index.watchLogs(roots, usePolling).catch((e) => this.logger.warn(`file watcher: ${errorText(e)}`));
  }

  /** Stops the watcher and the indexer (the database stays open). */
  async stop(): Promise<void> {
    if (this.watching) {
      this.watching = false;
      await this.index.unwatchLogs();
    }
    this.gen++;
    const wasRunning = this.running;
    this.running = false;
    if (wasRunning) await this.index.stopIndexer();
  }

  /** The index worker is gone, and with it the indexer and the watcher. */
  lost(): void {
    this.gen++;
    this.running = false;
    this.watching = false;
  }
}
