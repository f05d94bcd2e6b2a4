/**
 * Typed client for the server's REST API (see docs/api.md). Authentication rides on the HttpOnly
 * session cookie, so every call is same-origin with credentials; failures become `ApiError`s.
 */
import {
  ERROR_CODES,
  type AgentDto,
  type ConversationDetailResponse,
  type ConversationListResponse,
  type ConversationResponse,
  type ConversationSummaryDto,
  type ErrorCode,
  type LoginRequest,
  type MeResponse,
} from '@direturn/protocol';
import { ApiError } from './api-error.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type ConversationListStatus = 'waiting' | 'mine' | 'all';

export interface ApiClientOptions {
  /** Defaults to the global fetch; tests inject a stub. */
  fetch?: FetchLike;
  /** Prefix for every path; empty means the page's own origin. */
  baseUrl?: string;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export class ApiClient {
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
  }

  async login(request: LoginRequest): Promise<AgentDto> {
    const res = await this.request<MeResponse>('POST', '/api/auth/login', request);
    return res.agent;
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/api/auth/logout');
  }

  async me(): Promise<AgentDto> {
    const res = await this.request<MeResponse>('GET', '/api/me');
    return res.agent;
  }

  async listConversations(status: ConversationListStatus): Promise<ConversationSummaryDto[]> {
    const res = await this.request<ConversationListResponse>('GET', `/api/conversations?status=${status}`);
    return res.conversations;
  }

  getConversation(id: string): Promise<ConversationDetailResponse> {
    return this.request<ConversationDetailResponse>('GET', `/api/conversations/${encodeURIComponent(id)}`);
  }

  async claim(id: string): Promise<ConversationSummaryDto> {
    const res = await this.request<ConversationResponse>('POST', `/api/conversations/${encodeURIComponent(id)}/claim`);
    return res.conversation;
  }

  async close(id: string): Promise<ConversationSummaryDto> {
    const res = await this.request<ConversationResponse>('POST', `/api/conversations/${encodeURIComponent(id)}/close`);
    return res.conversation;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
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
      const error = (data as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
      if (error && isErrorCode(error.code)) {
        const issues = Array.isArray(error.issues) ? error.issues.filter((i): i is string => typeof i === 'string') : [];
        throw new ApiError(res.status, error.code, typeof error.message === 'string' ? error.message : error.code, issues);
      }
      throw new ApiError(res.status, res.status === 401 ? 'unauthorized' : 'bad_response', `HTTP ${res.status}`);
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
