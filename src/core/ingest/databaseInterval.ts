/**
 * A database source (OpenCode's `opencode.db`) is read whole — a copy of all its bytes — after each change, and its
 * agent writes it (its -wal) many times a second while a reply streams: a refresh for a watcher's changed paths
 * leaves a database read less than this long ago for later (its stored stamp unchanged; the refresh's result names it
 * in `deferred`, and the writer asks for it again once this long has passed). Logs of the other kinds are read at once.
 * (Its own module: the extension host's bundle uses it without the indexer.)
 */
export const DATABASE_MIN_INTERVAL_MS = 10_000;
