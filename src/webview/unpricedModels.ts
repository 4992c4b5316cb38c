/**
 * The footer's list of unpriced models: a model unpriced only because of its web searches says so with their count
 * ("glm-4.6 (12 web searches, which have no known price)"), any other is named alone (no price known); the rule is
 * shared/unpricedItems.ts, as the reports and the status tooltip list them.
 */
import type { DashboardSnapshot } from '../shared/protocol';
import { unpricedItems } from '../shared/unpricedItems';
import type { Formatter } from './format';
import { t } from './i18n';

export function unpricedModelsText(s: Pick<DashboardSnapshot, 'unpricedModels' | 'unpricedWebSearches'>, fmt: Pick<Formatter, 'integer'>): string {
  return unpricedItems(s, (model, n) => t('dashboard.footer.unpricedWebSearch', { model, searches: fmt.integer(n) })).join(', ');
}
