/**
 * The team database's application API (issue 16), used by the CLI (`agentmeter sync`, `report --team`,
 * `team init`) and by the editor (helper B: settings, SecretStorage, commands, status tooltip, the index worker's
 * push request, the dashboard's team view). No `vscode` here.
 *
 * - `openTeamConnection(target)` → a connected client, or a `TeamError` with a one-line message (connect.ts).
 * - `pushTeam(db, conn, opts, onProgress)` → pushes this machine's buckets (push.ts).
 * - `readTeamFacts(conn, { scope, member, sinceMs, untilMs })` → `TeamFact[]` (Fact + member, machine).
 * - `readTeamActivityFacts(conn, { scope, member, sinceMs, untilMs })` → cost by activity, summed on the server.
 * - `readMachines(conn)`, `readBudgets(conn)`, `readTeamRole(conn)`.
 *
 * For the editor's index worker: push from the writer only; `pushTeam` throws TeamError('busy') when called inside a
 * refresh's open transaction (retry after it), writes its push state to the index's `meta` rows (ask for a save
 * after it), and every failure is a TeamError whose `retryable` says whether backing off and trying again can help
 * (unreachable, busy). Import this module lazily (`await import(...)`): `pg` costs ~0.1 s to load.
 */
export type {
  BudgetPeriod, MachineFreshness, ProjectMode, TeamBucket, TeamBudget, TeamFact, TeamQueryable, TeamRole, TeamScope,
} from '../../core/team/types';
export { PROJECT_MODES } from '../../core/team/types';
export { TEAM_SCHEMA_VERSION } from '../../core/team/schema';
export { TeamError, type TeamErrorKind } from './errors';
export { openTeamConnection, resolveTeamTarget, type TeamTarget, type TeamConnection, type ConnectOptions } from './connect';
export { pushTeam, type PushOptions, type PushProgress, type PushResult } from './push';
export { readTeamFacts, readTeamActivityFacts, hasTeamActivity, readMachines, readBudgets, readTeamRole, type TeamFactQuery } from './read';
export { initTeamDatabase, addTeamMember, setTeamBudget, type InitResult } from './admin';
export { DEFAULT_REPLAY_MS } from './push';
