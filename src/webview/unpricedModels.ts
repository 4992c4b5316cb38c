/**
 * The footer's list of unpriced models: a model unpriced only because of its web searches says so with their count
 * ("glm-4.6 (12 web searches, which have no known price)"), any other is named alone (no price known).
 */
import type { DashboardSnapshot } from '../shared/protocol';
import type { Formatter } from './format';
import { t } from './i18n';

export function unpricedModelsText(s: Pick<DashboardSnapshot, 'unpricedModels' | 'unpricedWebSearches'>, fmt: Pick<Formatter, 'integer'>): string {
  const searched = new Map(s.unpricedWebSearches.map((w) => [w.model, w.searches]));
  return s.unpricedModels
    .map((m) => {
      const n = searched.get(m);
      return n === undefined ? m : t('dashboard.footer.unpricedWebSearch', { model: m, searches: fmt.integer(n) });
    })
    .join(', ');
}
