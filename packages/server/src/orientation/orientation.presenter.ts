import type { OrRuleSet, OrRuleSetVersionDto, OrRuleSetVersionListItem } from '@direturn/protocol';
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
