import type { SiteTable } from '../sites/site.table.js';
import type { AgentTable } from '../agents/agent.table.js';
import type { SessionTable } from '../auth/session.table.js';
import type { VisitorTable } from '../visitors/visitor.table.js';
import type { ConversationTable, MessageTable } from '../conversations/conversation.table.js';
import type { AuditTable } from '../audit/audit.table.js';
import type { AgentTotpTable, RecoveryCodeTable } from '../auth/totp.table.js';
import type { SettingTable } from '../settings/settings.table.js';
import type { KbArticleTable, KbSearchMissTable, KbSearchTable, KbTranslationTable, KbVersionTable } from '../knowledge/knowledge.table.js';
import type { OfficeAreaTable, OfficeTable } from '../offices/office.table.js';
import type { OutboxTable } from '../outbox/outbox.table.js';
import type { ReferralEventTable, ReferralStatTable, ReferralTable } from '../referrals/referral.table.js';
import type { OrientationRuleSetTable } from '../orientation/orientation.table.js';

/** The whole database as kysely sees it; each table's type lives in its feature folder. */
export interface Database {
  sites: SiteTable;
  agents: AgentTable;
  sessions: SessionTable;
  visitors: VisitorTable;
  conversations: ConversationTable;
  messages: MessageTable;
  audit_log: AuditTable;
  agent_totp: AgentTotpTable;
  agent_recovery_codes: RecoveryCodeTable;
  settings: SettingTable;
  kb_articles: KbArticleTable;
  kb_translations: KbTranslationTable;
  kb_versions: KbVersionTable;
  kb_search: KbSearchTable;
  kb_search_misses: KbSearchMissTable;
  offices: OfficeTable;
  office_areas: OfficeAreaTable;
  outbox: OutboxTable;
  referrals: ReferralTable;
  referral_events: ReferralEventTable;
  referral_stats: ReferralStatTable;
  orientation_rule_sets: OrientationRuleSetTable;
}
