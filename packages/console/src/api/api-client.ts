/**
 * Typed client for the server's REST API (see docs/api.md). Authentication rides on the HttpOnly
 * session cookie, so every call is same-origin with credentials; failures become `ApiError`s.
 */
import {
  ERROR_CODES,
  isValidationCode,
  type ValidationIssue,
  type AgentAdminDto,
  type AgentDto,
  type AgentListResponse,
  type AgentResponse,
  type AgentRole,
  type AuditEntryDto,
  type AuditListResponse,
  type ConversationDetailResponse,
  type ConversationListResponse,
  type ConversationResponse,
  type ConversationSummaryDto,
  type ErrorCode,
  type LanguageCode,
  type LoginRequest,
  type LoginResponse,
  type MeResponse,
  type PrivacyLinkDto,
  type PrivacyOverrideDto,
  type PrivacyOverrideListResponse,
  type RecoveryCodesResponse,
  type SettingsDto,
  type SettingsResponse,
  type SiteDto,
  type SiteListResponse,
  type TotpSetupResponse,
  type CarrierPreference,
  type OfficeAdminDto,
  type OfficeCoverageReport,
  type OfficeListResponse,
  type OfficeLookupResponse,
  type OfficeResponse,
  type ReferralDto,
  type ReferralListResponse,
  type ReferralResponse,
  type ReferralStatsResponse,
  type ReferralStatsRow,
  type ReferralSummary,
  type KbArticleDto,
  type KbArticleListItemDto,
  type KbArticleListResponse,
  type KbArticleResponse,
  type KbCountries,
  type KbPreviewResponse,
  type KbSearchHitDto,
  type KbSearchMissDto,
  type KbSearchMissListResponse,
  type KbSearchResponse,
  type KbSourceChangesDto,
  type KbSourceChangesResponse,
  type KbSourceDto,
  type KbTopic,
  type SavedReplyDto,
  type SavedReplyListResponse,
  type SavedReplyRenderDto,
  type SavedReplyRenderResponse,
  type SavedReplyResponse,
  type OrIssue,
  type OrRuleSetVersionDto,
  type OrRuleSetVersionListItem,
  type OrRuleSetVersionListResponse,
  type OrRuleSetVersionResponse,
} from '@direturn/protocol';
import type { SavedReplyInput } from '@direturn/protocol/schemas';
import { ApiError } from './api-error.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type ConversationListStatus = 'waiting' | 'mine' | 'all';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClientOptions {
  /** Defaults to the global fetch; tests inject a stub. */
  fetch?: FetchLike;
  /** Prefix for every path; empty means the page's own origin. */
  baseUrl?: string;
}

/** The first step of the login: signed in, or a second factor is needed. */
export type LoginStep = { kind: 'agent'; agent: AgentDto } | { kind: 'totp'; challenge: string };

export interface NewAgent {
  email: string;
  name: string;
  password: string;
  role: AgentRole;
  languages: LanguageCode[];
}
export interface AgentChanges {
  name?: string;
  role?: AgentRole;
  languages?: LanguageCode[];
  disabled?: boolean;
}
export interface AuditQuery {
  limit?: number;
  before?: number;
  conversationId?: string;
}
export interface PrivacyOverrideInput {
  siteId: string | null;
  language: LanguageCode;
  text: string;
  links: PrivacyLinkDto[];
}

/** An office as the admin form sends it (see OfficeInputSchema in the protocol). */
export interface OfficeInput {
  name: string;
  organisation: string;
  carrier: 'state' | 'non_state';
  street: string | null;
  postalCode: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: string | null;
  languages: string[];
  targetGroups: string[];
  channels: Array<'in_person' | 'phone' | 'video' | 'chat'>;
  note: string | null;
  active: boolean;
  fallback: boolean;
  example: boolean;
  areaKeys: string[];
}
export interface NewReferral {
  conversationId: string;
  officeId: string;
  summary: ReferralSummary;
  districtKey: string | null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

const enc = encodeURIComponent;

/** The server's coded issues, keeping only well-formed ones with a code this console knows. */
function validationDetails(value: unknown): ValidationIssue[] {
  if (!Array.isArray(value)) return [];
  return value.filter((d): d is ValidationIssue => !!d && typeof d === 'object' && typeof (d as ValidationIssue).path === 'string' && isValidationCode((d as ValidationIssue).code));
}

export class ApiClient {
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
  }

  // ---- session ----

  async login(request: LoginRequest): Promise<LoginStep> {
    const res = await this.request<LoginResponse>('POST', '/api/auth/login', request);
    if ('totpRequired' in res && res.totpRequired) return { kind: 'totp', challenge: res.challenge };
    return { kind: 'agent', agent: (res as MeResponse).agent };
  }

