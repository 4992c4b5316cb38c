/** The report templates: what each one shows (the tables and charts are built in model.ts). */
import { englishTranslator, type Translator } from '../i18n/translator';

export type TemplateId = 'summary' | 'project' | 'model' | 'agent' | 'sessions' | 'budgets';

export const TEMPLATES: readonly { id: TemplateId; label: string; description: string }[] = [
  { id: 'summary', label: 'Summary', description: 'totals, cost by day, by agent and by model' },
  { id: 'project', label: 'By project', description: 'one row per project' },
  { id: 'model', label: 'By model', description: 'one row per model and agent' },
  { id: 'agent', label: 'By agent', description: 'one row per agent (source), and each agent by day' },
  { id: 'sessions', label: 'Sessions', description: 'one row per session' },
  { id: 'budgets', label: 'Budgets and limits', description: 'spend against the daily, weekly and monthly budgets; Codex quota' },
];

const ALIASES: Record<string, TemplateId> = {
  summary: 'summary', project: 'project', projects: 'project', 'by-project': 'project', model: 'model', models: 'model',
  'by-model': 'model', agent: 'agent', agents: 'agent', 'by-agent': 'agent', source: 'agent', sources: 'agent',
  session: 'sessions', sessions: 'sessions', budget: 'budgets', budgets: 'budgets', limits: 'budgets',
};

export function parseTemplate(value: string): TemplateId | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

/** The template's name in the translator's language (TEMPLATES' labels are the English ones). */
export function templateLabel(id: TemplateId, t: Translator = englishTranslator): string {
  return t(`report.template.${id}`);
}
