// Measurement helpers: run a command in a fresh child process and time it (wall from spawn to exit).
// For commands that are not ours (ccusage, the CLI) CPU and peak RSS come from GNU time when it is installed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/**
 * @param {string} cmd @param {string[]} args
 * @param {{ env?: Record<string, string>, cwd?: string, timeoutMs?: number, withTime?: boolean }} [o]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, wallMs: number,
 *   cpuUserMs?: number, cpuSysMs?: number, maxRssKb?: number }>}
 */
export function run(cmd, args, o = {}) {
  const timeFile = join(tmpdir(), `agentmeter-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const useTime = o.withTime !== false && existsSync(GNU_TIME);
  const [c, a] = useTime ? [GNU_TIME, ['-o', timeFile, '-f', '%e %U %S %M', cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(c, a, { env: { ...process.env, ...o.env }, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : undefined;
    const done = (code) => {
      const wallMs = performance.now() - t0;
      if (timer) clearTimeout(timer);
      const r = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs };
      if (useTime && existsSync(timeFile)) {
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [, user, sys, rss] = last.split(' ').map(Number);
        if (Number.isFinite(user)) Object.assign(r, { cpuUserMs: user * 1000, cpuSysMs: sys * 1000, maxRssKb: rss });
        rmSync(timeFile, { force: true });
      }
      resolve(r);
    };
    child.on('error', (e) => resolve({ code: -1, stdout: '', stderr: String(e), wallMs: performance.now() - t0 }));
    child.on('close', done);
  });
}

/** Runs a node script that prints `BENCH_RESULT <json>`; returns the parsed result plus the process wall time. */
export async function runBenchChild(script, payload, nodeArgs = []) {
  const r = await run(process.execPath, [...nodeArgs, script, JSON.stringify(payload)], { withTime: false });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (r.code !== 0 || !line) throw new Error(`bench child failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  return { ...JSON.parse(line.slice('BENCH_RESULT '.length)), processWallMs: r.wallMs };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : NaN;
}
