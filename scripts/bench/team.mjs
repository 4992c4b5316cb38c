// `npm run bench -- --team [--team-members N] [--team-seconds N] [--team-buckets N]`: the team database under load
// (issue 16). Starts a throwaway PostgreSQL (scripts/pg/cluster.mjs), bundles scripts/bench/teamLoad.ts, runs it
// (100 members pushing concurrently for 60 s by default, ~3000 buckets each), prints pushes/s, p50/p95 latency and
// whether every member's rows equal its index; stops the server even on failure.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startCluster } from '../pg/cluster.mjs';

/** scripts/bench/<entry> bundled for node into <benchDir>/<out> (pg's optional native binding left out). */
async function bundle(root, benchDir, entry, out) {
  const script = join(benchDir, out);
  await esbuild.build({
    entryPoints: [join(root, 'scripts/bench', entry)], outfile: script, bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', logLevel: 'warning', absWorkingDir: root, external: ['pg-native'],
  });
  return script;
}

export async function runTeamBench({ root, benchDir, out, opt }) {
  const members = Number(opt('--team-members', 100));
  const seconds = Number(opt('--team-seconds', 60));
  const buckets = Number(opt('--team-buckets', 3000));
  const script = await bundle(root, benchDir, 'teamLoad.ts', 'team-load.cjs');
  const cluster = await startCluster({ maxConnections: members + 50 });
  out(`## Team database load: PostgreSQL on 127.0.0.1:${cluster.port} (a throwaway cluster, fsync off)`);
  try {
    const { runTeamLoad } = createRequire(import.meta.url)(script);
    const r = await runTeamLoad({
      adminUrl: cluster.url(), urlAs: (login, pw) => cluster.url('postgres', login, pw), members, seconds, bucketsPerMember: buckets,
      wasm: join(root, 'dist', 'sql-wasm.wasm'), out,
    });
    out(`${r.members} members, ${r.pushes} pushes in ${r.seconds.toFixed(1)} s (${r.firstPushes} first pushes of the whole history)`);
    out(`pushes/s: ${r.pushesPerSecond.toFixed(1)}; later pushes p50 ${r.p50Ms.toFixed(0)} ms, p95 ${r.p95Ms.toFixed(0)} ms; first pushes p95 ${r.firstP95Ms.toFixed(0)} ms`);
    out(`retries: ${r.retries}, failures: ${r.failures}; ${r.bucketsInDatabase} buckets and ${r.activityHoursInDatabase} activity hours in the database; totals ${r.exact ? 'exact (every member equals its index)' : 'NOT EXACT'}`);
  } finally {
    cluster.stop();
  }
}

// `npm run bench -- --team-view [--team-members N] [--team-days N]`: a lead's team view over a large team database
// (scripts/bench/teamView.ts): 100 members × 365 days by default.
export async function runTeamViewBench({ root, benchDir, out, opt }) {
  const members = Number(opt('--team-members', 100));
  const days = Number(opt('--team-days', 365));
  const script = await bundle(root, benchDir, 'teamView.ts', 'team-view.cjs');
  const cluster = await startCluster();
  out(`## Team view: PostgreSQL on 127.0.0.1:${cluster.port} (a throwaway cluster, fsync off)`);
  try {
    const { runTeamView } = createRequire(import.meta.url)(script);
    await runTeamView({ adminUrl: cluster.url(), members, days, out });
  } finally {
    cluster.stop();
  }
}
