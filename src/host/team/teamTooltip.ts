/**
 * The status bar tooltip's team line: when this machine last pushed to the team database, and the last error while
 * pushes fail (with the next attempt). Markdown, plain text only. No `vscode` import.
 */
import type { TeamPushState } from '../teamPushScheduler';
import { englishTranslator, type Translator } from '../../app/i18n/translator';

export interface TeamTooltipInput {
  connected: boolean;
  /** this window pushes (the writer); the others show what the writer window does */
  isWriter: boolean;
  state: TeamPushState;
  /** formats an epoch ms as a local time, e.g. "14:05" (today) or "Dec 5, 14:05" */
  time(ms: number): string;
  /** the display language's table (default English) */
  t?: Translator;
}

/** Markdown of the team line, or undefined when no team database is connected. */
export function teamTooltipLine(i: TeamTooltipInput): string | undefined {
  if (!i.connected) return undefined;
  const t = i.t ?? englishTranslator;
  if (!i.isWriter) return t('teamTooltip.otherWindow');
  const s = i.state;
  const parts: string[] = [];
  if (s.pushing) parts.push(t('teamTooltip.pushing'));
  parts.push(s.lastSuccessMs === null ? t('teamTooltip.notYet')
    : s.lastBuckets === null ? t('teamTooltip.lastPush', { time: i.time(s.lastSuccessMs) })
      : t('teamTooltip.lastPushBuckets', { time: i.time(s.lastSuccessMs), buckets: s.lastBuckets.toLocaleString(t.language === 'zh-cn' ? 'zh-CN' : 'en-US') }));
  let line = t('teamTooltip.line', { parts: parts.join(' · ') });
  if (s.lastError) {
    const next = s.nextAttemptMs === null ? '' : t('teamTooltip.next', { time: i.time(s.nextAttemptMs) });
    const failed = s.lastErrorMs === null ? t('teamTooltip.failed', { error: escapeMarkdown(s.lastError) }) : t('teamTooltip.failedAt', { time: i.time(s.lastErrorMs), error: escapeMarkdown(s.lastError) });
    line += `  \n$(warning) ${failed}${next}`;
  }
  return line;
}

/** The error text comes from the network or the server: shown as text, never as Markdown or a link. */
function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|~$]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}
