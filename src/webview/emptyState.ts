/** The empty state: where logs were looked for and how to point AgentMeter at other folders. */
import type { EmptyState } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';
import { sourceLabel } from './sources';
import { t } from './i18n';

export function renderEmptyState(root: HTMLElement, e: EmptyState, openSetting: (id: string) => void): void {
  const list = (roots: string[]) => (roots.length ? h('ul', null, ...roots.map((r) => h('li', null, h('code', null, r)))) : h('p', { class: 'muted' }, t('dashboard.empty.noneFound')));
  replaceChildren(root,
    h('h2', null, e.indexing ? t('dashboard.empty.reading') : t('dashboard.empty.title')),
    h('p', null, t('dashboard.empty.lookedIn')),
    ...e.searched.flatMap((s) => [h('h3', null, sourceLabel(s.source)), list(s.dirs)]),
    e.notes.length ? h('ul', { class: 'muted' }, ...e.notes.map((n) => h('li', null, n))) : null,
    h('p', null, t('dashboard.empty.elsewhere')),
    h('div', { class: 'button-row' },
      ...e.searched.map((s) => button(t('dashboard.empty.setDirs', { source: s.source }), () => openSetting(`agentMeter.sources.${s.source}.directories`), { class: 'secondary', title: t('dashboard.empty.setDirsTitle', { label: sourceLabel(s.source) }) })),
    ),
  );
}
