/** The report templates: what each one shows (the tables and charts are built in model.ts). */
import { englishTranslator, type Translator } from '../i18n/translator';

export type TemplateId = 'summary' | 'project' | 'model' | 'agent' | 'sessions' | 'budgets';

/** The templates in the pick's order (names are messages: `report.template.<id>`, `templateLabel`). */
export const TEMPLATES: readonly TemplateId[] = ['summary', 'project', 'model', 'agent', 'sessions', 'budgets'];

const ALIASES: Record<string, TemplateId> = {
  summary: 'summary', project: 'project', projects: 'project', 'by-project': 'project', model: 'model', models: 'model',
  'by-model': 'model', agent: 'agent', agents: 'agent', 'by-agent': 'agent', source: 'agent', sources: 'agent',
  session: 'sessions', sessions: 'sessions', budget: 'budgets', budgets: 'budgets', limits: 'budgets',
};

export function parseTemplate(value: string): TemplateId | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

/** The template's name in the translator's language. */
export function templateLabel(id: TemplateId, t: Translator = englishTranslator): string {
  return t(`report.template.${id}`);
}
