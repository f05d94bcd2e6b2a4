import type { Selectable } from 'kysely';
import type { ReferralContactKind, ReferralStatus } from '@direturn/protocol';

export interface ReferralTable {
  id: string;
  conversation_id: string;
  office_id: string;
  agent_id: string | null;
  status: ReferralStatus;
  /** ReferralSummary as JSON, sealed (aad `referral:<id>`). */
  summary: string;
  include_transcript: number;
  /** The transcript shared ends at this message (the visitor's consent). */
  transcript_seq: number | null;
  /** The visitor's phone or e-mail for this office, sealed (aad `referral-contact:<id>`); deleted with the referral or a withdrawal. */
  contact: string | null;
  contact_kind: ReferralContactKind | null;
  district_key: string | null;
  state_key: string | null;
  /** sha256 of the office's link token; the token itself exists only in the mail. */
  token_hash: string | null;
  /** The token sealed until the mail is out (retries send the same link), then null. */
  link_token: string | null;
  link_expires_at: number | null;
  /** Random per referral, embedded in the office page's forms (CSRF). */
  form_secret: string | null;
  created_at: number;
  updated_at: number;
  opened_at: number | null;
}
export type ReferralRow = Selectable<ReferralTable>;

export interface ReferralEventTable {
  id: string;
  referral_id: string;
  status: ReferralStatus;
  by: 'agent' | 'visitor' | 'office' | 'system';
  at: number;
}
export type ReferralEventRow = Selectable<ReferralEventTable>;

/** Counts for statistics: no conversation, no person, no date finer than the month. '' = unknown area. */
export interface ReferralStatTable {
  month: string;
  office_id: string;
  district_key: string;
  state_key: string;
  status: ReferralStatus;
  count: number;
}
