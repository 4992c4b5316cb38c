/**
 * The dashboard's cost by activity: a doughnut and a table of the snapshot's `activity` view (host: app/dashboard/
 * activityView.ts), a subagent's slice in a lighter shade. With a project filter it is hidden, and a note says why:
 * activity is kept per UTC hour, source and model, not per project.
 */
import { ChartSlot, baseOptions, withAlpha } from './charts';
import { h, setText } from './dom';
import type { Formatter } from './format';
import { t } from './i18n';
import type { SortState } from './api';
import { SortableTable } from './table';
import type { ThemeColors } from './theme';
import type { ActivitySplit, DashboardSnapshot } from '../shared/protocol';
import type { DashboardKey } from '../shared/i18n/dashboard.en';

const CLASS_KEYS: Record<string, DashboardKey> = {
  coding: 'dashboard.activity.coding',
  running: 'dashboard.activity.running',
  delegating: 'dashboard.activity.delegating',
  research: 'dashboard.activity.research',
  exploring: 'dashboard.activity.exploring',
  other: 'dashboard.activity.other',
  conversation: 'dashboard.activity.conversation',
};

/** The display text of an activity key (`coding`, `mcp:<server>`, `delegating:<type>`, `subagent/…`, '' unknown). */
export function activityText(key: string): string {
  const subagent = key.startsWith('subagent/');
  const work = subagent ? key.slice('subagent/'.length) : key;
  const colon = work.indexOf(':');
  const cls = colon < 0 ? work : work.slice(0, colon);
  const detail = colon < 0 ? '' : work.slice(colon + 1);
  const base =
    work === '' ? t('dashboard.activity.unknown')
    : cls === 'mcp' ? t('dashboard.activity.mcp', { server: detail })
    : cls === 'delegating' && detail ? t('dashboard.activity.delegatingTo', { type: detail })
    : CLASS_KEYS[cls] ? t(CLASS_KEYS[cls]) : work;
  return subagent ? t('dashboard.activity.subagent', { activity: base }) : base;
}

export interface CostByActivity {
  readonly element: HTMLElement;
  render(s: DashboardSnapshot, f: Formatter, th: ThemeColors): void;
}

export function createCostByActivity(deps: { fmt: () => Formatter; sort: SortState | undefined; onSort: (s: SortState) => void }): CostByActivity {
  const canvas = h('canvas', { role: 'img', 'aria-label': t('dashboard.chart.costByActivity') });
  const box = h('div', { class: 'chart-box' }, canvas);
  const note = h('p', { class: 'muted small' });
  const f = () => deps.fmt();
  const table = new SortableTable<ActivitySplit>('activities', [
    { key: 'activity', label: t('dashboard.col.activity'), value: (r) => activityText(r.activity), cell: (r) => activityText(r.activity) },
    { key: 'requests', label: t('dashboard.col.requests'), value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'tokens', label: t('dashboard.col.tokens'), value: (r) => r.tokens, cell: (r) => f().tokens(r.tokens), numeric: true },
    { key: 'cost', label: t('dashboard.col.cost'), value: (r) => r.costUSD, cell: (r) => f().moneyPartial(r.costUSD, r.unpricedTokens), numeric: true },
  ], deps.sort ?? { key: 'cost', dir: 'desc' }, deps.onSort, t('dashboard.panel.costByActivity'));
  const element = h('section', { class: 'panel wide', 'aria-label': t('dashboard.panel.costByActivity') },
    h('h2', null, t('dashboard.panel.costByActivity')), box, note, table.element);
  let slot: ChartSlot<'doughnut'> | undefined;
  return {
    element,
    render(s, fm, th) {
      const v = s.activity;
      element.hidden = !v;
      if (!v) return;
      box.hidden = v.hiddenByProject || v.rows.length === 0;
      table.element.hidden = v.hiddenByProject;
      setText(note, v.hiddenByProject ? t('dashboard.activity.notPerProject') : v.hasUnknown ? t('dashboard.activity.unknownNote') : t('dashboard.activity.hourNote'));
      table.update(v.hiddenByProject ? [] : v.rows);
      if (v.hiddenByProject) return;
      slot ??= new ChartSlot<'doughnut'>(canvas);
      const base = baseOptions(th);
      const rows = v.rows;
      slot.render({
        type: 'doughnut',
        data: {
          labels: rows.map((x) => activityText(x.activity)),
          datasets: [{
            label: t('dashboard.cost.dataset'), data: rows.map((x) => x.costUSD),
            backgroundColor: rows.map((x, i) => (x.subagent ? withAlpha(th.palette[i % th.palette.length], 0.55) : th.palette[i % th.palette.length])),
            borderColor: th.background, borderWidth: 2,
          }],
        },
        options: {
          ...base,
          cutout: '55%',
          plugins: {
            ...base.plugins, legend: { position: 'right', labels: base.plugins.legend.labels },
            tooltip: { callbacks: { label: (it) => { const x = rows[it.dataIndex]; return t('dashboard.sources.item', { label: it.label, cost: fm.moneyPartial(x.costUSD, x.unpricedTokens), tokens: fm.tokens(x.tokens), requests: fm.integer(x.requests) }); } } },
          },
        },
      });
    },
  };
}
