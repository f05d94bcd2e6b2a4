import type { OfficeDto, ReferralDto, ReferralEventDto, ReferralStatus, ReferralSummary, VisitorReferralDto } from '@direturn/protocol';
import type { ReferralWithConversation } from './referral.repository.js';
import type { ReferralEventRow } from './referral.table.js';

/** Consent can be taken back until the office has opened the referral. */
export const WITHDRAWABLE: readonly ReferralStatus[] = ['consented', 'sent', 'failed'];
/** The counsellor has to act. */
export const NEEDS_ACTION: readonly ReferralStatus[] = ['not_responsible', 'failed'];

export function toReferralDto(r: ReferralWithConversation, office: OfficeDto, summary: ReferralSummary, events: ReferralEventRow[]): ReferralDto {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    office,
    agentId: r.agent_id,
    agentName: r.agent_name,
    status: r.status,
    summary,
    includeTranscript: r.include_transcript === 1,
    contactKind: r.contact_kind,
    districtKey: r.district_key,
    linkExpiresAt: r.link_expires_at === null ? null : Number(r.link_expires_at),
    needsAction: NEEDS_ACTION.includes(r.status),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    events: events.map((e): ReferralEventDto => ({ status: e.status, at: Number(e.at), by: e.by })),
  };
}

export function toVisitorReferralDto(r: ReferralWithConversation, office: OfficeDto, summary: ReferralSummary): VisitorReferralDto {
  return {
    id: r.id,
    office,
    status: r.status,
    summary,
    includeTranscript: r.include_transcript === 1,
    contactKind: r.contact_kind,
    canWithdraw: WITHDRAWABLE.includes(r.status),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
