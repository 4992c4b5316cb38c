// A year of heavy Claude Code use, as AgentMeter finds it on a real machine: Claude Code deletes logs after 30 days,
// so the history lives only in AgentMeter's index, and the last days are still on disk as JSONL logs.
// Deterministic (seeded) for a given day: about 1.5 million API calls over 365 days (≈5,100 on weekdays, 1,600 at
// weekends, in working hours UTC), 40 projects, ≈12,700 sessions, a main model per session (the model generation
// changes over the year) plus Haiku helper calls.
//  - Sessions that started before local midnight `logDays` days ago → rows of the index (usage per 15-minute UTC
//    bucket per dims row, projects), written with the project's own store code by writeYearIndex.ts.
//  - Later sessions (the last `logDays` days and a few of today's, stamped between local midnight and now) →
//    Claude Code 2.1.x transcripts under <home>/.claude/projects/, which the extension ingests itself at start.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRng } from '../../scripts/bench/prng.mjs';
import * as L from '../../scripts/bench/claudeLines.mjs';
import { repoRoot } from '../integration/harness/codeServer.mjs';

const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;
const LONG_CONTEXT = 200_000;

export const YEAR_SHAPE = {
  days: 365, projects: 40, weekdayCalls: 5100, weekendCalls: 1600, weekdaySessions: 43, weekendSessions: 14,
  workStartHourUtc: 8, workHours: 10, logDays: 2, todaySessions: 4, todayCallsPerSession: 60,
};

