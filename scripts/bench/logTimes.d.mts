/** The newest record time (ms) in a log's text: ISO `timestamp` fields or epoch-ms `ts`; NaN when there is none. */
export function lastRecordMs(text: string): number;
/** Sets each .json / .jsonl log's mtime under `dirs` to its newest record's time, once per corpus (a marker file). */
export function setLogTimes(corpusDir: string, dirs: string[], log?: (s: string) => void): number;
