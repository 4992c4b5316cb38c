import { createHash } from 'node:crypto';
import type { ProjectMode } from './types';

/**
 * What a machine sends as a project: the folder name (the display path's last part; default), the full display path,
 * or a salted hash of the full path (`h:` + 16 hex digits of SHA-256(salt NUL path)): equal on every machine that is
 * given the same salt, unreadable without it.
 */
export function teamProjectKey(displayPath: string, mode: ProjectMode, salt = ''): string {
  if (mode === 'path') return displayPath;
  if (mode === 'hash') return `h:${createHash('sha256').update(`${salt}\u0000${displayPath}`).digest('hex').slice(0, 16)}`;
  const trimmed = displayPath.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i >= 0 ? trimmed.slice(i + 1) || trimmed : trimmed;
}
