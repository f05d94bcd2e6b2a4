/** REST calls of the accounts and sites screens (own password, password reset, sites). See docs/api.md. */
import type { AgentAdminDto, AgentDto, AwayDefaultsResponse, PasswordChangeResponse, PasswordResetResponse, SiteDto, SiteListResponse, SiteResponse } from '@direturn/protocol';
import type { SiteInput, SiteUpdate } from '@direturn/protocol/schemas';
import type { ApiClient } from './api-client.js';

/** The agent's own password; `currentPassword` is the one-time password after an admin's reset. */
export const changePassword = (api: ApiClient, currentPassword: string, newPassword: string): Promise<PasswordChangeResponse> =>
  api.request<PasswordChangeResponse>('POST', '/api/me/password', { currentPassword, newPassword });

/** Admin: a one-time password for a colleague (shown once); their sessions end. */
export const resetPassword = (api: ApiClient, agentId: string): Promise<{ oneTimePassword: string; agent: AgentAdminDto }> =>
  api.request<PasswordResetResponse>('POST', `/api/agents/${encodeURIComponent(agentId)}/password`);

export const listSitesWithUrl = (api: ApiClient): Promise<SiteListResponse> => api.request<SiteListResponse>('GET', '/api/sites');

/** What the form sends: every field (the server fills defaults only for absent ones). */
export type SiteFields = Omit<SiteInput, never>;

export const createSite = async (api: ApiClient, input: SiteFields): Promise<SiteDto> => (await api.request<SiteResponse>('POST', '/api/sites', input)).site;
export const updateSite = async (api: ApiClient, id: string, changes: SiteUpdate): Promise<SiteDto> =>
  (await api.request<SiteResponse>('PATCH', `/api/sites/${encodeURIComponent(id)}`, changes)).site;
export const removeSite = (api: ApiClient, id: string): Promise<void> => api.request<void>('DELETE', `/api/sites/${encodeURIComponent(id)}`);
export const awayDefaults = async (api: ApiClient): Promise<Record<string, string>> => (await api.request<AwayDefaultsResponse>('GET', '/api/sites/away-defaults')).defaults;

export type { AgentDto };