  /** Second login step: a 6-digit TOTP code or a recovery code. */
  async loginTotp(challenge: string, code: string): Promise<AgentDto> {
    const res = await this.request<MeResponse>('POST', '/api/auth/login/totp', { challenge, code });
    return res.agent;
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/api/auth/logout');
  }

  async me(): Promise<AgentDto> {
    const res = await this.request<MeResponse>('GET', '/api/me');
    return res.agent;
  }

  /** The agent changes the languages they counsel in. */
  async updateMyLanguages(languages: LanguageCode[]): Promise<AgentDto> {
    const res = await this.request<MeResponse>('PATCH', '/api/me', { languages });
    return res.agent;
  }

  totpSetup(): Promise<TotpSetupResponse> {
    return this.request<TotpSetupResponse>('POST', '/api/me/totp/setup');
  }

  async totpEnable(code: string): Promise<string[]> {
    const res = await this.request<RecoveryCodesResponse>('POST', '/api/me/totp/enable', { code });
    return res.recoveryCodes;
  }

  async totpDisable(password: string): Promise<void> {
    await this.request<void>('POST', '/api/me/totp/disable', { password });
  }

  // ---- conversations ----

  async listConversations(status: ConversationListStatus): Promise<ConversationSummaryDto[]> {
    const res = await this.request<ConversationListResponse>('GET', `/api/conversations?status=${status}`);
    return res.conversations;
  }

  getConversation(id: string): Promise<ConversationDetailResponse> {
    return this.request<ConversationDetailResponse>('GET', `/api/conversations/${enc(id)}`);
  }

  async claim(id: string): Promise<ConversationSummaryDto> {
    const res = await this.request<ConversationResponse>('POST', `/api/conversations/${enc(id)}/claim`);
    return res.conversation;
  }

  async close(id: string): Promise<ConversationSummaryDto> {
    const res = await this.request<ConversationResponse>('POST', `/api/conversations/${enc(id)}/close`);
    return res.conversation;
  }

  /** The whole conversation as the server exports it (audited). */
  exportConversation(id: string): Promise<ConversationDetailResponse> {
    return this.request<ConversationDetailResponse>('GET', `/api/conversations/${enc(id)}/export`);
  }

  /** Admin: deletes a conversation for good. */
  async deleteConversation(id: string): Promise<void> {
    await this.request<void>('DELETE', `/api/conversations/${enc(id)}`);
  }

  // ---- admin ----

  async listAgents(): Promise<AgentAdminDto[]> {
    return (await this.request<AgentListResponse>('GET', '/api/agents')).agents;
  }

  async createAgent(input: NewAgent): Promise<AgentAdminDto> {
    return (await this.request<AgentResponse>('POST', '/api/agents', input)).agent;
  }

  async updateAgent(id: string, changes: AgentChanges): Promise<AgentAdminDto> {
    return (await this.request<AgentResponse>('PATCH', `/api/agents/${enc(id)}`, changes)).agent;
  }

  async revokeSessions(id: string): Promise<void> {
    await this.request<void>('DELETE', `/api/agents/${enc(id)}/sessions`);
  }

  async resetTotp(id: string): Promise<AgentAdminDto> {
    return (await this.request<AgentResponse>('DELETE', `/api/agents/${enc(id)}/totp`)).agent;
  }

  async getSettings(): Promise<SettingsDto> {
    return (await this.request<SettingsResponse>('GET', '/api/settings')).settings;
  }

