/**
 * Who and what this machine pushes as: `agentMeter.team.member` (default: git's `user.email`, else the OS user name)
 * and `agentMeter.team.machine` (default: the host name). The member setting is an application setting, so the
 * remote hosts of one editor (SSH, WSL, containers) push under the same member; each has its own host name. No
 * `vscode` import.
 */
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import type { TeamSettings } from '../../app/settings';

export interface TeamIdentity {
  member: string;
  machine: string;
}

/** git's global/system `user.email` (trimmed), or null when git is missing or has none. */
export type GitEmail = () => Promise<string | null>;

export const gitUserEmail: GitEmail = () =>
  new Promise((resolve) => {
    execFile('git', ['config', '--get', 'user.email'], { timeout: 5000, windowsHide: true }, (err, stdout) => {
      const v = err ? '' : String(stdout).trim();
      resolve(v ? v : null);
    });
  });

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function resolveTeamIdentity(
  s: Pick<TeamSettings, 'member' | 'machine'>,
  deps: { gitEmail?: GitEmail; hostName?: () => string; osUser?: () => string } = {},
): Promise<TeamIdentity> {
  const member = s.member ?? (await (deps.gitEmail ?? gitUserEmail)()) ?? (deps.osUser ?? osUser)();
  const machine = s.machine ?? (deps.hostName ?? hostname)();
  return { member, machine };
}
