import type {
  Availability,
  AvailabilityDto,
  AvailabilityResponse,
  ColleagueDto,
  ColleagueListResponse,
  ConversationResponse,
  ConversationSearchFilters,
  ConversationSearchResponse,
  ConversationSummaryDto,
  LanguageCode,
  NoteDto,
  NoteListResponse,
  NoteResponse,
  SupervisionResponse,
  TopicDto,
  TopicListResponse,
} from '@direturn/protocol';
import type { ApiClient } from '../api/api-client.js';

/** Where a conversation goes: a named colleague, or the queue of everyone who speaks a language. */
export type HandoverTarget = { kind: 'agent'; agentId: string } | { kind: 'queue'; language?: LanguageCode };

const enc = encodeURIComponent;

/** The REST routes of counsellor work (notes, handover, availability, supervision, topics, search). */
export class WorkApi {
  constructor(private readonly api: ApiClient) {}

  async notes(conversationId: string): Promise<NoteDto[]> {
    return (await this.api.request<NoteListResponse>('GET', `/api/conversations/${enc(conversationId)}/notes`)).notes;
  }
  async addNote(conversationId: string, body: string): Promise<NoteDto> {
    return (await this.api.request<NoteResponse>('POST', `/api/conversations/${enc(conversationId)}/notes`, { body })).note;
  }
  /** The holder hands over; a supervisor (`asSupervisor`) reassigns a conversation they need not hold. */
  async handOver(conversationId: string, to: HandoverTarget, note: string, asSupervisor = false): Promise<ConversationSummaryDto> {
    const path = `/api/conversations/${enc(conversationId)}/${asSupervisor ? 'reassign' : 'transfer'}`;
    return (await this.api.request<ConversationResponse>('POST', path, { to, ...(note.trim() ? { note } : {}) })).conversation;
  }
  async colleagues(): Promise<ColleagueDto[]> {
    return (await this.api.request<ColleagueListResponse>('GET', '/api/colleagues')).colleagues;
  }
  async availability(): Promise<AvailabilityDto> {
    return (await this.api.request<AvailabilityResponse>('GET', '/api/availability')).availability;
  }
  async setAvailability(availability: Availability): Promise<AvailabilityDto> {
    return (await this.api.request<AvailabilityResponse>('PUT', '/api/availability', { availability })).availability;
  }
  supervision(): Promise<SupervisionResponse> {
    return this.api.request<SupervisionResponse>('GET', '/api/supervision');
  }
  async topics(): Promise<TopicDto[]> {
    return (await this.api.request<TopicListResponse>('GET', '/api/topics')).topics;
  }
  async setTopics(conversationId: string, topicIds: string[]): Promise<ConversationSummaryDto> {
    return (await this.api.request<ConversationResponse>('PUT', `/api/conversations/${enc(conversationId)}/topics`, { topicIds })).conversation;
  }
  search(filters: ConversationSearchFilters, before?: number): Promise<ConversationSearchResponse> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, String(v));
    if (before !== undefined) q.set('before', String(before));
    return this.api.request<ConversationSearchResponse>('GET', `/api/conversations/search?${q}`);
  }
}

/** A topic's name: the admin's label, else the translation of a built-in key. */
export function topicName(topic: TopicDto, t: (key: string) => string): string {
  return topic.label ?? (topic.key ? t(`conversationWork.topics.builtin.${topic.key}`) : topic.id);
}
