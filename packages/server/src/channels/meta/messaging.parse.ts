// Messenger (`object: "page"`) and Instagram (`object: "instagram"`) webhooks → port events. Both
// send `entry[].messaging[]` items; shapes from developers.facebook.com/documentation/business-messaging/
// messenger-platform/webhooks/webhook-events/ (messages, message-echoes, message-deliveries,
// message-reads) and …/instagram-messaging/webhooks (messages, messaging_seen).
import * as v from 'valibot';
import type { InboundAttachment } from '../channel.js';
import { emptyEvents, issueAt, providerId, type MetaEvents, type ParseOutcome } from './events.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(512));
const Millis = v.pipe(v.number(), v.integer(), v.minValue(0));
const Text = v.pipe(v.string(), v.maxLength(65_536));

const Item = v.looseObject({
  sender: v.looseObject({ id: v.optional(Id) }),
  recipient: v.looseObject({ id: Id }),
  timestamp: v.optional(Millis),
  message: v.optional(
    v.looseObject({
      mid: Id,
      text: v.optional(Text),
      is_echo: v.optional(v.boolean()),
      is_deleted: v.optional(v.boolean()),
      is_unsupported: v.optional(v.boolean()),
      attachments: v.optional(v.array(v.looseObject({ type: v.optional(v.pipe(v.string(), v.maxLength(64))) }))),
    }),
  ),
  delivery: v.optional(v.looseObject({ mids: v.optional(v.array(Id)), watermark: v.optional(Millis) })),
  read: v.optional(v.looseObject({ mid: v.optional(Id), watermark: v.optional(Millis) })),
  postback: v.optional(v.looseObject({ mid: v.optional(Id) })),
});

const Envelope = v.looseObject({
  object: v.picklist(['page', 'instagram']),
  entry: v.array(
    v.looseObject({
      id: Id,
      time: v.optional(Millis),
      messaging: v.optional(v.array(v.unknown())),
    }),
  ),
});

/** Meta's attachment types, as DiReturn names them (image, audio, video, document…; shares, reels and the like: other). */
const ATTACHMENT_TYPES: Record<string, string> = { image: 'image', audio: 'audio', video: 'video', file: 'document', location: 'location', sticker: 'sticker' };

export function parseMessaging(body: unknown, object: 'page' | 'instagram'): ParseOutcome {
  const envelope = v.safeParse(Envelope, body);
  if (!envelope.success || envelope.output.object !== object) return { ok: false, error: `not a ${object === 'page' ? 'Messenger' : 'Instagram'} webhook` };
  const events: MetaEvents = emptyEvents();
  for (const entry of envelope.output.entry) {
    // The page (Messenger) or the Instagram professional account the events are addressed to.
    const target = entry.id;
    const fallbackTime = entry.time ?? 0;
    for (const raw of entry.messaging ?? []) {
      const parsed = v.safeParse(Item, raw);
      if (!parsed.success) return { ok: false, error: `malformed messaging event ${issueAt(parsed.issues)}` };
      const item = parsed.output;
      const at = item.timestamp ?? fallbackTime;
      if (item.message) {
        const m = item.message;
        // Echoes are what the business sent (our own replies among them); deleted and unsupported ones carry nothing to answer.
        if (m.is_echo || m.is_deleted || !item.sender.id) {
          events.ignored++;
          continue;
        }
        const attachments: InboundAttachment[] = (m.attachments ?? []).map((a) => ({ type: ATTACHMENT_TYPES[a.type ?? ''] ?? 'other' }));
        if (m.is_unsupported && attachments.length === 0) attachments.push({ type: 'other' });
        if (!m.text && attachments.length === 0) {
          events.ignored++;
          continue;
        }
        events.messages.push({ target, message: { providerMessageId: providerId(m.mid), contact: item.sender.id, text: m.text ?? '', attachments, sentAt: at } });
      } else if (item.delivery) {
        // Without mids only a watermark ("everything before this time"), which names no message: nothing to record.
        const mids = item.delivery.mids ?? [];
        if (mids.length === 0) events.ignored++;
        for (const mid of mids) events.statuses.push({ target, status: { providerMessageId: providerId(mid), status: 'delivered', at: item.delivery.watermark ?? at } });
      } else if (item.read) {
        // Instagram names the message read; Messenger only a watermark (see above).
        if (item.read.mid) events.statuses.push({ target, status: { providerMessageId: providerId(item.read.mid), status: 'read', at: item.read.watermark ?? at } });
        else events.ignored++;
      } else if (item.postback && item.sender.id) {
        // DiReturn sets up no buttons of its own: a postback is "Get started" or an ice breaker, a person starting to talk.
        const id = item.postback.mid ?? `postback:${target}:${item.sender.id}:${at}`;
        events.greetings.push({ target, greeting: { providerMessageId: providerId(id), contact: item.sender.id, sentAt: at } });
      } else {
        // reactions, referrals, opt-ins, …
        events.ignored++;
      }
    }
  }
  return { ok: true, events };
}
