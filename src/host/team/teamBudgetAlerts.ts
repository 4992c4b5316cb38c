/**
 * Leads' notifications of exceeded team budgets (issue 16): each budget (the team's or a member's) over its limit
 * is told once per period (its local start date in the configured zone, week start and billing day), in the writer
 * window after a push. No `vscode` import: the host shows the messages and keeps the told keys.
 */
import { periodAt, type PeriodKind, type PeriodOptions } from '../../core/limits/periods';
import type { TeamBudgetBar } from '../../shared/protocol';
import { englishTranslator, type MessageKey, type Translator } from '../../app/i18n/translator';

const KIND: Record<TeamBudgetBar['period'], PeriodKind> = { daily: 'day', weekly: 'week', monthly: 'month' };

export interface TeamBudgetAlert {
  /** unique per budget and period: told once */
  key: string;
  message: string;
  /** percent of the budget spent (the alert history's value; its threshold is 100) */
  pct: number;
  /** the message as a string-table key and arguments (the alert history shows it in the display language) */
  text: { key: 'teamAlert.over'; args: Record<string, string | number> };
}

/** The exceeded budgets not told yet this period. */
export function teamBudgetAlerts(
  bars: readonly TeamBudgetBar[], nowMs: number, opts: PeriodOptions, told: ReadonlySet<string>, money: (usd: number) => string,
  t: Translator = englishTranslator,
): TeamBudgetAlert[] {
  const out: TeamBudgetAlert[] = [];
  for (const b of bars) {
    if (b.ratio < 1) continue;
    const key = `${b.member === null ? '' : `m:${b.member}`}|${periodAt(KIND[b.period], nowMs, opts).id}`;
    if (told.has(key)) continue;
    const who = b.member === null ? t('teamAlert.team') : b.member;
    const period = t(`team.budget.${b.period}` as MessageKey);
    const args = { who, spent: money(b.spentUSD), period, limit: money(b.limitUSD), pct: Math.round(b.ratio * 100) };
    out.push({ key, message: t('teamAlert.over', args), pct: b.ratio * 100, text: { key: 'teamAlert.over', args } });
  }
  return out;
}
