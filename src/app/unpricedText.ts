/**
 * How an unpriced model is named where a report, the CLI or the status tooltip explains a missing cost: a model
 * unpriced because of its web searches (its tokens have a price, its searches none; core/report/rows.ts
 * `unpricedWebSearches`) says so with its count of searches; any other unpriced model is named alone (no price known).
 */
import type { ReportRow, UnpricedWebSearches } from '../core/report/rows';
import { englishTranslator, type Translator } from './i18n/translator';
import { unpricedItems } from '../shared/unpricedItems';

/** "glm-4.6 (12 web searches, which have no known price)", one per model. */
export function unpricedWebSearchItems(searched: readonly UnpricedWebSearches[], t: Translator = englishTranslator): string[] {
  return searched.map((w) => t('report.unpricedWebSearches', { model: w.model, searches: w.searches.toLocaleString('en-US') }));
}

/** The unpriced models with no price at all (not explained by their web searches), in the row's order. */
export function unpricedWithoutPrice(row: Pick<ReportRow, 'unpricedModels' | 'unpricedWebSearches'>): string[] {
  const searched = new Set(row.unpricedWebSearches.map((w) => w.model));
  return row.unpricedModels.filter((m) => !searched.has(m));
}

/** Every unpriced model of the row, by name (`name`: how a bare model is shown), those unpriced for their searches saying so. */
export function unpricedModelItems(row: Pick<ReportRow, 'unpricedModels' | 'unpricedWebSearches'>, t: Translator = englishTranslator, name: (model: string) => string = (m) => m): string[] {
  return unpricedItems(row, (model, searches) => unpricedWebSearchItems([{ model, searches }], t)[0], name);
}
