import type { Selectable } from 'kysely';

/** The managed list of topics: built-in ones have a `key` (translated by the clients), others a label. */
export interface TopicTable {
  id: string;
  key: string | null;
  label: string | null;
  created_at: number;
  /** Archived topics stay on the conversations tagged with them but are offered no more. */
  archived_at: number | null;
}
export type TopicRow = Selectable<TopicTable>;

export interface ConversationTopicTable {
  conversation_id: string;
  topic_id: string;
}
