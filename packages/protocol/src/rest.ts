/** Response bodies of the REST API (request bodies are the schemas in schemas.ts). */
import type { NoteDto } from './conversation-work.js';
import type { AgentAdminDto, AgentDto, AuditEntryDto, ConversationSummaryDto, MessageDto, PrivacyLinkDto, PrivacyNoticeDto, SettingsDto, SiteDto } from './model.js';

export interface MeResponse { agent: AgentDto }
export interface ConversationListResponse { conversations: ConversationSummaryDto[] }
export interface ConversationDetailResponse {
  conversation: ConversationSummaryDto;
  messages: MessageDto[];
  /** Internal notes (never shown to the visitor), each marked `internal: true`; absent from older servers. */
  notes?: NoteDto[];
}
export interface ConversationResponse { conversation: ConversationSummaryDto }
/** `GET /api/sites`: with the configured public address the embed snippet must use. */
export interface SiteListResponse { sites: SiteDto[]; publicUrl: string }
export interface SiteResponse { site: SiteDto }
/** `GET /api/sites/away-defaults`: the built-in away message per shipped language (`{back}` = when counsellors are back). */
export interface AwayDefaultsResponse { defaults: Record<string, string> }
/** `POST /api/agents/:id/password`: shown once; the agent must replace it at the next login. */
/** `POST /api/me/password`: the agent as now, and how many other sessions were ended. */
export interface PasswordChangeResponse { agent: AgentDto; otherSessionsEnded: number }
export interface PasswordResetResponse { oneTimePassword: string; agent: AgentAdminDto }
export interface HealthResponse { status: 'ok'; version: string }

/** `POST /api/auth/login`: either logged in (cookie set) or a second factor is needed (no cookie yet). */
export type LoginResponse = MeResponse | TotpChallengeResponse;
export interface TotpChallengeResponse {
  totpRequired: true;
  /** Single-use, valid 5 minutes: send it with the code to `POST /api/auth/login/totp`. */
  challenge: string;
}
/** `POST /api/me/totp/setup`: a fresh secret to scan; not active until confirmed with a code. */
export interface TotpSetupResponse {
  secret: string;
  otpauthUrl: string;
  /** An SVG document with the QR code of `otpauthUrl` (render it as an image, e.g. a data: URL). */
  qrSvg: string;
}
/** `POST /api/me/totp/enable`: shown once; each code logs in once instead of a TOTP code. */
export interface RecoveryCodesResponse { recoveryCodes: string[] }
export interface AgentListResponse { agents: AgentAdminDto[] }
export interface AgentResponse { agent: AgentAdminDto }
export interface AuditListResponse { entries: AuditEntryDto[] }
export interface SettingsResponse { settings: SettingsDto }
export interface PrivacyNoticeResponse { privacy: PrivacyNoticeDto }
/** Operator overrides of the privacy notice (`GET/PUT /api/privacy-notices`); `siteId` null = all sites. */
export interface PrivacyOverrideDto { siteId: string | null; language: string; text: string; links: PrivacyLinkDto[] }
export interface PrivacyOverrideListResponse { overrides: PrivacyOverrideDto[] }
