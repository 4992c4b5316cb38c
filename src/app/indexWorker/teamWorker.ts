/**
 * The index worker's team database requests (issue 16): the connection test, the push (from the writer's database:
 * `pushTeam` reads its rows outside any write transaction, between refreshes) and the team view's reads. Each request
 * opens its own connection and closes it. Errors are the team API's one-line TeamErrors. No `vscode` import.
 */
import type { Database } from 'sql.js';
import { openTeamConnection, pushTeam, readTeamRole, type TeamConnection } from '../team/api';
import { loadOwnMembers } from '../../core/team/read';
import type { TeamCheckResult, TeamPushOutcome, TeamPushProgress, TeamPushRequest, TeamTargetRequest } from './teamRequests';

export interface TeamWorkerDeps {
  /** the writer's database once no refresh runs (engine.writerDatabase) */
  writerDatabase(): Promise<Database>;
}

export async function withTeamConnection<T>(t: TeamTargetRequest, use: (c: TeamConnection) => Promise<T>): Promise<T> {
  const conn = await openTeamConnection({ url: t.url }, { caFile: t.caFile ?? undefined });
  try {
    return await use(conn);
  } finally {
    await conn.close();
  }
}

export class TeamWorker {
  constructor(private readonly deps: TeamWorkerDeps) {}

  /** Connects, checks the schema, and reads the login's role and the member names it may write. */
  teamCheck(t: TeamTargetRequest): Promise<TeamCheckResult> {
    return withTeamConnection(t, async (c) => ({ role: await readTeamRole(c), members: await loadOwnMembers(c.client) }));
  }

  /** One push of this machine's buckets (see app/team/push.ts for what and which range). */
  async teamPush(req: TeamPushRequest, onProgress?: (p: TeamPushProgress) => void): Promise<TeamPushOutcome> {
    const db = await this.deps.writerDatabase();
    return withTeamConnection(req, async (c) => {
      const r = await pushTeam(db, c, {
        member: req.member, machine: req.machine, projects: req.projects, salt: req.projectSalt ?? req.member, version: req.version,
      }, (p) => onProgress?.({ batch: p.batch, batches: p.batches, buckets: p.buckets }));
      return { buckets: r.buckets, full: r.full };
    });
  }
}
