/** REST calls of channels: the admins' accounts (`/api/channels`) and a conversation's language. See docs/api.md. */
import type { ChannelAccountCreate, ChannelAccountDto, ChannelAccountListResponse, ChannelAccountResponse, ConversationResponse, ConversationSummaryDto, LanguageCode } from '@direturn/protocol';
import type { ApiClient } from '../api/api-client.js';

const enc = encodeURIComponent;

export const listChannels = async (api: ApiClient): Promise<ChannelAccountDto[]> => (await api.request<ChannelAccountListResponse>('GET', '/api/channels')).accounts;
export const createChannel = async (api: ApiClient, input: ChannelAccountCreate): Promise<ChannelAccountDto> => (await api.request<ChannelAccountResponse>('POST', '/api/channels', input)).account;
export const channelAction = async (api: ApiClient, id: string, action: 'pause' | 'resume' | 'connect'): Promise<ChannelAccountDto> =>
  (await api.request<ChannelAccountResponse>('POST', `/api/channels/${enc(id)}/${action}`)).account;
export const removeChannel = (api: ApiClient, id: string): Promise<void> => api.request<void>('DELETE', `/api/channels/${enc(id)}`);

/** A counsellor corrects the language of an open conversation. */
export const setConversationLanguage = async (api: ApiClient, conversationId: string, language: LanguageCode): Promise<ConversationSummaryDto> =>
  (await api.request<ConversationResponse>('PUT', `/api/conversations/${enc(conversationId)}/language`, { language })).conversation;
