import type { LanguageCode, OrRuleSet, OrRuleSetVersionDto, OrRuleSetVersionListItem, OrTexts } from '@direturn/protocol';
import type { OrientationRuleSetRow } from './orientation.table.js';

export const toVersionDto = (row: OrientationRuleSetRow, ruleSet: OrRuleSet, agentName: string | null): OrRuleSetVersionDto => ({
  version: Number(row.version),
  ruleSet,
  createdAt: Number(row.created_at),
  agentName,
  comment: row.comment,
});

export const toVersionListItem = (row: { version: number; example: number; comment: string | null; created_at: number; agent_name: string | null }): OrRuleSetVersionListItem => ({
  version: Number(row.version),
  createdAt: Number(row.created_at),
  agentName: row.agent_name,
  comment: row.comment,
  example: Number(row.example) === 1,
});

/**
 * The rule set with the texts a visitor can need: their language, German (the printed copy) and
 * English (the fallback). Conditions are untouched, so the result is the same; about a quarter of the size.
 */
export function forLanguage(ruleSet: OrRuleSet, language: LanguageCode): OrRuleSet {
  const keep = (t: OrTexts | undefined): OrTexts | undefined => (t ? Object.fromEntries(Object.entries(t).filter(([l]) => l === language || l === 'de' || l === 'en')) : t);
  const withText = <T extends { text?: OrTexts }>(x: T): T => (x.text ? { ...x, text: keep(x.text)! } : x);
  return {
    ...ruleSet,
    questions: ruleSet.questions.map((q) => ({ ...withText(q), ...(q.help ? { help: keep(q.help)! } : {}), ...(q.options ? { options: q.options.map(withText) } : {}) })),
    items: ruleSet.items.map((i) => ({ ...withText(i), title: keep(i.title)! })),
  };
}
