/** The team database's tables as plain rows (for comparisons). */
import type { TestDb } from './pgTestDb';

/** An agentmeter.usage row as pg returns it (bigint columns as strings). */
export interface UsageTableRow {
  member: string;
  machine: string;
  bucket_ms: string;
  source: string;
  model: string;
  project: string;
  branch: string;
  activity: string;
  tier: string;
  input: string;
  output: string;
  cw5m: string;
  cw1h: string;
  cache_read: string;
  reasoning: string;
  web_search: string;
  requests: string;
  first_ms: string;
  last_ms: string;
}

/** An agentmeter.machines row as pg returns it (bigint columns as strings). */
export interface MachineTableRow {
  member: string;
  machine: string;
  last_push_ms: string;
  last_entry_ms: string | null;
  version: string;
}

export async function usageRows(db: TestDb): Promise<UsageTableRow[]> {
  return db.admin<UsageTableRow>(`SELECT * FROM agentmeter.usage ORDER BY member, machine, bucket_ms, source, model, project, branch, activity, tier`);
}

export async function machineRows(db: TestDb): Promise<MachineTableRow[]> {
  return db.admin<MachineTableRow>('SELECT * FROM agentmeter.machines ORDER BY member, machine');
}
