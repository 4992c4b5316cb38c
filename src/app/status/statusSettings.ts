import type { AgentMeterSettings } from '../settings';
import type { StatusSettings } from '../indexWorker/engine';

/** The settings the index worker's status summaries depend on (sent to the worker when they change). */
export function statusSettingsOf(s: AgentMeterSettings): StatusSettings {
  return {
    timeZone: s.timeZone,
    weekStart: s.weekStart,
    billingCycleStartDay: s.budgets.billingCycleStartDay,
    budgets: s.budgets,
    priceOverrides: s.priceOverrides,
    ...(s.currency.rates ? { currencyRates: s.currency.rates } : {}),
    claudePlan: s.claudePlan,
    ...(s.alerts?.anomalies ? { anomalies: true } : {}),
  };
}
