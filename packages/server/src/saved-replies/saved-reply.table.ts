import type { Selectable } from 'kysely';
import type { SavedReplyScope } from '@direturn/protocol';

/** A saved reply: shared (owner_id null, admins manage it) or one agent's personal one. */
export interface SavedReplyTable {
  id: string;
  scope: SavedReplyScope;
  owner_id: string | null;
  /** Lower-case word to find it by; '' when none. */
  shortcut: string;
  /** 1 = demo text seeded on demo installations only. */
  example: number;
  created_at: number;
  updated_at: number;
}

/** One language of a saved reply. Staff-written templates, not what a visitor wrote: stored as text. */
export interface SavedReplyTranslationTable {
  reply_id: string;
  language: string;
  title: string;
  body: string;
  updated_at: number;
}

export type SavedReplyRow = Selectable<SavedReplyTable>;
export type SavedReplyTranslationRow = Selectable<SavedReplyTranslationTable>;
