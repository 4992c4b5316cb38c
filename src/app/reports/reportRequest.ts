/**
 * The argument form of `agentMeter.createReport` (tests, keybindings, other extensions):
 * `{ format: 'md'|'html'|'xlsx'|'pdf', template?, period?: 'today'|…|'lastMonth'|'all' | { since, until },
 *    sources?: string[], project?, team?: 'team'|'me-all', path? }` — with `path` no dialog at all; `team` reads the
 * connected team database instead of this machine's index. Pure; TypeError/RangeError on bad values.
 */
import { isSourceId } from '../../core/sources/registry';
import type { Source } from '../../core/types';
import type { ReportScope } from './gather';
import { parsePeriodPreset, type PeriodSpec } from './period';
import { isReportFormat, type ReportFormat } from './render/formats';
import { parseTemplate, type TemplateId } from './templates';
import { parseDay } from '../../core/report/tz';
import type { TeamScope } from '../../core/team/types';

export interface ReportRequest {
  template: TemplateId;
  period: PeriodSpec;
  scope: ReportScope;
  format: ReportFormat;
  /** the team database instead of this machine's index: the team the login may read, or this member's machines */
  team?: TeamScope;
  path?: string;
}

export function parseReportRequest(arg: unknown): ReportRequest | undefined {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const a = arg as Record<string, unknown>;
  if (!isReportFormat(a.format)) throw new TypeError(`format must be md, html, xlsx or pdf (got ${JSON.stringify(a.format)})`);
  let template: TemplateId = 'summary';
  if (a.template !== undefined) {
    const t = typeof a.template === 'string' ? parseTemplate(a.template) : undefined;
    if (!t) throw new TypeError(`unknown template ${JSON.stringify(a.template)}`);
    template = t;
  }
  let period: PeriodSpec = { preset: 'thisMonth' };
  if (typeof a.period === 'string') {
    const p = parsePeriodPreset(a.period);
    if (!p) throw new TypeError(`unknown period "${a.period}"`);
    period = { preset: p };
  } else if (a.period && typeof a.period === 'object') {
    const { since, until } = a.period as Record<string, unknown>;
    if (typeof since !== 'string' || typeof until !== 'string') throw new TypeError('a custom period needs since and until (YYYY-MM-DD)');
    parseDay(since);
    parseDay(until);
    if (until < since) throw new RangeError(`"${until}" is before "${since}"`);
    period = { preset: 'custom', since, until };
  } else if (a.period !== undefined) throw new TypeError('period must be a name or { since, until }');
  const sources: Source[] = [];
  if (a.sources !== undefined) {
    if (!Array.isArray(a.sources)) throw new TypeError('sources must be a list of source ids');
    for (const s of a.sources) {
      if (!isSourceId(s)) throw new TypeError(`unknown source ${JSON.stringify(s)}`);
      sources.push(s);
    }
  }
  const req: ReportRequest = { template, period, scope: { sources }, format: a.format };
  if (typeof a.project === 'string' && a.project) req.scope.project = a.project;
  if (a.team !== undefined) {
    if (a.team !== 'team' && a.team !== 'me-all') throw new TypeError(`team must be "team" or "me-all" (got ${JSON.stringify(a.team)})`);
    req.team = a.team;
  }
  if (typeof a.path === 'string' && a.path) req.path = a.path;
  return req;
}

/** `agentmeter-<template>-<first day or today>.<ext>`; `agentmeter-team-…` / `agentmeter-all-machines-…` from the team database */
export function defaultReportName(template: TemplateId, format: ReportFormat, since: string | undefined, today: string, team?: TeamScope): string {
  const scope = team === 'team' ? 'team-' : team === 'me-all' ? 'all-machines-' : '';
  return `agentmeter-${scope}${template}-${since ?? today}.${format}`;
}
