import type { Insertable, Selectable } from 'kysely';

/** One saved version of the orientation rule set (questionnaire, result items, rules); never updated. */
export interface OrientationRuleSetTable {
  version: number;
  /** The rule set as JSON (OrRuleSet), validated before it was saved. */
  document: string;
  /** 1 = the shipped example content (to review). */
  example: number;
  agent_id: string | null;
  comment: string | null;
  created_at: number;
}
export type OrientationRuleSetRow = Selectable<OrientationRuleSetTable>;
export type NewOrientationRuleSetRow = Insertable<OrientationRuleSetTable>;
