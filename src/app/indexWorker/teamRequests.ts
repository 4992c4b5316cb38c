/**
 * The index worker's team database requests (issue 16), as plain data: the host keeps the URL in the editor's secret
 * storage and sends it with each request; the worker opens the connection, pushes from its database or reads the
 * team's facts, and closes it. No `vscode` import.
 */
import type { TeamProjectMode } from '../settings';

/** Which database, and how to check its certificate. */
export interface TeamTargetRequest {
  /** postgres:// URL (user, password, host, database, sslmode) */
  url: string;
  /** a PEM file with the CA to check the server's certificate against; null = the system's */
  caFile: string | null;
}

/** One push of this machine's buckets (what changed since the target's watermark, and the last days again). */
export interface TeamPushRequest extends TeamTargetRequest {
  member: string;
  machine: string;
  projects: TeamProjectMode;
  /** the project hash's salt (required in `hash` mode: the host refuses to push without one) */
  projectSalt: string | null;
  /** this AgentMeter's version (shown beside each machine's freshness) */
  version: string;
}

export interface TeamPushOutcome {
  /** buckets sent */
  buckets: number;
  /** true when the whole history was sent (the first push to this database as this member and machine) */
  full: boolean;
}

/** A push's progress: transactions (one per UTC month of history on a first push) done of all, buckets sent so far. */
export interface TeamPushProgress {
  batch: number;
  batches: number;
  buckets: number;
}

/** What a connection test found. */
export interface TeamCheckResult {
  /** `lead` reads the team, `member` pushes and reads its own rows, `none` neither */
  role: 'lead' | 'member' | 'none';
  /** the member names this login may write */
  members: string[];
}
