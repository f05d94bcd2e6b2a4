/** Warm referral: a counsellor proposes an office, the visitor consents, the office is told by mail and reports back through a private link. */
import type { LanguageCode } from './languages.js';
import type { OfficeDto } from './offices.js';

/**
 * - `proposed`: drafted by the counsellor, waiting for the visitor's answer;
 * - `declined` (visitor) / `cancelled` (counsellor): nothing was sent;
 * - `consented`: the visitor agreed; the mail to the office is on its way (durable outbox);
 * - `sent`: the mail server accepted it; `failed`: it could not be delivered after the last try;
 * - `withdrawn`: the visitor took back the consent before the office opened it;
 * - `received`: the office confirmed receipt (opened it); then the office's outcome.
 */
export type ReferralStatus =
  | 'proposed'
  | 'declined'
  | 'cancelled'
  | 'consented'
  | 'sent'
  | 'failed'
  | 'withdrawn'
  | 'received'
  | ReferralOutcome;
/** What the office reports; `not_responsible` puts the referral back to the counsellor. */
export type ReferralOutcome = 'contacted' | 'appointment' | 'unreachable' | 'not_responsible' | 'closed';
export const REFERRAL_OUTCOMES = ['contacted', 'appointment', 'unreachable', 'not_responsible', 'closed'] as const;
export const REFERRAL_STATUSES = ['proposed', 'declined', 'cancelled', 'consented', 'sent', 'failed', 'withdrawn', 'received', ...REFERRAL_OUTCOMES] as const;

/** What the counsellor drafts for the office: no chat transcript (the visitor may add it). */
export interface ReferralSummary {
  /** The language the person speaks. */
  language: LanguageCode;
  countryOfReturn: string;
  situation: string;
  needs: string;
  /** What was already discussed. */
  discussed: string;
}

export type ReferralContactKind = 'phone' | 'email';

export interface ReferralEventDto {
  status: ReferralStatus;
  at: number;
  by: 'agent' | 'visitor' | 'office' | 'system';
}

/** A referral as counsellors see it (the visitor's contact detail is for the office only: counsellors see whether one was given). */
export interface ReferralDto {
  id: string;
  conversationId: string;
  office: OfficeDto;
  agentId: string | null;
  agentName: string | null;
  status: ReferralStatus;
  summary: ReferralSummary;
  includeTranscript: boolean;
  contactKind: ReferralContactKind | null;
  /** The district the referral is for (statistics), when the counsellor's lookup knew it. */
  districtKey: string | null;
  /** The office's link works until then (from consent on). */
  linkExpiresAt: number | null;
  /** The counsellor has to act: the office is not responsible, or the mail failed. */
  needsAction: boolean;
  createdAt: number;
  updatedAt: number;
  events: ReferralEventDto[];
}

/** What the visitor sees in the widget: exactly what would be (or was) shared, with whom. */
export interface VisitorReferralDto {
  id: string;
  office: OfficeDto;
  status: ReferralStatus;
  summary: ReferralSummary;
  includeTranscript: boolean;
  contactKind: ReferralContactKind | null;
  /** Consent can be withdrawn until the office has opened the referral. */
  canWithdraw: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ReferralListResponse { referrals: ReferralDto[] }
export interface ReferralResponse { referral: ReferralDto }

/** `GET /api/referrals/stats` (admins): counts only, by month, office, district, state and status. No personal data. */
export interface ReferralStatsRow {
  month: string;
  officeId: string;
  officeName: string | null;
  districtKey: string | null;
  stateKey: string | null;
  status: ReferralStatus;
  count: number;
}
export interface ReferralStatsResponse { rows: ReferralStatsRow[] }
