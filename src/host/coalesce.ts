/**
 * A coalesced task: calling it while a run is in progress does not start a second run beside it; it asks for one
 * more run after the current one (any number of calls meanwhile make one more run). Every call resolves when a run
 * that started after the call has finished, so the caller sees the state as of its call. Runs never overlap.
 * `keepGoing` is asked before each extra run (e.g. false once disposed).
 */
export function coalesced(once: () => Promise<void>, keepGoing: () => boolean): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    const run = async () => {
      do {
        again = false;
        await once();
      } while (again && keepGoing());
    };
    running = run().finally(() => (running = undefined));
    return running;
  };
}
