// Prepares a team database for test/ui/team.ui.test.mjs with the project's own team code, on a PostgreSQL the test
// started (scripts/pg/cluster.mjs):
//   node --import tsx test/ui/teamDb.ts <admin URL of an empty database> <work dir>
// initialises the schema and roles, creates a member login (ana) and a lead login, and pushes another member's
// machine (bob's build box: Claude and Codex logs in the agents' formats, indexed as the extension indexes them).
// Prints JSON: { memberUrl, leadUrl, bob: { member, machine, tokens } }.
import { join } from 'node:path';
import pg from 'pg';
import { addTeamMember, initTeamDatabase, openTeamConnection, pushTeam } from '../../src/app/team/api';
import { loadFacts } from '../../src/core/query/facts';
import { totalTokens } from '../../src/core/types';
import { indexMachine, writeMachineLogs } from '../team/machineLogs';

const PASSWORD = 'ui-team-pw';

async function main(): Promise<void> {
  const [adminUrl, dir] = process.argv.slice(2);
  if (!adminUrl || !dir) throw new Error('usage: teamDb.ts <admin URL> <work dir>');
  const admin = await openTeamConnection({ url: adminUrl }, { checkSchema: false });
  const raw = new pg.Client(adminUrl);
  await raw.connect();
  try {
    await initTeamDatabase(admin);
    for (const login of ['ana_ui', 'lead_ui', 'bob_ui']) await raw.query(`CREATE ROLE ${login} LOGIN PASSWORD '${PASSWORD}'`);
    await addTeamMember(admin, 'ana_ui', 'ana@example.com');
    await addTeamMember(admin, 'lead_ui', 'lead@example.com', true);
    await addTeamMember(admin, 'bob_ui', 'bob@example.com');
  } finally {
    await raw.end();
    await admin.close();
  }
  const urlAs = (login: string) => {
    const u = new URL(adminUrl);
    u.username = login;
    u.password = PASSWORD;
    return u.toString();
  };
  const now = Date.now();
  const logs = writeMachineLogs(join(dir, 'bob-box'), { seed: 7, startMs: now - 20 * 86_400_000, stepMs: 4 * 3600_000, calls: 100, sessions: 2 });
  const db = await indexMachine(logs);
  const bob = await openTeamConnection({ url: urlAs('bob_ui') });
  try {
    await pushTeam(db, bob, { member: 'bob@example.com', machine: 'bob-build-box', version: 'ui-test' });
  } finally {
    await bob.close();
  }
  const tokens = loadFacts(db).reduce((s, f) => s + totalTokens(f), 0);
  process.stdout.write(JSON.stringify({ memberUrl: urlAs('ana_ui'), leadUrl: urlAs('lead_ui'), bob: { member: 'bob@example.com', machine: 'bob-build-box', tokens } }));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
