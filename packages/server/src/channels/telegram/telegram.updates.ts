import * as v from 'valibot';
import type { InboundAttachment } from '../channel.js';

// A Telegram Update (https://core.telegram.org/bots/api#update), only as far as DiReturn reads it;
// every other field is let through unread.

const Id = v.pipe(v.number(), v.safeInteger());
const Size = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)));
const File = v.looseObject({ file_size: Size });

const MessageSchema = v.looseObject({
  message_id: Id,
  date: Id,
  chat: v.looseObject({ id: Id, type: v.optional(v.string()) }),
  from: v.optional(v.looseObject({ id: Id, is_bot: v.optional(v.boolean()), language_code: v.optional(v.string()) })),
  text: v.optional(v.string()),
  caption: v.optional(v.string()),
  photo: v.optional(v.array(File)),
  document: v.optional(File),
  audio: v.optional(File),
  voice: v.optional(File),
  video: v.optional(File),
  video_note: v.optional(File),
  animation: v.optional(File),
  sticker: v.optional(File),
  location: v.optional(v.unknown()),
  venue: v.optional(v.unknown()),
  contact: v.optional(v.unknown()),
  poll: v.optional(v.unknown()),
});

export const UpdateSchema = v.looseObject({ update_id: Id, message: v.optional(MessageSchema) });
export type TelegramUpdate = v.InferOutput<typeof UpdateSchema>;
type TelegramMessage = v.InferOutput<typeof MessageSchema>;

/** What an update means to DiReturn. */
export type ParsedUpdate =
  /** `/start` (opening the bot): greet, open nothing. */
  | { kind: 'start'; providerMessageId: string; contact: string; languageHint?: string; sentAt: number }
  | { kind: 'message'; providerMessageId: string; contact: string; text: string; attachments: InboundAttachment[]; languageHint?: string; sentAt: number }
  /** Anything else (edits, group chats, callback queries, service messages): acknowledged and dropped. */
  | { kind: 'ignored' };

/** What a person can send besides text; the order keeps the most telling type first. */
const ATTACHMENTS: ReadonlyArray<[keyof TelegramMessage, string]> = [
  ['document', 'document'],
  ['audio', 'audio'],
  ['voice', 'voice'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['animation', 'video'],
  ['sticker', 'sticker'],
  ['location', 'location'],
  ['venue', 'location'],
  ['contact', 'contact'],
  ['poll', 'other'],
];

/**
 * The update's meaning. Its provider id is the update_id, which Telegram repeats when it redelivers
 * (and which names no person, unlike the chat id).
 */
export function parseUpdate(update: TelegramUpdate): ParsedUpdate {
  const m = update.message;
  // Only private chats with people: a bot added to a group is not a counselling channel.
  if (!m || m.chat.type !== 'private' && m.chat.type !== undefined) return { kind: 'ignored' };
  if (m.from?.is_bot) return { kind: 'ignored' };
  const base = {
    providerMessageId: `update:${update.update_id}`,
    contact: String(m.chat.id),
    sentAt: m.date * 1000,
    ...(m.from?.language_code ? { languageHint: m.from.language_code } : {}),
  };
  if (m.text !== undefined && /^\/start(@\w+)?(\s|$)/.test(m.text)) return { kind: 'start', ...base };
  const attachments: InboundAttachment[] = [];
  if (m.photo?.length) {
    // Telegram sends one photo in several sizes: the largest is the photo.
    const sizes = m.photo.map((p) => p.file_size ?? 0);
    const largest = Math.max(...sizes);
    attachments.push({ type: 'image', ...(largest > 0 ? { size: largest } : {}) });
  }
  for (const [field, type] of ATTACHMENTS) {
    const value = m[field] as { file_size?: number } | undefined;
    if (value === undefined) continue;
    const size = typeof value === 'object' && value !== null ? value.file_size : undefined;
    attachments.push({ type, ...(size !== undefined ? { size } : {}) });
  }
  const text = m.text ?? m.caption ?? '';
  if (!text.trim() && attachments.length === 0) return { kind: 'ignored' };
  return { kind: 'message', ...base, text, attachments };
}
