import nodemailer, { type Transporter } from 'nodemailer';
import { PermanentFailure } from '../outbox/outbox.service.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Headers such as Auto-Submitted; never anything personal. */
  headers?: Record<string, string>;
}

/** Sends mail. The outbox calls it; a thrown error means "try again later" unless it is a PermanentFailure. */
export interface Mailer {
  /** False without DIRETURN_SMTP_URL: nothing can be sent (features that need mail say so). */
  readonly configured: boolean;
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * SMTP through nodemailer (DIRETURN_SMTP_URL, e.g. smtps://user:pass@mail.example.org:465 or
 * smtp://relay:25; DIRETURN_MAIL_FROM, e.g. "DiReturn <noreply@example.org>"). One connection per
 * message: referrals are few, and a broken connection cannot poison later sends.
 */
export function createMailer(smtpUrl: string | undefined, from: string | undefined): Mailer {
  if (!smtpUrl || !from) {
    return {
      configured: false,
      send: () => Promise.reject(new PermanentFailure('no SMTP server configured (DIRETURN_SMTP_URL, DIRETURN_MAIL_FROM)')),
      close: () => undefined,
    };
  }
  // Short timeouts: the outbox retries; a hanging server must not hold a delivery slot for minutes.
  const transport: Transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  return {
    configured: true,
    async send(m) {
      try {
        const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}), headers: m.headers ?? {} });
        return { messageId: String(info.messageId) };
      } catch (err) {
        // 5xx: the server refused for good (unknown recipient, policy); 4xx and network errors: try again.
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500 && code < 600) throw new PermanentFailure((err as Error).message);
        throw err;
      }
    },
    close: () => transport.close(),
  };
}
