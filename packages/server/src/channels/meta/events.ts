// What the Meta parsers hand to the webhook: port-shaped events, each with the business id it is
// addressed to (phone number id, page id, Instagram account id), before the account is known.
import { createHash } from 'node:crypto';
import type { DeliveryStatusEvent, InboundMessage } from '../channel.js';

export interface MetaEvents {
  messages: Array<{ target: string; message: Omit<InboundMessage, 'accountId'> }>;
  statuses: Array<{ target: string; status: Omit<DeliveryStatusEvent, 'accountId'> }>;
  /** A person starts talking without a message (Messenger's "Get started", WhatsApp's welcome request): greeted, no conversation. */
  greetings: Array<{ target: string; greeting: { providerMessageId: string; contact: string; sentAt: number } }>;
  /** Problems Meta reports about the business account itself (WhatsApp `value.errors`), in words. */
  errors: Array<{ target: string; error: string }>;
  /** Events that are not for DiReturn (echoes of our own sends, reactions, other webhook fields). */
  ignored: number;
}

export type ParseOutcome = { ok: true; events: MetaEvents } | { ok: false; error: string };

export function emptyEvents(): MetaEvents {
  return { messages: [], statuses: [], greetings: [], errors: [], ignored: 0 };
}

/**
 * The id DiReturn stores for a Meta message id. Meta's ids are not opaque: a WhatsApp `wamid.` is
 * base64 around the person's phone number, an Instagram `mid` around the conversation's ids. They
 * are stored unencrypted (deduplication, status matching), so only a hash of them is kept. The same
 * function serves inbound ids, the ids a send returns and the ids in status events, so they match.
 */
export function providerId(rawId: string): string {
  return `meta:${createHash('sha256').update(rawId, 'utf8').digest('base64url')}`;
}

/** Where a payload is malformed, by path only: valibot's messages quote the value received, which may be personal. */
export function issueAt(issues: ReadonlyArray<{ path?: ReadonlyArray<{ key: unknown }> | undefined }>): string {
  const path = issues[0]?.path?.map((p) => String(p.key)).join('.');
  return path ? `at ${path.slice(0, 120)}` : 'in its structure';
}

/** Meta sends the seconds of a UNIX time as a string (WhatsApp) or milliseconds as a number (Messenger). */
export function secondsToMs(s: string): number {
  return Number(s) * 1000;
}

/** An error text from Meta without anything that looks like a phone number or a user id. */
export function scrubReason(text: string): string {
  return text
    .replace(/\b[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{6,}\b/g, '<user>')
    .replace(/\+?\d[\d ()-]{6,}\d/g, '<number>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
