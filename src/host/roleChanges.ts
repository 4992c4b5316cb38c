/**
 * The window's role changes (writer ↔ reader), one at a time: a change asked for during one runs after it. Other
 * steps that must not interleave with a role change (a rebuild's reset) run in the same queue. No `vscode` import.
 */
export class RoleChanges {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;

  /** A role change is queued or running. */
  get busy(): boolean {
    return this.queued > 0;
  }

  /** Resolves when the changes queued so far ended. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Queues a role change; its failure goes to `onError`, and `after` runs once it ended either way. */
  change(run: () => Promise<void>, onError: (e: unknown) => void, after: () => void): void {
    this.queued++;
    this.chain = this.chain
      .then(run)
      .catch(onError)
      .finally(() => {
        this.queued--;
        after();
      });
  }

  /** Runs `step` after the queued changes (not itself a role change); later changes wait for it. */
  step<T>(run: () => Promise<T>): Promise<T> {
    const p = this.chain.then(run);
    this.chain = p.then(() => {}, () => {});
    return p;
  }
}
