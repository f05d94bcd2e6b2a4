/** REST calls of reply windows (docs/api.md): a channel conversation's window and sending an approved template. */
import type { ChannelTemplateSendResponse, MessageDto, ReplyWindowDto, ReplyWindowResponse } from '@direturn/protocol';
import type { ApiClient } from '../api/api-client.js';

const enc = encodeURIComponent;

export const replyWindow = async (api: ApiClient, conversationId: string): Promise<ReplyWindowDto | null> =>
  (await api.request<ReplyWindowResponse>('GET', `/api/conversations/${enc(conversationId)}/reply-window`)).window;

export const sendTemplate = async (api: ApiClient, conversationId: string, template: { clientId: string; name: string; language: string }): Promise<MessageDto> =>
  (await api.request<ChannelTemplateSendResponse>('POST', `/api/conversations/${enc(conversationId)}/template`, template)).message;
