import { parentPort } from 'node:worker_threads';
import { parseFile } from './parseFile';
import type { ParseJob } from './records';

/** Worker entry (bundled to dist/ingest-worker.js): parses files, never touches the database. */
parentPort?.on('message', (msg: { id: number; job: ParseJob }) => {
  void parseFile(msg.job).then((result) => parentPort?.postMessage({ id: msg.id, result }));
});
