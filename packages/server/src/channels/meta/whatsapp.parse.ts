// WhatsApp Business Cloud API webhooks (`object: "whatsapp_business_account"`) → port events.
// Shapes: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/
// (text, image, audio, document, video, sticker, status, errors) and …/whatsapp/business-scoped-user-ids.
// Loose objects: Meta adds fields over time, and an unknown field is no reason to lose a message.
import * as v from 'valibot';
import type { InboundAttachment } from '../channel.js';
import { emptyEvents, issueAt, providerId, scrubReason, secondsToMs, type MetaEvents, type ParseOutcome } from './events.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(512));
const UnixSeconds = v.pipe(v.string(), v.regex(/^\d{1,12}$/));
const Text = v.pipe(v.string(), v.maxLength(65_536));

const Media = v.looseObject({ caption: v.optional(Text), file_size: v.optional(v.number()), voice: v.optional(v.boolean()) });

const Contact = v.looseObject({
  wa_id: v.optional(Id),
  /** Business-scoped user id (BSUID), in webhooks since April 2026; the only id of people with a username. */
  user_id: v.optional(Id),
});

const Message = v.looseObject({
  id: Id,
  timestamp: UnixSeconds,
  type: v.pipe(v.string(), v.maxLength(64)),
  /** The phone number: omitted for people who use a username. */
  from: v.optional(Id),
  from_user_id: v.optional(Id),
  text: v.optional(v.looseObject({ body: Text })),
  image: v.optional(Media),
  audio: v.optional(Media),
  document: v.optional(Media),
  video: v.optional(Media),
  sticker: v.optional(Media),
  button: v.optional(v.looseObject({ text: v.optional(Text) })),
  interactive: v.optional(
    v.looseObject({
      button_reply: v.optional(v.looseObject({ title: v.optional(Text) })),
      list_reply: v.optional(v.looseObject({ title: v.optional(Text) })),
    }),
  ),
});

const GraphError = v.looseObject({
  code: v.optional(v.number()),
  title: v.optional(v.string()),
  message: v.optional(v.string()),
  error_data: v.optional(v.looseObject({ details: v.optional(v.string()) })),
});

const Status = v.looseObject({
  id: Id,
  status: v.pipe(v.string(), v.maxLength(64)),
  timestamp: UnixSeconds,
  errors: v.optional(v.array(GraphError)),
});

const MessagesValue = v.looseObject({
  metadata: v.looseObject({ phone_number_id: Id }),
  contacts: v.optional(v.array(Contact)),
  messages: v.optional(v.array(Message)),
  statuses: v.optional(v.array(Status)),
  errors: v.optional(v.array(GraphError)),
});

const Envelope = v.looseObject({
  object: v.literal('whatsapp_business_account'),
  entry: v.array(
    v.looseObject({
      changes: v.array(v.looseObject({ field: v.string(), value: v.unknown() })),
    }),
  ),
});

type WaMessage = v.InferOutput<typeof Message>;
type WaContact = v.InferOutput<typeof Contact>;

const MEDIA_TYPES = ['image', 'audio', 'document', 'video', 'sticker'] as const;
/** Content DiReturn does not take over (coordinates, address books): the counsellor sees that something came. */
const NOTED_TYPES: Record<string, string> = { location: 'location', contacts: 'contact', unsupported: 'other' };

/** The person: their BSUID where Meta gives one, else the WhatsApp id (phone number). */
function contactOf(message: WaMessage, contacts: WaContact[]): string | undefined {
  const own =
    contacts.find((c) => (message.from_user_id !== undefined && c.user_id === message.from_user_id) || (message.from !== undefined && c.wa_id === message.from)) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  return own?.user_id ?? message.from_user_id ?? own?.wa_id ?? message.from;
}

/** Text and attachments of one message; undefined for what is not a message to answer (reactions, system notices). */
function contentOf(m: WaMessage): { text: string; attachments: InboundAttachment[] } | undefined {
  if (m.type === 'text') return m.text ? { text: m.text.body, attachments: [] } : undefined;
  for (const type of MEDIA_TYPES) {
    if (m.type !== type) continue;
    const media = m[type];
    // A voice message is audio recorded in the chat (voice: true), not a sent audio file.
    const attachment: InboundAttachment = { type: type === 'audio' && media?.voice ? 'voice' : type };
    if (media?.file_size !== undefined && Number.isFinite(media.file_size) && media.file_size >= 0) attachment.size = media.file_size;
    return { text: media?.caption ?? '', attachments: [attachment] };
  }
  if (m.type === 'button') return m.button?.text ? { text: m.button.text, attachments: [] } : undefined;
  if (m.type === 'interactive') {
    const title = m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title;
    return title ? { text: title, attachments: [] } : undefined;
  }
  const noted = NOTED_TYPES[m.type];
  if (noted) return { text: '', attachments: [{ type: noted }] };
  return undefined;
}

function errorText(e: v.InferOutput<typeof GraphError>): string {
  const title = e.title ?? e.message ?? 'error';
  const details = e.error_data?.details;
  const words = details && details !== title ? `${title}: ${details}` : title;
  return scrubReason(e.code !== undefined ? `${words} (${e.code})` : words);
}

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export function parseWhatsApp(body: unknown): ParseOutcome {
  const envelope = v.safeParse(Envelope, body);
  if (!envelope.success) return { ok: false, error: 'not a WhatsApp Business Account webhook' };
  const events: MetaEvents = emptyEvents();
  for (const entry of envelope.output.entry) {
    for (const change of entry.changes) {
      // account_update, message_template_status_update, …: not DiReturn's business.
      if (change.field !== 'messages') {
        events.ignored++;
        continue;
      }
      const parsed = v.safeParse(MessagesValue, change.value);
      if (!parsed.success) return { ok: false, error: `malformed messages change ${issueAt(parsed.issues)}` };
      const value = parsed.output;
      const target = value.metadata.phone_number_id;
      for (const m of value.messages ?? []) {
        const contact = contactOf(m, value.contacts ?? []);
        // The person opened the chat for the first time (when the number has welcome messages on).
        if (m.type === 'request_welcome' && contact) {
          events.greetings.push({ target, greeting: { providerMessageId: providerId(m.id), contact, sentAt: secondsToMs(m.timestamp) } });
          continue;
        }
        const content = contentOf(m);
        if (!content || !contact) {
          events.ignored++;
          continue;
        }
        events.messages.push({ target, message: { providerMessageId: providerId(m.id), contact, ...content, sentAt: secondsToMs(m.timestamp) } });
      }
      for (const s of value.statuses ?? []) {
        if (!STATUSES.has(s.status)) {
          events.ignored++;
          continue;
        }
        const reason = s.status === 'failed' ? (s.errors ?? []).map(errorText).join('; ') || 'failed' : undefined;
        events.statuses.push({
          target,
          status: { providerMessageId: providerId(s.id), status: s.status as 'sent' | 'delivered' | 'read' | 'failed', at: secondsToMs(s.timestamp), ...(reason ? { reason } : {}) },
        });
      }
      for (const e of value.errors ?? []) events.errors.push({ target, error: errorText(e) });
    }
  }
  return { ok: true, events };
}
