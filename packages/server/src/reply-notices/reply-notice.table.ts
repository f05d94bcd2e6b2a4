import type { Selectable } from 'kysely';

/**
 * A widget visitor's wish to hear by e-mail that a counsellor's reply waits (issue 15). The least
 * that makes it work: the address (sealed), the language of the mail, and where the current
 * waiting period stands. Deleted with the conversation, or when the visitor removes it.
 */
export interface ReplyNoticeTable {
  id: string;
  conversation_id: string;
  /** The e-mail address, sealed (AAD `reply-notice-address:<id>`). */
  email: string;
  language: string;
  /**
   * seq of the counsellor's reply that opened the current waiting period (a notice is queued or
   * sent for it); null, or at most what the visitor has read, when nothing waits.
   */
  waiting_seq: number | null;
  /** When the last notice went out. */
  notified_at: number | null;
  created_at: number;
  updated_at: number;
}
export type ReplyNoticeRow = Selectable<ReplyNoticeTable>;
