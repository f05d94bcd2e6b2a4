import type { Generated, Insertable, Selectable } from 'kysely';
import type { Author, Channel, ConversationStatus } from '@direturn/protocol';

export interface ConversationTable {
  id: string;
  site_id: string;
  visitor_id: string;
  channel: Channel;
  status: ConversationStatus;
  language: string;
  page_url: string | null;
  agent_id: string | null;
  created_at: number;
  claimed_at: number | null;
  closed_at: number | null;
  /** seq of the newest message; the next message gets last_seq + 1. */
  last_seq: Generated<number>;
  last_message_at: number | null;
  visitor_read_seq: Generated<number>;
  agent_read_seq: Generated<number>;
  /** A random friendly name to tell conversations apart (conversations/pseudonym.ts); null only for rows before it existed. */
  pseudonym: string | null;
  /** Since when the current holder holds it (claim, handover, reassignment); null while nobody does. */
  held_since: number | null;
  /** Federal state (key) from the visitor's orientation check, for routing; null until one arrives. */
  region: string | null;
  /** The channel account it came through (channels/); null for the widget and once the account is removed. */
  channel_account_id: string | null;
  /** The person's identity on the channel, sealed (AAD `contact:<id>`); null for the widget. */
  contact: string | null;
  /** HMAC of account + identity (channels/contact-key.ts): finds the person's open conversation. */
  contact_key: string | null;
  /** Sealed JSON (AAD `thread:<id>`): what a reply needs from the last inbound message (e-mail headers). */
  channel_thread: string | null;
  /** When the person last wrote on the channel (reply windows). */
  last_inbound_at: number | null;
}
export type ConversationRow = Selectable<ConversationTable>;
export type NewConversationRow = Insertable<ConversationTable>;

export interface MessageTable {
  id: string;
  conversation_id: string;
  seq: number;
  author: Author;
  agent_id: string | null;
  client_id: string | null;
  body: string;
  created_at: number;
  /** Sealed JSON of what the visitor was reading when they wrote (MessageContextDto); null for most. */
  context: string | null;
  /** JSON [{type, size}] of attachments a person sent on a channel (never their content); null for most. */
  attachments: string | null;
}
export type MessageRow = Selectable<MessageTable>;

/** Internal notes: counsellors only, sealed like messages (AAD `note:<id>`), deleted with the conversation. */
export interface NoteTable {
  id: string;
  conversation_id: string;
  kind: 'note' | 'handover';
  agent_id: string | null;
  to_agent_id: string | null;
  body: string;
  after_seq: number;
  created_at: number;
}
export type NoteRow = Selectable<NoteTable>;
