/** The team database's tables as plain rows (for comparisons). */
import type { TestDb } from './pgTestDb';

export async function usageRows(db: TestDb): Promise<unknown[]> {
  return db.admin(`SELECT * FROM agentmeter.usage ORDER BY member, machine, bucket_ms, source, model, project, branch, activity, tier`);
}

export async function machineRows(db: TestDb): Promise<unknown[]> {
  return db.admin('SELECT * FROM agentmeter.machines ORDER BY member, machine');
}
