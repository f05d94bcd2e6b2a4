import nodemailer from 'nodemailer';

/** Mail options as nodemailer takes them (from, to, subject, text, html, headers, attachments, messageId …). */
export type MailSpec = Record<string, unknown>;

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' } as never);

/** A complete RFC 5322 mail built by nodemailer (as a real mail program would send it). */
export async function composeMail(spec: MailSpec): Promise<Buffer> {
  const info = (await composer.sendMail({ date: new Date(), ...spec } as never)) as unknown as { message: Buffer };
  return info.message;
}
