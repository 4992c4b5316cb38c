/**
 * How unpriced models are listed wherever a missing cost is explained (reports, the CLI, the status tooltip, the
 * dashboard's footer): each by name, and one unpriced only because of its web searches by `withSearches` (its wording
 * comes from the caller's string table).
 */
export interface UnpricedLists {
  unpricedModels: readonly string[];
  /** of `unpricedModels`, those unpriced only because of their web searches, with their count */
  unpricedWebSearches: readonly { model: string; searches: number }[];
}

export function unpricedItems(row: UnpricedLists, withSearches: (model: string, searches: number) => string, name: (model: string) => string = (m) => m): string[] {
  const searched = new Map(row.unpricedWebSearches.map((w) => [w.model, w.searches]));
  return row.unpricedModels.map((m) => {
    const n = searched.get(m);
    return n === undefined ? name(m) : withSearches(name(m), n);
  });
}
