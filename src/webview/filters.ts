/**
 * The filter bar: date range presets (+ custom dates), source, project, model, and the export buttons.
 * Option labels (project paths, model names) are set as text. Changing a filter posts `setFilters`.
 */
import type { DashboardFilters, DashboardSnapshot, ExportFormat, ExportGrain, RangePreset } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';
import type { DashboardKey } from '../shared/i18n/dashboard.en';
import { t } from './i18n';

const RANGES: [RangePreset, DashboardKey][] = [['7d', 'dashboard.range.7d'], ['30d', 'dashboard.range.30d'], ['90d', 'dashboard.range.90d'], ['365d', 'dashboard.range.365d'], ['all', 'dashboard.range.all'], ['custom', 'dashboard.range.custom']];
const GRAINS: [ExportGrain, DashboardKey][] = [['day', 'dashboard.grain.day'], ['week', 'dashboard.grain.week'], ['month', 'dashboard.grain.month'], ['session', 'dashboard.grain.session'], ['project', 'dashboard.grain.project'], ['model', 'dashboard.grain.model'], ['branch', 'dashboard.grain.branch'], ['activity', 'dashboard.grain.activity'], ['bucket', 'dashboard.grain.bucket']];

export class FilterBar {
  readonly element: HTMLElement;
  private filters: DashboardFilters;
  private readonly rangeButtons = new Map<RangePreset, HTMLButtonElement>();
  private readonly since = h('input', { type: 'date', 'aria-label': t('dashboard.filter.fromDay') });
  private readonly until = h('input', { type: 'date', 'aria-label': t('dashboard.filter.toDay') });
  private readonly custom = h('span', { class: 'custom-range' });
  private readonly source = h('select', { 'aria-label': t('dashboard.filter.source') });
  private readonly project = h('select', { 'aria-label': t('dashboard.filter.project') });
  private readonly model = h('select', { 'aria-label': t('dashboard.filter.model') });
  private readonly grain = h('select', { 'aria-label': t('dashboard.filter.exportGrain') });

  constructor(initial: DashboardFilters, private readonly onChange: (f: DashboardFilters) => void, onExport: (format: ExportFormat, grain: ExportGrain) => void) {
    this.filters = { ...initial };
    const group = h('div', { class: 'segmented', role: 'group', 'aria-label': t('dashboard.filter.dateRange') });
    for (const [id, label] of RANGES) {
      const b = button(t(label), () => this.set({ range: id }), { 'aria-pressed': 'false' });
      this.rangeButtons.set(id, b);
      group.appendChild(b);
    }
    this.custom.append(this.since, document.createTextNode(' – '), this.until);
    const onDates = () => {
      if (this.since.value && this.until.value) this.set({ range: 'custom', sinceDay: this.since.value, untilDay: this.until.value });
    };
    this.since.addEventListener('change', onDates);
    this.until.addEventListener('change', onDates);
    this.source.addEventListener('change', () => this.set({ source: this.source.value || 'all' }));
    this.project.addEventListener('change', () => this.set({ project: this.project.value || null }));
    this.model.addEventListener('change', () => this.set({ model: this.model.value || null }));
    replaceChildren(this.grain, ...GRAINS.map(([g, l]) => h('option', { value: g }, t(l))));
    this.element = h('div', { class: 'filters' },
      group, this.custom,
      h('label', null, `${t('dashboard.filter.source')} `, this.source),
      h('label', null, `${t('dashboard.filter.project')} `, this.project),
      h('label', null, `${t('dashboard.filter.model')} `, this.model),
      h('span', { class: 'spacer' }),
      h('label', null, `${t('dashboard.filter.export')} `, this.grain),
      button(t('dashboard.filter.csv'), () => onExport('csv', this.grain.value as ExportGrain), { title: t('dashboard.filter.csvTitle') }),
      button(t('dashboard.filter.json'), () => onExport('json', this.grain.value as ExportGrain), { class: 'secondary', title: t('dashboard.filter.jsonTitle') }),
    );
    this.paintRange();
  }

  private set(patch: Partial<DashboardFilters>): void {
    this.filters = { ...this.filters, ...patch };
    if (this.filters.range !== 'custom') {
      delete this.filters.sinceDay;
      delete this.filters.untilDay;
    }
    this.paintRange();
    this.onChange(this.filters);
  }

  private paintRange(): void {
    for (const [id, b] of this.rangeButtons) {
      const on = id === this.filters.range;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('active', on);
    }
    this.custom.hidden = this.filters.range !== 'custom';
  }

  /** Refreshes option lists and values from a snapshot (the host's resolved filters win). */
  update(s: DashboardSnapshot, sourceLabel: (id: string) => string): void {
    this.filters = { ...s.filters };
    this.paintRange();
    if (s.rangeFromDay && s.rangeToDay) {
      this.since.value = s.rangeFromDay;
      this.until.value = s.rangeToDay;
    }
    fill(this.source, [['', t('dashboard.filter.allSources')], ...s.filterOptions.sources.map((x): [string, string] => [x, sourceLabel(x)])], s.filters.source === 'all' ? '' : s.filters.source);
    fill(this.project, [['', t('dashboard.filter.allProjects')], ...s.filterOptions.projects.map((p): [string, string] => [p.key, p.label])], s.filters.project ?? '');
    fill(this.model, [['', t('dashboard.filter.allModels')], ...s.filterOptions.models.map((m): [string, string] => [m, m])], s.filters.model ?? '');
  }
}

/** Replaces a select's options (text only) and selects `value`, keeping a selected value that has no data now. */
function fill(sel: HTMLSelectElement, options: [string, string][], value: string): void {
  if (value && !options.some(([v]) => v === value)) options.push([value, value]);
  const same = sel.options.length === options.length && options.every(([v, l], i) => sel.options[i].value === v && sel.options[i].text === l);
  if (!same) replaceChildren(sel, ...options.map(([v, l]) => h('option', { value: v }, l)));
  sel.value = value;
}
