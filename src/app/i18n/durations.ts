/**
 * Countdowns and quota window names in the display language. The core writes them in a compact English form
 * (`formatCountdown`: "2h 05m", "1d 3h", "45m", "<1m", "now"; `windowLabel`: "5h", "weekly", "7d", "90m", "window");
 * these render the same values through the string tables — in English the core's own text, character for character
 * (a unit test holds them equal) — and also read the core's compact text back, for messages the core already wrote
 * (an alert's arguments).
 */
import { formatCountdown } from '../../core/limits/codexQuota';
import { englishTranslator, type Translator } from './translator';

export function countdownText(msLeft: number, t: Translator = englishTranslator): string {
  return localizeCountdown(formatCountdown(msLeft), t);
}

/** The core's compact countdown ("2h 05m") in the display language; any other text is returned as it is. */
export function localizeCountdown(s: string, t: Translator = englishTranslator): string {
  if (t.language === 'en') return s;
  if (s === 'now') return t('duration.now');
  if (s === '<1m') return t('duration.underMinute');
  let m = /^(\d+)d (\d+)h$/.exec(s);
  if (m) return t('duration.dh', { d: Number(m[1]), h: Number(m[2]) });
  m = /^(\d+)h (\d+)m$/.exec(s);
  if (m) return t('duration.hm', { h: Number(m[1]), m: m[2] });
  m = /^(\d+)m$/.exec(s);
  if (m) return t('duration.m', { m: Number(m[1]) });
  return s;
}

/** The core's quota window label ("5h", "weekly", "7d", "90m", "window") in the display language. */
export function localizeWindowLabel(label: string, t: Translator = englishTranslator): string {
  if (t.language === 'en') return label;
  if (label === 'weekly') return t('window.weekly');
  if (label === 'window') return t('window.unknown');
  const m = /^(\d+)([dhm])$/.exec(label);
  if (!m) return label;
  return t(m[2] === 'd' ? 'window.days' : m[2] === 'h' ? 'window.hours' : 'window.minutes', { n: Number(m[1]) });
}

/** "resets in 2h 05m" / "reset" / "" (core `resetCountdown`) in the display language. */
export function resetText(w: { isStale: boolean; resetsAtMs: number | null }, nowMs: number, t: Translator = englishTranslator): string {
  if (w.isStale) return t('quota.reset');
  if (w.resetsAtMs === null) return '';
  return t('quota.resetsIn', { countdown: countdownText(w.resetsAtMs - nowMs, t) });
}
