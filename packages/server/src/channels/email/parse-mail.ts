/// <reference path="./planer.d.ts" />
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import planer from 'planer';
import { htmlToText } from './html-text.js';

export interface MailAttachment {
  type: string;
  /** Bytes (decoded); never the content. */
  size?: number;
}

/** Why a mail must never get an automatic answer (RFC 3834 and what mail systems do in practice). */
export type AutomatedKind = 'auto-submitted' | 'bounce' | 'list' | 'bulk';

/** What DiReturn keeps of one inbound mail. Attachments are type and size only. */
export interface InboundMail {
  /** The Message-ID with angle brackets, or `<sha256…@no-message-id>` from the header block when a mail has none. */
  messageId: string;
  /** The sender's address, lower case; undefined when the mail names none. */
  from: string | undefined;
  /** Every address the mail was delivered to (To, Cc, Delivered-To, X-Original-To, Envelope-To), lower case. */
  recipients: string[];
  subject: string;
  inReplyTo: string | undefined;
  references: string[];
  text: string;
  attachments: MailAttachment[];
  /** The Date header (ms), if present and sane. */
  date: number | undefined;
  /** Content-Language, if the sender's program said it. */
  contentLanguage: string | undefined;
  /** Set when the mail was sent by a machine: it gets no automatic answer. */
  automated: AutomatedKind | undefined;
  /** True when the text was cut to the message limit. */
  truncated: boolean;
  /** A delivery report's failed recipients (RFC 3464 Final-/Original-Recipient), lower case. */
  failedRecipients: string[];
}

const SHORTENED = '\n[…]';
/** A mail's text is kept up to this length (the channel service's limit for channel messages). */
export const MAIL_TEXT_MAX_CHARS = 32_000;

/**
 * A whole mail (RFC 5322 source) → InboundMail with mailparser's simpleParser. HTML-only mail becomes
 * plain text (html-text.ts); attachments are reduced to type and size, their bytes dropped here.
 */
export async function parseMail(source: Buffer | string): Promise<InboundMail> {
  const parsed = await simpleParser(source, {
    // Our own HTML conversion (html-text.ts); no data: URIs for inline images, no HTML from text.
    skipHtmlToText: true,
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const text = parsed.text && parsed.text.trim() !== '' ? parsed.text : typeof parsed.html === 'string' ? htmlToText(parsed.html) : '';
  const mail = fromParsed(parsed, text, parsed.attachments.map((a) => ({ type: a.contentType || 'application/octet-stream', size: a.size })), Buffer.isBuffer(source) ? source : Buffer.from(source));
  if (mail.automated === 'bounce') {
    // The report part (RFC 3464) arrives as text or as an attachment, depending on its headers.
    const reports = [parsed.text ?? '', ...parsed.attachments.filter((a) => /delivery-status/i.test(a.contentType ?? '')).map((a) => a.content.toString('utf8'))];
    const found = reports.flatMap((r) => [...r.matchAll(/^(?:final|original)-recipient:\s*rfc822\s*;\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$/gim)].map((m) => m[1]!.toLowerCase()));
    mail.failedRecipients = [...new Set(found)];
  }
  return mail;
}

/**
 * A mail too large to download whole: its header block, the text already taken from its body
 * parts (plain or HTML), and its attachments as the server's BODYSTRUCTURE lists them.
 */
export async function parseMailParts(header: Buffer, body: { plain?: string; html?: string }, attachments: MailAttachment[]): Promise<InboundMail> {
  const parsed = await simpleParser(Buffer.concat([header, Buffer.from('\r\n\r\n')]), { skipHtmlToText: true, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const text = body.plain && body.plain.trim() !== '' ? body.plain : body.html ? htmlToText(body.html) : '';
  return fromParsed(parsed, text, attachments, header);
}

function fromParsed(parsed: ParsedMail, rawText: string, attachments: MailAttachment[], source: Buffer): InboundMail {
  const references = Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [];
  const isReply = Boolean(parsed.inReplyTo) || references.length > 0;
  const { text, truncated } = cleanText(isReply ? withoutQuote(rawText) : rawText);
  const date = parsed.date?.getTime();
  return {
    messageId: parsed.messageId?.trim() || syntheticMessageId(source),
    from: addresses(parsed.from)[0],
    recipients: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc), ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => rawHeaders(parsed, h).flatMap(plainAddresses))])],
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 500),
    inReplyTo: parsed.inReplyTo?.trim() || undefined,
    references: references.map((r) => r.trim()).filter((r) => r !== '').slice(-50),
    text,
    attachments,
    date: date !== undefined && Number.isFinite(date) ? date : undefined,
    contentLanguage: rawHeaders(parsed, 'content-language')[0]?.split(',')[0]?.trim() || undefined,
    automated: automatedKind(parsed),
    truncated,
    failedRecipients: [],
  };
}

