/** One log file found under a root. */
export interface LogFile {
  path: string;
  source: string;
  /** which of the source's parsers reads it */
  format: string;
  /** where discovery found it: its project ('' when the log says: Codex) and session */
  project: string;
  session: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}
