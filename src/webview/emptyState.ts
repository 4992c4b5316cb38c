/** The empty state: where logs were looked for and how to point AgentMeter at other folders. */
import type { EmptyState } from '../shared/protocol';
import { button, h, replaceChildren } from './dom';

export function renderEmptyState(root: HTMLElement, e: EmptyState, openSetting: (id: string) => void): void {
  const list = (roots: string[]) => (roots.length ? h('ul', null, ...roots.map((r) => h('li', null, h('code', null, r)))) : h('p', { class: 'muted' }, 'none found'));
  replaceChildren(root,
    h('h2', null, e.indexing ? 'Reading your logs…' : 'No Claude Code or Codex usage found yet'),
    h('p', null, 'AgentMeter reads the local JSONL logs that Claude Code and the Codex CLI write. It looked in:'),
    h('h3', null, 'Claude Code'), list(e.claudeRoots),
    h('h3', null, 'Codex CLI'), list(e.codexRoots),
    e.notes.length ? h('ul', { class: 'muted' }, ...e.notes.map((n) => h('li', null, n))) : null,
    h('p', null, 'Claude Code keeps its logs in ', h('code', null, '~/.claude/projects'), ' (or ', h('code', null, '$CLAUDE_CONFIG_DIR'), '); Codex in ', h('code', null, '~/.codex/sessions'), ' (or ', h('code', null, '$CODEX_HOME'), '). If yours are elsewhere, add the folders to the settings:'),
    h('div', { class: 'button-row' },
      button('Set agentMeter.claude.directories', () => openSetting('agentMeter.claude.directories'), { class: 'secondary' }),
      button('Set agentMeter.codex.directories', () => openSetting('agentMeter.codex.directories'), { class: 'secondary' }),
    ),
  );
}