/**
 * A reply without the history its mail program quoted below it ("Am … schrieb …:", "On … wrote:",
 * "-----Original Message-----" and the "> " lines after them), with planer (Lever's port of Mailgun's
 * talon rules): the conversation already holds those messages, and quoting them again would store
 * the same words twice. A text that would be left empty, or one planer cannot split, stays whole.
 */
export function withoutQuote(text: string): string {
  try {
    const own = planer.extractFrom(text.replace(/\r\n?/g, '\n'), 'text/plain');
    return own.trim() !== '' ? own : text;
  } catch {
    return text;
  }
}

/** Line ends, control characters, runs of blank lines; cut to MAIL_TEXT_MAX_CHARS. */
export function cleanText(raw: string): { text: string; truncated: boolean } {
  const text = raw
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b\u00ad]/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text.length <= MAIL_TEXT_MAX_CHARS) return { text, truncated: false };
  return { text: text.slice(0, MAIL_TEXT_MAX_CHARS - SHORTENED.length).trimEnd() + SHORTENED, truncated: true };
}

/** RFC 3834 Auto-Submitted, Microsoft's and others' auto-reply marks, bounces, mailing lists, bulk mail. */
export function automatedKind(parsed: ParsedMail): AutomatedKind | undefined {
  const h = (name: string) => rawHeaders(parsed, name).map((v) => v.toLowerCase());
  if (h('auto-submitted').some((v) => v !== '' && !v.startsWith('no'))) return 'auto-submitted';
  if (h('x-autoreply').length || h('x-autorespond').length || h('x-auto-response-suppress').some((v) => /all|oof|autoreply/.test(v))) return 'auto-submitted';
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value === 'multipart/report' && /delivery-status|disposition-notification/.test(contentType.params?.['report-type'] ?? '')) return 'bounce';
  const from = addresses(parsed.from)[0] ?? '';
  if (/^(mailer-daemon|postmaster)@/i.test(from) || h('return-path').some((v) => v.replace(/\s/g, '') === '<>')) return 'bounce';
  if (h('list-id').length || h('list-unsubscribe').length || h('list-post').length) return 'list';
  if (h('precedence').some((v) => /bulk|junk|list|auto_reply/.test(v))) return 'bulk';
  if (h('x-auto-response-suppress').length) return 'auto-submitted';
  return undefined;
}

/** Unfolded values of every header line named `name` (mailparser's raw lines: "Name: value"). */
function rawHeaders(parsed: ParsedMail, name: string): string[] {
  return parsed.headerLines
    .filter((l) => l.key === name)
    .map((l) => l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const visit = (entries: Array<{ address?: string; group?: Array<{ address?: string }> }>) => {
    for (const e of entries) {
      if (e.address) out.push(e.address.toLowerCase());
      if (e.group) visit(e.group);
    }
  };
  for (const obj of Array.isArray(value) ? value : value ? [value] : []) visit(obj.value);
  return out;
}

/** `<a@b>` or bare `a@b` in a header such as Delivered-To. */
function plainAddresses(value: string): string[] {
  return [...value.matchAll(/<?([^\s<>@",;]+@[^\s<>@",;]+)>?/g)].map((m) => m[1]!.toLowerCase());
}

/** A stable id for a mail without Message-ID: the same mail read twice gets the same one. */
export function syntheticMessageId(source: Buffer): string {
  const ends = [source.indexOf('\r\n\r\n'), source.indexOf('\n\n')].filter((i) => i >= 0);
  const head = source.subarray(0, ends.length ? Math.min(...ends) : 64 * 1024);
  return `<${createHash('sha256').update(head).digest('hex').slice(0, 40)}@no-message-id>`;
}
