/** The empty state: where logs were looked for and how to point AgentMeter at other folders. */
import type { EmptyState } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';
import { sourceLabel } from './sources';

export function renderEmptyState(root: HTMLElement, e: EmptyState, openSetting: (id: string) => void): void {
  const list = (roots: string[]) => (roots.length ? h('ul', null, ...roots.map((r) => h('li', null, h('code', null, r)))) : h('p', { class: 'muted' }, 'none found'));
  replaceChildren(root,
    h('h2', null, e.indexing ? 'Reading your logs…' : 'No AI agent usage found yet'),
    h('p', null, 'AgentMeter reads the local logs your AI coding agents write. It looked in:'),
    ...e.searched.flatMap((s) => [h('h3', null, sourceLabel(s.source)), list(s.dirs)]),
    e.notes.length ? h('ul', { class: 'muted' }, ...e.notes.map((n) => h('li', null, n))) : null,
    h('p', null, 'If your logs are elsewhere, add their folders to the settings:'),
    h('div', { class: 'button-row' },
      ...e.searched.map((s) => button(`Set agentMeter.sources.${s.source}.directories`, () => openSetting(`agentMeter.sources.${s.source}.directories`), { class: 'secondary', title: `${sourceLabel(s.source)} log folders` })),
    ),
  );
}
