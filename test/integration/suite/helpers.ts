// Helpers for the integration suite running inside the extension host. The runner passes the fixture
// locations through the environment the host inherits (HOME, CLAUDE_CONFIG_DIR, CODEX_HOME, AGENTMETER_TEST_*).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'agentmeter.agentmeter';

export function testEnv(name: 'AGENTMETER_TEST_REPO' | 'AGENTMETER_TEST_NODE' | 'AGENTMETER_TEST_FIXTURE_ROOT'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite through scripts/run-vscode-tests.mjs or test/electron/run.ts`);
  return v;
}

/** The numbers-carrying fields shared by the CLI's JSON rows/totals and the CSV columns. */
export const SUM_FIELDS = [
  'requests', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheCreation5mTokens', 'cacheCreation1hTokens',
  'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'costUSD',
] as const;
export type SumField = (typeof SUM_FIELDS)[number];
export type Sums = Record<SumField, number>;

export interface CliReport {
  by: string;
  rows: Array<Record<string, unknown> & { key: string }>;
  totals: Record<string, unknown>;
  skipped: { malformedLines: number; duplicateLines: number };
}

/**
 * `node dist/cli.js report --format json …` on the same logs (the host's env points discovery at the fixtures).
 * Asynchronous: a synchronous child process would block the extension host under test.
 */
export async function cliReport(args: string[] = []): Promise<CliReport> {
  const { stdout } = await promisify(execFile)(testEnv('AGENTMETER_TEST_NODE'), [join(testEnv('AGENTMETER_TEST_REPO'), 'dist/cli.js'), 'report', '--format', 'json', '--no-cache', ...args], {
    env: process.env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as CliReport;
}

export function sumRows(rows: Array<Record<string, unknown>>): Sums {
  const s = Object.fromEntries(SUM_FIELDS.map((f) => [f, 0])) as Sums;
  for (const r of rows) for (const f of SUM_FIELDS) s[f] += Number(r[f] ?? 0);
  return s;
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF) for checking exported files. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rec.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(field); records.push(rec); rec = []; field = '';
    } else field += c;
  }
  if (field !== '' || rec.length) { rec.push(field); records.push(rec); }
  const [header, ...data] = records;
  if (!header) return [];
  return data.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Costs are compared to the cent's hundredth; token counts exactly. */
export function assertSumsEqual(actual: Sums, expected: Sums, what: string): void {
  for (const f of SUM_FIELDS) {
    const a = actual[f];
    const e = expected[f];
    const ok = f === 'costUSD' ? Math.abs(a - e) < 1e-6 : a === e;
    if (!ok) throw new Error(`${what}: ${f} is ${a}, the CLI says ${e}`);
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && (v as unknown) !== false) return v;
    } catch (e) { lastErr = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The API `activate()` returns (agreed with the host): readiness of the first index. */
export interface AgentMeterApi {
  whenReady?(): Promise<void>;
}

export async function activateExtension(): Promise<{ ext: vscode.Extension<AgentMeterApi>; api: AgentMeterApi | undefined }> {
  const ext = vscode.extensions.getExtension<AgentMeterApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  return { ext, api };
}