  async updateSettings(changes: Partial<SettingsDto>): Promise<SettingsDto> {
    return (await this.request<SettingsResponse>('PATCH', '/api/settings', changes)).settings;
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditEntryDto[]> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.before !== undefined) params.set('before', String(query.before));
    if (query.conversationId) params.set('conversationId', query.conversationId);
    const qs = params.toString();
    return (await this.request<AuditListResponse>('GET', `/api/audit${qs ? `?${qs}` : ''}`)).entries;
  }

  async listSites(): Promise<SiteDto[]> {
    return (await this.request<SiteListResponse>('GET', '/api/sites')).sites;
  }

  async listPrivacyOverrides(): Promise<PrivacyOverrideDto[]> {
    return (await this.request<PrivacyOverrideListResponse>('GET', '/api/privacy-notices')).overrides;
  }

  async putPrivacyOverride(input: PrivacyOverrideInput): Promise<PrivacyOverrideDto[]> {
    return (await this.request<PrivacyOverrideListResponse>('PUT', '/api/privacy-notices', input)).overrides;
  }

  async deletePrivacyOverride(siteId: string | null, language: string): Promise<void> {
    const params = new URLSearchParams({ language });
    if (siteId) params.set('siteId', siteId);
    await this.request<void>('DELETE', `/api/privacy-notices?${params.toString()}`);
  }
  // ---- office directory ----

  async listOffices(): Promise<OfficeAdminDto[]> {
    return (await this.request<OfficeListResponse>('GET', '/api/offices')).offices;
  }

  async createOffice(input: OfficeInput): Promise<OfficeAdminDto> {
    return (await this.request<OfficeResponse>('POST', '/api/offices', input)).office;
  }

  async updateOffice(id: string, changes: Partial<OfficeInput>): Promise<OfficeAdminDto> {
    return (await this.request<OfficeResponse>('PATCH', `/api/offices/${enc(id)}`, changes)).office;
  }

  async officeCoverage(): Promise<OfficeCoverageReport> {
    return this.request<OfficeCoverageReport>('GET', '/api/offices/coverage');
  }

  /** The same search the widget uses (public, stores nothing). */
  async lookupOffices(postcode: string, opts: { area?: string; carrier?: CarrierPreference } = {}): Promise<OfficeLookupResponse> {
    const qs = new URLSearchParams({ postcode, ...(opts.area ? { area: opts.area } : {}), ...(opts.carrier ? { carrier: opts.carrier } : {}) });
    return this.request<OfficeLookupResponse>('GET', `/api/public/offices/lookup?${qs.toString()}`);
  }

  // ---- referrals ----

  async listReferrals(query: { filter?: 'open' | 'action' | 'all'; conversationId?: string } = {}): Promise<ReferralDto[]> {
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();
    return (await this.request<ReferralListResponse>('GET', `/api/referrals${qs ? `?${qs}` : ''}`)).referrals;
  }

  async createReferral(input: NewReferral): Promise<ReferralDto> {
    return (await this.request<ReferralResponse>('POST', '/api/referrals', input)).referral;
  }

  async cancelReferral(id: string): Promise<ReferralDto> {
    return (await this.request<ReferralResponse>('POST', `/api/referrals/${enc(id)}/cancel`)).referral;
  }

  async retryReferral(id: string): Promise<ReferralDto> {
    return (await this.request<ReferralResponse>('POST', `/api/referrals/${enc(id)}/retry`)).referral;
  }

  async referralStats(): Promise<ReferralStatsRow[]> {
    return (await this.request<ReferralStatsResponse>('GET', '/api/referrals/stats')).rows;
  }


  // ---- knowledge base (editors and admins; `lookUpArticles` also counsellors) ----

  async listArticles(): Promise<KbArticleListItemDto[]> {
    return (await this.request<KbArticleListResponse>('GET', '/api/knowledge/articles')).articles;
  }

  async getArticle(id: string): Promise<KbArticleDto> {
    return (await this.request<KbArticleResponse>('GET', `/api/knowledge/articles/${encodeURIComponent(id)}`)).article;
  }

  async createArticle(input: { slug: string; topic: KbTopic; countries: KbCountries; sources: KbSourceDto[]; sourceLanguage: LanguageCode }): Promise<KbArticleDto> {
    return (await this.request<KbArticleResponse>('POST', '/api/knowledge/articles', input)).article;
  }

  async updateArticle(id: string, changes: Partial<{ slug: string; topic: KbTopic; countries: KbCountries; sources: KbSourceDto[]; sourceLanguage: LanguageCode }>): Promise<KbArticleDto> {
    return (await this.request<KbArticleResponse>('PATCH', `/api/knowledge/articles/${encodeURIComponent(id)}`, changes)).article;
  }

  async saveTranslation(id: string, lang: LanguageCode, text: { title: string; summary: string; body: string; minor: boolean; status: 'draft' | 'review' }): Promise<KbArticleDto> {
    return (await this.request<KbArticleResponse>('PUT', `/api/knowledge/articles/${encodeURIComponent(id)}/translations/${lang}`, text)).article;
  }

  async publishTranslation(id: string, lang: LanguageCode, publish: boolean): Promise<KbArticleDto> {
    return (await this.request<KbArticleResponse>('POST', `/api/knowledge/articles/${encodeURIComponent(id)}/translations/${lang}/${publish ? 'publish' : 'unpublish'}`)).article;
  }

  async sourceChanges(id: string, lang: LanguageCode): Promise<KbSourceChangesDto> {
    return (await this.request<KbSourceChangesResponse>('GET', `/api/knowledge/articles/${encodeURIComponent(id)}/translations/${lang}/source-changes`)).changes;
  }

  async previewArticle(body: string): Promise<string> {
    return (await this.request<KbPreviewResponse>('POST', '/api/knowledge/preview', { body })).html;
  }

  async listSearchMisses(): Promise<KbSearchMissDto[]> {
    return (await this.request<KbSearchMissListResponse>('GET', '/api/knowledge/misses')).misses;
  }

  /** Published articles as a visitor of `lang` would find them (not counted as a visitor's search). */
  async lookUpArticles(q: string, lang: LanguageCode): Promise<KbSearchHitDto[]> {
    return (await this.request<KbSearchResponse>('GET', `/api/knowledge/lookup?lang=${lang}&q=${encodeURIComponent(q)}`)).hits;
  }

  // ---- saved replies (counsellors and admins; the server decides who may change which) ----

  async listSavedReplies(): Promise<SavedReplyDto[]> {
    return (await this.request<SavedReplyListResponse>('GET', '/api/saved-replies')).replies;
  }

  async saveSavedReply(input: SavedReplyInput, id?: string): Promise<SavedReplyDto> {
    const path = id ? `/api/saved-replies/${encodeURIComponent(id)}` : '/api/saved-replies';
    return (await this.request<SavedReplyResponse>(id ? 'PUT' : 'POST', path, input)).reply;
  }

  async deleteSavedReply(id: string): Promise<void> {
    await this.request<void>('DELETE', `/api/saved-replies/${encodeURIComponent(id)}`);
  }

  /** The text to insert into a conversation: its language (or the fallback), placeholders filled. */
  async renderSavedReply(id: string, conversationId: string, language?: LanguageCode): Promise<SavedReplyRenderDto> {
    const q = new URLSearchParams({ conversationId, ...(language ? { language } : {}) });
    return (await this.request<SavedReplyRenderResponse>('GET', `/api/saved-replies/${encodeURIComponent(id)}/render?${q.toString()}`)).rendered;
  }

  // ---- orientation check (versions: every role; saving: editors and admins) ----

  async getRuleSetVersion(version: number): Promise<OrRuleSetVersionDto> {
    return (await this.request<OrRuleSetVersionResponse>('GET', `/api/orientation/rule-sets/${version}`)).version;
  }

  async listRuleSetVersions(): Promise<OrRuleSetVersionListItem[]> {
    return (await this.request<OrRuleSetVersionListResponse>('GET', '/api/orientation/rule-sets')).versions;
  }

  /** Every problem of a rule set (a dry run: nothing is saved). */
  async checkRuleSet(ruleSet: unknown): Promise<OrIssue[]> {
    return (await this.request<{ issues: OrIssue[] }>('POST', '/api/orientation/rule-sets/check', { ruleSet })).issues;
  }

  async saveRuleSet(ruleSet: unknown, comment: string): Promise<OrRuleSetVersionDto> {
    return (await this.request<OrRuleSetVersionResponse>('POST', '/api/orientation/rule-sets', { ruleSet, ...(comment ? { comment } : {}) })).version;
  }

  /** One API call; feature modules (e.g. api/accounts-api.ts, conversation-work/work-api.ts) build their calls on it. */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, init);
    } catch (err) {
      throw new ApiError(0, 'network_error', err instanceof Error ? err.message : 'Network error');
    }
    if (res.status === 204) return undefined as T;
    let data: unknown = undefined;
    const text = await res.text().catch(() => '');
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }
    if (!res.ok) {
      const error = (data as { error?: { code?: unknown; message?: unknown; issues?: unknown; retryAfterSeconds?: unknown } } | undefined)?.error;
      const header = Number(res.headers.get('retry-after'));
      const retryAfter =
        typeof error?.retryAfterSeconds === 'number' && error.retryAfterSeconds >= 0
          ? Math.ceil(error.retryAfterSeconds)
          : Number.isFinite(header) && header > 0
            ? Math.ceil(header)
            : undefined;
      if (error && isErrorCode(error.code)) {
        const issues = Array.isArray(error.issues) ? error.issues.filter((i): i is string => typeof i === 'string') : [];
        const failure = new ApiError(res.status, error.code, typeof error.message === 'string' ? error.message : error.code, issues, retryAfter);
        failure.details = validationDetails((error as { details?: unknown }).details);
        throw failure;
      }
      throw new ApiError(res.status, res.status === 401 ? 'unauthorized' : 'bad_response', `HTTP ${res.status}`, [], retryAfter);
    }
    if (data === undefined) {
      if (!text) return undefined as T;
      throw new ApiError(res.status, 'bad_response', 'The server sent a response that is not JSON');
    }
    return data as T;
  }
}

/** The client the elements use unless one is injected. */
export const defaultApiClient = new ApiClient();
