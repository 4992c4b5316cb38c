/** A report built from hand-made facts (Claude + Codex, a priced and an unpriced model, a project with markup). */
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { ReportData } from '../../../src/app/reports/gather';
import { buildReport, type BuildOptions, type ReportDoc } from '../../../src/app/reports/model';
import { resolvePeriod } from '../../../src/app/reports/period';
import type { TemplateId } from '../../../src/app/reports/templates';
import { fact } from '../report/facts';

export const NOW = Date.parse('2026-03-10T09:30:00Z');
export const TZ = 'Europe/Berlin';

export function sampleData(): ReportData {
  const facts = [
    fact('2026-03-02T08:00:00Z', { input: 1000, output: 500, cacheRead: 20_000, cacheWrite5m: 2000 }),
    fact('2026-03-02T23:30:00Z', { input: 10, output: 1000, model: 'claude-opus-4-6', session: 's2' }), // 00:30 on the 3rd in Berlin
    fact('2026-03-03T10:00:00Z', { input: 50, output: 50, model: 'claude-mystery-5', session: 's2' }),
    fact('2026-03-04T12:00:00Z', { source: 'codex', model: 'gpt-5-codex', input: 2000, output: 500, cacheRead: 8000, project: '/home/ana/<b>x|y</b>', session: 'c1' }),
  ];
  return {
    facts,
    displayPaths: { 'claude\u0000-home-ana-shop': '/home/ana/shop' },
    skipped: { malformedLines: 1, duplicateLines: 2 },
    unknownUsage: { cline: 1 },
    estimatedDays: [{ date: '2026-03-01', model: 'claude-sonnet-4-5-20250929', input: 300, output: 100, cacheRead: 0, cacheCreation: 0, dayTokens: 400 }],
    agentCostUSD: {},
    latestQuota: null,
  };
}

export function sampleDoc(template: TemplateId = 'summary', extra: Partial<BuildOptions> = {}): ReportDoc {
  return buildReport(sampleData(), {
    template,
    period: resolvePeriod({ preset: 'custom', since: '2026-03-01', until: '2026-03-07' }, NOW, TZ, 1),
    scope: { sources: [] },
    timeZone: TZ,
    weekStart: 1,
    prices: createPriceTable(),
    nowMs: NOW,
    ...extra,
  });
}
