import { createHash } from 'node:crypto';
import type { InboundAttachment, InboundMessage } from '../channel.js';
import { detectLanguage } from '../language.js';
import type { EmailSettings } from './email-settings.js';
import type { MailThread } from './outgoing.js';
import type { InboundMail } from './parse-mail.js';
import { conversationOfToken, tokensOf } from './reply-address.js';

/** Why a mail is not imported (it stays in the mailbox, marked read). */
export type SkipReason = 'no-sender' | 'own-address' | 'unroutable-bounce' | 'empty';

/**
 * The channel's id of a mail: a hash of its Message-ID (the same mail twice is one message; a
 * Message-ID may contain an address, which the channel tables must not).
 */
export function providerMessageId(messageId: string): string {
  return `mid:${createHash('sha256').update(messageId.trim()).digest('hex').slice(0, 40)}`;
}

/**
 * One parsed mail → the channel's InboundMessage, or why it is skipped. The reply token (address or
 * references) leads to its conversation only in mail from the address it was made for; a bounce
 * names that address as its failed recipient instead. Mail a machine sent keeps its text but not its
 * attachments (report parts, the returned mail), so no notice goes back to a machine.
 */
export async function toInbound(accountId: string, settings: EmailSettings, mail: InboundMail, now: number): Promise<{ message: InboundMessage } | { skip: SkipReason }> {
  const sender = mail.from;
  if (!sender) return { skip: 'no-sender' };
  const [senderLocal, senderDomain] = [sender.slice(0, sender.lastIndexOf('@')), sender.slice(sender.lastIndexOf('@') + 1)];
  if (senderDomain === settings.domain && (senderLocal === settings.local || senderLocal.startsWith(`${settings.local}+`))) return { skip: 'own-address' };
  let contact = sender;
  let conversationHint: string | undefined;
  if (settings.tokenKey) {
    const candidates = mail.automated === 'bounce' ? mail.failedRecipients : [sender];
    for (const token of tokensOf(mail, settings.local, settings.domain)) {
      for (const who of candidates) {
        const id = conversationOfToken(settings.tokenKey, token, who);
        if (id) {
          conversationHint = id;
          contact = who;
          break;
        }
      }
      if (conversationHint) break;
    }
  }
  // A bounce that names no conversation of ours is backscatter (spam with a forged sender).
  if (mail.automated === 'bounce' && !conversationHint) return { skip: 'unroutable-bounce' };
  const attachments = mail.automated ? [] : mail.attachments.map((a) => ({ type: shortType(a.type), ...(a.size !== undefined ? { size: a.size } : {}) }));
  const text = mail.text.trim() !== '' ? mail.text : mail.subject;
  if (text.trim() === '' && attachments.length === 0) return { skip: 'empty' };
  const thread: MailThread = { messageId: mail.messageId, references: mail.references.join(' '), subject: mail.subject };
  const languageHint = (await detectLanguage(mail.text)) ?? mail.contentLanguage;
  return {
    message: {
      accountId,
      providerMessageId: providerMessageId(mail.messageId),
      contact,
      text,
      attachments,
      ...(languageHint ? { languageHint } : {}),
      // The sender's clock may be wrong; a date in the future would stretch reply windows.
      sentAt: mail.date !== undefined && mail.date <= now ? mail.date : now,
      thread: Object.fromEntries(Object.entries(thread).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>,
      ...(conversationHint ? { conversationHint } : {}),
    },
  };
}

/** A MIME type → the channel's short word for the console (InboundAttachment.type). */
export function shortType(mime: string): InboundAttachment['type'] {
  const t = mime.toLowerCase();
  if (t.startsWith('image/')) return 'image';
  if (t.startsWith('audio/')) return 'audio';
  if (t.startsWith('video/')) return 'video';
  if (t.startsWith('text/') || /pdf|msword|officedocument|opendocument|rtf|ms-excel|ms-powerpoint/.test(t)) return 'document';
  if (t === 'text/calendar' || t === 'application/ics') return 'document';
  if (t === 'message/rfc822') return 'message';
  return 'other';
}

/**
 * Whether DiReturn may answer this mail automatically: not to machines (parse-mail.ts's automated
 * kinds) and not to addresses that by convention never read answers (RFC 3834 section 2).
 */
export function mayAutoAnswer(mail: InboundMail): boolean {
  if (mail.automated || !mail.from) return false;
  const local = mail.from.slice(0, mail.from.lastIndexOf('@'));
  return !/^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|owner-.*|.*-request|.*-bounces?)$/i.test(local);
}