const PROJECT_NAMES = [
  'agentmeter', 'web-shop', 'infra', 'ml.pipeline', 'docs_site', 'api-gateway', 'mobile-app', 'dotfiles',
  'billing', 'search', 'auth_service', 'data-warehouse', 'cli-tools', 'game.engine', 'blog', 'monorepo',
  'payments', 'notifications', 'scheduler', 'kube-configs', 'analytics', 'design-system', 'chat', 'crawler',
  'backoffice', 'etl-jobs', 'feature-flags', 'geo_service', 'image-resizer', 'invoice-pdf', 'ledger', 'mail-relay',
  'metrics-exporter', 'onboarding', 'pricing-engine', 'recommender', 'sdk-python', 'sdk-typescript', 'terraform', 'website',
];
const BRANCHES = ['main', 'main', 'main', 'develop', 'feature/checkout', 'fix/flaky-test', 'feature/search-v2', 'chore/deps'];
const HELPER = 'claude-haiku-4-5-20251001';
/** Main models by age (days back): the generation a heavy user was on at the time. All are in prices.json. */
function mainModels(back) {
  if (back > 240) return [['claude-sonnet-4-5-20250929', 70], ['claude-opus-4-1-20250805', 30]];
  if (back > 120) return [['claude-opus-4-5-20251101', 60], ['claude-sonnet-4-5-20250929', 40]];
  return [['claude-opus-4-6', 70], ['claude-sonnet-4-6', 30]];
}
/** Models whose context window is 1M (a long session may pass 200k input; Sonnet 4.5 then bills the long tier). */
const LONG_WINDOW = new Set(['claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'claude-sonnet-4-6']);

const WORDS = 'the build test fails on main because the fixture path is wrong fix it and run the suite again then update docs for the new api refactor module parse config cache index query report'.split(' ');

/**
 * Writes `<root>/home` (Claude Code logs of the last days and today) and the index file `indexFile` (the year before).
 * Returns the env for the extension host and the CLI, the figures of the generated data, and `today`: the session
 * file of today that a test appends to.
 */
export function makeYearHome(root, { indexFile, now = Date.now(), seed = 20260101, shape = YEAR_SHAPE } = {}) {
  const rng = createRng(seed);
  const home = join(root, 'home');
  const claudeDir = join(home, '.claude');
  const codexDir = join(home, '.codex');
  const projectsDir = join(claudeDir, 'projects');
  mkdirSync(projectsDir, { recursive: true });

  const projects = PROJECT_NAMES.slice(0, shape.projects).map((name, i) => {
    const cwd = join(home, i % 3 === 0 ? 'work' : 'code', name);
    // a few hot projects, a long tail (Zipf-like)
    return { name, cwd, key: cwd.replace(/[^A-Za-z0-9]/g, '-'), weight: 100 / (1 + i * 0.6), branches: BRANCHES.slice(0, 2 + (i % 6)) };
  });
  const projectPairs = projects.map((p) => [p, p.weight]);

  const localMidnight = new Date(now);
  localMidnight.setHours(0, 0, 0, 0);
  const cutoff = new Date(localMidnight);
  cutoff.setDate(cutoff.getDate() - shape.logDays);
  const cutoffMs = cutoff.getTime();
  const latestMs = now - 1000;
  const utcToday = Math.floor(now / DAY_MS) * DAY_MS;

  const agg = new Map(); // bucket number × 2^20 + dims index → usage row
  const dims = [];
  const figures = { indexCalls: 0, indexSessions: 0, logCalls: 0, logSessions: 0, logFiles: 0, logBytes: 0 };

  /** dims index of (model, tier) within one session (a session has one project and branch here) */
  const dimOf = (s, model, tier) => {
    const key = `${model}\u0000${tier}`;
    let i = s.dims.get(key);
    if (i === undefined) {
      i = dims.length;
      dims.push(['claude', model, s.project.key, s.id, s.branch, tier]);
      s.dims.set(key, i);
    }
    return i;
  };

  /** One API call's usage in Claude Code's shape: small uncached input, a growing cached context, cache writes. */
  const callUsage = (model, progress, bigContext) => {
    if (model === HELPER) {
      return { input: rng.int(200, 3000), cw5m: rng.chance(0.3) ? rng.int(500, 4000) : 0, cw1h: 0, cacheRead: rng.chance(0.5) ? rng.int(1000, 12000) : 0, output: rng.logUniform(20, 400), webSearch: 0 };
    }
    const ctxMax = bigContext ? 320_000 : 150_000;
    const oneHour = rng.chance(0.04);
    return {
      input: rng.chance(0.02) ? rng.int(2000, 12000) : rng.logUniform(1, 400),
      cw5m: oneHour ? rng.int(0, 800) : rng.logUniform(150, 8000),
      cw1h: oneHour ? rng.int(3000, 25000) : 0,
      cacheRead: Math.round(15_000 + progress * ctxMax * (0.75 + 0.25 * rng.next())),
      output: rng.logUniform(30, 4000),
      webSearch: rng.chance(0.005) ? 1 : 0,
    };
  };
  const tierOf = (u) => (u.input + u.cw5m + u.cw1h + u.cacheRead > LONG_CONTEXT ? 'long' : 'standard');

  /** The calls of one session: timestamps (sorted) from `startMs` over `spanMs`, never after `latestMs`. */
  const sessionCalls = (back, startMs, spanMs, n) => {
    const main = rng.weighted(mainModels(back));
    const bigContext = LONG_WINDOW.has(main) && rng.chance(0.08);
    const times = Array.from({ length: n }, () => startMs + Math.floor(rng.next() * spanMs)).sort((a, b) => a - b);
    const calls = [];
    for (const [i, ts] of times.entries()) {
      if (ts > latestMs) break;
      const model = rng.chance(0.18) ? HELPER : main;
      calls.push({ ts, model, usage: callUsage(model, i / n, bigContext) });
    }
    return { main, calls };
  };

  const toIndex = (s) => {
    figures.indexSessions++;
    s.dims = new Map();
    for (const c of s.calls) {
      figures.indexCalls++;
      const bucket = Math.floor(c.ts / BUCKET_MS) * BUCKET_MS;
      const d = dimOf(s, c.model, tierOf(c.usage));
      const k = (bucket / BUCKET_MS) * 1_048_576 + d;
      let r = agg.get(k);
      if (!r) {
        r = [bucket, d, 0, 0, 0, 0, 0, 0, 0, 0, c.ts, c.ts];
        agg.set(k, r);
      }
      const u = c.usage;
      r[2] += u.input; r[3] += u.output; r[4] += u.cw5m; r[5] += u.cw1h; r[6] += u.cacheRead; r[8] += u.webSearch; r[9] += 1;
      if (c.ts < r[10]) r[10] = c.ts;
      if (c.ts > r[11]) r[11] = c.ts;
    }
  };

  const logSessions = [];
  for (let back = shape.days; back >= 1; back--) {
    const dayStart = utcToday - back * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const sessions = weekend ? shape.weekendSessions : shape.weekdaySessions;
    const perSession = (weekend ? shape.weekendCalls : shape.weekdayCalls) / sessions;
    for (let k = 0; k < sessions; k++) {
      const project = rng.weighted(projectPairs);
      const startMs = dayStart + shape.workStartHourUtc * 3_600_000 + rng.int(0, shape.workHours * 4 - 1) * BUCKET_MS + rng.int(0, 899) * 1000;
      const spanMs = rng.int(2, 14) * BUCKET_MS;
      const n = Math.max(3, Math.round(perSession * (0.35 + 1.3 * rng.next())));
      const s = { id: rng.uuid(), project, branch: rng.pick(project.branches), startMs, ...sessionCalls(back, startMs, spanMs, n) };
      if (s.calls.length === 0) continue;
      if (startMs < cutoffMs) toIndex(s);
      else logSessions.push(s);
    }
  }
  // Today: a few sessions in the hottest projects, between local midnight (+1 s) and now, so today's cost is non-zero.
  const todayStart = Math.max(localMidnight.getTime() + 1000, now - 4 * 3_600_000);
  const todaySessions = [];
  for (let k = 0; k < shape.todaySessions; k++) {
    const project = projects[k];
    const s = { id: rng.uuid(), project, branch: project.branches[0], startMs: todayStart, ...sessionCalls(0, todayStart, Math.max(1, latestMs - todayStart), shape.todayCallsPerSession) };
    logSessions.push(s);
    todaySessions.push(s);
  }

  const files = [];
  for (const s of logSessions) {
    const dir = join(projectsDir, s.project.key);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${s.id}.jsonl`);
    const text = transcript(rng, s);
    writeFileSync(file, text);
    // modified when its last call was logged, as Claude Code leaves it (the extension reads the newest files first)
    const lastMs = Math.min(now, s.calls[s.calls.length - 1].ts + 2000);
    utimesSync(file, new Date(lastMs), new Date(lastMs));
    figures.logSessions++;
    figures.logFiles++;
    figures.logCalls += s.calls.length;
    figures.logBytes += Buffer.byteLength(text);
    files.push(file);
  }

  // The index: rows handed to writeYearIndex.ts, which creates the schema with `migrate` and saves like the extension.
  const rowsFile = join(root, 'year-rows.json');
  writeFileSync(rowsFile, JSON.stringify({
    dims,
    usage: [...agg.values()],
    projects: projects.map((p) => [p.key, 'claude', p.cwd]),
  }));
  mkdirSync(join(indexFile, '..'), { recursive: true });
  const written = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/ui/writeYearIndex.ts'), rowsFile, indexFile], {
    cwd: repoRoot, encoding: 'utf8', timeout: 180_000,
  }));
  rmSync(rowsFile, { force: true });

  const t = todaySessions[0];
  return {
    root, home, claudeDir, codexDir, files,
    env: { HOME: home, CLAUDE_CONFIG_DIR: claudeDir, CODEX_HOME: codexDir },
    figures: {
      ...figures, usageRows: written.usage, dims: written.dims, projects: written.projects,
      calls: figures.indexCalls + figures.logCalls, sessions: figures.indexSessions + figures.logSessions,
    },
    today: { file: join(projectsDir, t.project.key, `${t.id}.jsonl`), sessionId: t.id, cwd: t.project.cwd, model: t.main, branch: t.branch },
  };
}

/** The session's Claude Code 2.1.x transcript: prompts, one assistant line per content block, tool results. */
function transcript(rng, s) {
  const sess = { sidechain: false, cwd: s.project.cwd, sessionId: s.id, version: '2.1.63', branch: s.branch, slug: 'year-scale' };
  const text = (n) => Array.from({ length: n }, () => rng.pick(WORDS)).join(' ');
  const out = [];
  let parent = null;
  const iso = (ms) => new Date(ms).toISOString();
  for (const [i, c] of s.calls.entries()) {
    if (i === 0 || rng.chance(0.15)) {
      const uuid = rng.uuid();
      out.push(L.userPromptLine(sess, parent, uuid, iso(Math.max(s.startMs, c.ts - 2000)), text(rng.int(5, 40))));
      parent = uuid;
    }
    const call = { model: c.model, messageId: `msg_01${rng.b58(22)}`, requestId: `req_011${rng.b58(21)}` };
    // streaming copy with a placeholder output count, then the final copy (the one that counts)
    const a1 = rng.uuid();
    out.push(L.assistantLine(sess, parent, a1, iso(c.ts), call, `{"type":"text","text":"${text(rng.int(4, 30))}"}`, null, { ...c.usage, output: Math.min(c.usage.output, 3) }));
    const a2 = rng.uuid();
    const toolId = `toolu_01${rng.b58(22)}`;
    out.push(L.assistantLine(sess, a1, a2, iso(c.ts), call, `{"type":"tool_use","id":"${toolId}","name":"Bash","input":{"command":"npm test"}}`, 'tool_use', c.usage));
    const r = rng.uuid();
    const content = text(rng.logUniform(10, 300));
    out.push(L.toolResultLine(sess, a2, r, iso(c.ts + 1500), toolId, a2, content, `{"stdout":"${content}","stderr":"","interrupted":false,"isImage":false}`));
    parent = r;
  }
  return `${out.join('\n')}\n`;
}

/** Appends one priced API call (final copy only), stamped now, to today's session file, as a running Claude Code does. */
export function appendYearCall(today, usage = { input: 12, cw5m: 9000, cw1h: 0, cacheRead: 60000, output: 2600, webSearch: 0 }) {
  const sess = { sidechain: false, cwd: today.cwd, sessionId: today.sessionId, version: '2.1.63', branch: today.branch, slug: 'year-scale' };
  const n = Date.now();
  const call = { model: today.model, messageId: `msg_01Append${n}`, requestId: `req_011Append${n}` };
  appendFileSync(today.file, `${L.assistantLine(sess, null, randomUUID(), new Date(n).toISOString(), call, '{"type":"text","text":"done"}', 'end_turn', usage)}\n`);
}
