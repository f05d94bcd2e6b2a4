import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { PermanentFailure } from '../channel.js';
import type { EmailSettings } from './email-settings.js';
import { outgoingMessageId, replyAddress, replyToken } from './reply-address.js';

/** What the reply needs from the last mail the person sent (InboundMessage.thread, stored sealed). */
export interface MailThread {
  /** Message-ID of the person's last mail. */
  messageId?: string;
  /** Its References, space-separated. */
  references?: string;
  subject?: string;
}

export interface OutgoingMail {
  conversationId: string;
  contact: string;
  text: string;
  thread: MailThread | undefined;
  /** DiReturn's own answer (not a counsellor's): marked Auto-Submitted, asks for no auto-replies. */
  automatic: boolean;
}

const REFERENCES_KEPT = 20;

/** "Re: " once, whatever the person's program put in front ("AW:", "RE: Re:", "SV:" …). */
export function replySubject(subject: string | undefined, fallback: string): string {
  const bare = (subject ?? '').replace(/^\s*((re|aw|sv|vs|antw|réf|rif|odp|ynt|отв|ответ)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return bare ? `Re: ${bare}` : fallback;
}

/**
 * A counsellor's reply or DiReturn's automatic answer as nodemailer's message: threaded to the person's
 * last mail (In-Reply-To, References, "Re:" subject), from and reply-to the conversation's own reply
 * address, bounces to that address too (the envelope sender), so every answer finds the conversation.
 */
export function composeOutgoing(settings: EmailSettings, mail: OutgoingMail): { message: SendMailOptions; messageId: string } {
  const token = settings.tokenKey && mail.conversationId ? replyToken(settings.tokenKey, mail.conversationId, mail.contact) : undefined;
  const from = replyAddress(settings.local, settings.domain, token);
  const messageId = outgoingMessageId(settings.domain, token);
  const thread = mail.thread ?? {};
  const references = [...(thread.references ?? '').split(/\s+/), thread.messageId ?? '']
    .filter((r) => /^<[^<>\s]+>$/.test(r))
    .filter((r, i, all) => all.indexOf(r) === i)
    .slice(-REFERENCES_KEPT);
  const headers: Record<string, string> = mail.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {};
  return {
    messageId,
    message: {
      from: settings.fromName ? { name: settings.fromName, address: from } : from,
      replyTo: from,
      to: mail.contact,
      envelope: { from, to: [mail.contact] },
      subject: replySubject(thread.subject, settings.fromName ?? settings.domain),
      text: mail.text,
      messageId,
      ...(thread.messageId ? { inReplyTo: thread.messageId } : {}),
      ...(references.length ? { references } : {}),
      headers,
    },
  };
}

/** One SMTP transport per account and settings (created on first use; closed when the settings change). */
export class SmtpTransports {
  private readonly byAccount = new Map<string, { key: string; transport: Transporter }>();

  get(accountId: string, settings: EmailSettings): Transporter {
    const key = JSON.stringify(settings.smtp);
    const known = this.byAccount.get(accountId);
    if (known?.key === key) return known.transport;
    known?.transport.close();
    const { host, port, secure, requireTLS, user, password } = settings.smtp;
    // One connection per mail (no pool): a broken connection cannot poison later sends. Short timeouts: the outbox retries.
    const transport = nodemailer.createTransport({
      host,
      port,
      secure,
      requireTLS,
      ...(user && password ? { auth: { user, pass: password } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.byAccount.set(accountId, { key, transport });
    return transport;
  }

  close(): void {
    for (const { transport } of this.byAccount.values()) transport.close();
    this.byAccount.clear();
  }
}

/** Sends; a 5xx answer (unknown recipient, policy) cannot be fixed by retrying. */
export async function sendMail(transport: Transporter, message: SendMailOptions): Promise<void> {
  try {
    await transport.sendMail(message);
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    if (code !== undefined && code >= 500 && code < 600) throw new PermanentFailure(`the mail server refused the mail (${code})`);
    throw err;
  }
}
