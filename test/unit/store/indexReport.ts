import type { Database } from 'sql.js';
import { committedDims } from '../../../src/core/query/committedDims';
import { loadDimTotals } from '../../../src/core/query/dimTotals';
import { loadFacts, loadProjects } from '../../../src/core/query/facts';

/**
 * What an index reports, independent of its row ids: the facts, the projects, each session's totals under its dims
 * row's strings — for comparing a migrated index with a new index of the same logs.
 */
export function indexReport(d: Database) {
  const dims = committedDims(d);
  return {
    facts: loadFacts(d),
    projects: loadProjects(d),
    totals: loadDimTotals(d).map(({ dim, ...t }) => ({ ...t, dim: dims.get(dim) })),
  };
}
