import type { CallbackDto, CallbackListResponse, CallbackOutcome, CallbackResponse } from '@direturn/protocol';
import type { ApiClient } from '../api/api-client.js';

const enc = encodeURIComponent;

/** The REST calls of the callbacks screen (docs/api.md, docs/callbacks.md). */
export const listCallbacks = async (api: ApiClient, filter: 'open' | 'closed'): Promise<CallbackDto[]> =>
  (await api.request<CallbackListResponse>('GET', `/api/callbacks?filter=${filter}`)).callbacks;

/** One callback; with the number when the signed-in counsellor holds the claim. */
export const getCallback = async (api: ApiClient, id: string): Promise<CallbackDto> => (await api.request<CallbackResponse>('GET', `/api/callbacks/${enc(id)}`)).callback;

/** Takes it (`callback_taken` when a colleague was first); the answer carries the number. */
export const claimCallback = async (api: ApiClient, id: string): Promise<CallbackDto> => (await api.request<CallbackResponse>('POST', `/api/callbacks/${enc(id)}/claim`)).callback;

export const releaseCallback = async (api: ApiClient, id: string): Promise<CallbackDto> => (await api.request<CallbackResponse>('POST', `/api/callbacks/${enc(id)}/release`)).callback;

export const recordOutcome = async (api: ApiClient, id: string, outcome: CallbackOutcome, note: string): Promise<CallbackDto> =>
  (await api.request<CallbackResponse>('POST', `/api/callbacks/${enc(id)}/outcome`, { outcome, note })).callback;
