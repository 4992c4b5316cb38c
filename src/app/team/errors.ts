/**
 * One-line errors of the team database, by kind, for the CLI's exit codes and the editor's status tooltip.
 * - `bad-url`: the connection URL cannot be read; `unreachable`: no answer, refused, DNS, timeout, no such database;
 * - `auth`: password or login refused; `tls`: TLS required/refused or the certificate not trusted;
 * - `not-initialised`: `agentmeter team init` never ran there; `newer-schema`: written by a newer AgentMeter;
 * - `forbidden`: the login may not do this (not bound to the member, not a lead); `busy`: the index is being written;
 * - `bad-input`: a member or machine name that cannot be sent; `failed`: anything else the server said.
 */
export type TeamErrorKind =
  | 'bad-url' | 'unreachable' | 'auth' | 'tls' | 'not-initialised' | 'newer-schema' | 'forbidden' | 'busy' | 'bad-input'
  | 'failed';

export class TeamError extends Error {
  constructor(readonly kind: TeamErrorKind, message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'TeamError';
  }

  /** Whether connecting again later may succeed (the editor backs off and retries these). */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'busy';
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

/** Maps a `pg` / socket error to a TeamError with a one-line message (`where`: the database's display name). */
export function toTeamError(e: unknown, where: string): TeamError {
  if (e instanceof TeamError) return e;
  const err = e as { code?: string; message?: string };
  const msg = oneLine(err?.message ?? String(e));
  const code = err?.code ?? '';
  if (code === '28P01' || code === '28000') return new TeamError('auth', `team database ${where}: login refused (${msg})`, e);
  if (code === '3D000') return new TeamError('unreachable', `team database ${where}: ${msg}`, e);
  if (code === '42501') return new TeamError('forbidden', `team database ${where}: not allowed (${msg})`, e);
  if (UNREACHABLE_CODES.has(code) || /timeout|terminated|Connection ended|closed the connection|ECONNREFUSED/i.test(msg)) {
    return new TeamError('unreachable', `team database ${where} unreachable (${msg})`, e);
  }
  if (/SSL|TLS|certificate|self[- ]signed/i.test(msg) || /^ERR_TLS|CERT|^DEPTH_ZERO/.test(code)) {
    return new TeamError('tls', `team database ${where}: TLS failed (${msg})`, e);
  }
  return new TeamError('failed', `team database ${where}: ${msg}`, e);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
