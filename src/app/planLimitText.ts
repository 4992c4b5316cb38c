import type { PlanLimit } from '../core/limits/plans';
import { englishTranslator, type Translator } from './i18n/translator';

/**
 * Plan limits in words, in the display language. `describePlanLimitText` is core `describePlanLimit` (the status
 * bar tooltip) through the string tables — in English and dollars the same text (a unit test holds them equal); its
 * cost in the display currency when `money` is given (the tooltip's, like every other amount there);
 * `planLimitLabel` is the dashboard's label for the limit line of the blocks chart.
 */
export function describePlanLimitText(limit: PlanLimit, t: Translator = englishTranslator, money: (usd: number) => string = (usd) => `$${usd.toFixed(2)}`): string {
  const locale = t.language === 'zh-cn' ? 'zh-CN' : 'en-US';
  const parts: string[] = [];
  if (limit.tokens !== null) parts.push(t('planLimit.describe.tokens', { tokens: Math.round(limit.tokens).toLocaleString(locale) }));
  if (limit.costUsd !== null) parts.push(money(limit.costUsd));
  const what = parts.length ? t('planLimit.describe.per5h', { limit: parts.join(' / ') }) : t('planLimit.describe.none');
  switch (limit.method) {
    case 'preset': return t('planLimit.describe.preset', { plan: limit.plan, what });
    case 'custom': return t('planLimit.describe.custom', { what });
    case 'p90-near-limit': return t('planLimit.describe.p90NearLimit', { n: limit.blocksUsed, what });
    case 'p90-all': return t('planLimit.describe.p90All', { n: limit.blocksUsed, what });
    default: return t('planLimit.describe.other', { plan: limit.plan, what });
  }
}

export function planLimitLabel(limit: Pick<PlanLimit, 'method' | 'blocksUsed' | 'plan' | 'isEstimate'>, t: Translator = englishTranslator): string | null {
  switch (limit.method) {
    case 'preset': return t('planLimit.preset', { plan: limit.plan });
    case 'custom': return t('planLimit.custom');
    case 'p90-near-limit': return t('planLimit.p90NearLimit', { n: limit.blocksUsed });
    case 'p90-all': return t('planLimit.p90All', { n: limit.blocksUsed });
    default: return limit.isEstimate ? t('planLimit.estimate') : null;
  }
}
