/**
 * The status bar tooltip's team line: when this machine last pushed to the team database, and the last error while
 * pushes fail (with the next attempt). Markdown, plain text only. No `vscode` import.
 */
import type { TeamPushState } from '../teamPushScheduler';

export interface TeamTooltipInput {
  connected: boolean;
  /** this window pushes (the writer); the others show what the writer window does */
  isWriter: boolean;
  state: TeamPushState;
  /** formats an epoch ms as a local time, e.g. "14:05" (today) or "Dec 5, 14:05" */
  time(ms: number): string;
}

/** Markdown of the team line, or undefined when no team database is connected. */
export function teamTooltipLine(i: TeamTooltipInput): string | undefined {
  if (!i.connected) return undefined;
  if (!i.isWriter) return 'Team database: connected (the window that maintains the index pushes)';
  const s = i.state;
  const parts: string[] = [];
  if (s.pushing) parts.push('pushing…');
  parts.push(s.lastSuccessMs === null ? 'not pushed yet' : `last push ${i.time(s.lastSuccessMs)}${s.lastBuckets === null ? '' : ` (${s.lastBuckets.toLocaleString('en-US')} buckets)`}`);
  let line = `Team database: ${parts.join(' · ')}`;
  if (s.lastError) {
    const next = s.nextAttemptMs === null ? '' : `; next attempt ${i.time(s.nextAttemptMs)}`;
    line += `  \n$(warning) Last push failed${s.lastErrorMs === null ? '' : ` at ${i.time(s.lastErrorMs)}`}: ${escapeMarkdown(s.lastError)}${next}`;
  }
  return line;
}

/** The error text comes from the network or the server: shown as text, never as Markdown or a link. */
function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|~$]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}
