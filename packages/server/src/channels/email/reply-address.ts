import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Reply addresses that lead back into one conversation: `<local>+<token>@<domain>` (sub-addressing,
 * which every common mail server delivers to `<local>@<domain>`), and the same token in the
 * Message-ID of every mail DiReturn sends, so a reply that lost the address still finds its way
 * by In-Reply-To/References.
 *
 * The token is the conversation id and an HMAC over (conversation id, the person's address) under the
 * account's own random secret: nobody can make one for a conversation, and a token is valid only in
 * mail from the address it was sent to. A forwarded mail answered by someone else therefore starts
 * that person's own conversation instead of writing into another's. Base32, lower case: mail
 * servers may change the case of a local part. 26 + 16 characters.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_BYTES = 10;
const ID_CHARS = 26;
const TOKEN = new RegExp(`^[a-z2-7]{${ID_CHARS + 16}}$`);

export function replyToken(key: string, conversationId: string, contact: string): string | undefined {
  const id = uuidBytes(conversationId);
  if (!id) return undefined;
  return base32(id) + base32(mac(key, conversationId, contact));
}

/** The conversation a token names, if the token was made for `contact`. */
export function conversationOfToken(key: string, token: string, contact: string): string | undefined {
  const t = token.toLowerCase();
  if (!TOKEN.test(t)) return undefined;
  const id = unbase32(t.slice(0, ID_CHARS), 16);
  const given = unbase32(t.slice(ID_CHARS), MAC_BYTES);
  if (!id || !given) return undefined;
  const conversationId = uuidString(id);
  return timingSafeEqual(given, mac(key, conversationId, contact)) ? conversationId : undefined;
}

/** `<local>+<token>@<domain>`; the plain address when the local part would grow past RFC 5321's 64 characters. */
export function replyAddress(local: string, domain: string, token: string | undefined): string {
  if (!token || local.length + 1 + token.length > 64) return `${local}@${domain}`;
  return `${local}+${token}@${domain}`;
}

/** A Message-ID for a mail DiReturn sends, carrying the token when there is one. */
export function outgoingMessageId(domain: string, token: string | undefined): string {
  const unique = randomBytes(9).toString('hex');
  return `<${token ? `${token}.` : ''}${unique}@${domain}>`;
}

/** Tokens found in the recipients (`<local>+<token>@<domain>`) and in referenced Message-IDs, best first. */
export function tokensOf(mail: { recipients: string[]; inReplyTo: string | undefined; references: string[] }, local: string, domain: string): string[] {
  const out: string[] = [];
  const prefix = `${local}+`;
  for (const r of mail.recipients) {
    const at = r.lastIndexOf('@');
    if (at < 0 || r.slice(at + 1) !== domain || !r.startsWith(prefix)) continue;
    out.push(r.slice(prefix.length, at));
  }
  for (const id of [mail.inReplyTo, ...[...mail.references].reverse()]) {
    const m = id && /^<([a-z2-7]{42})\.[0-9a-f]+@([^>]+)>$/i.exec(id.trim());
    if (m && m[2]!.toLowerCase() === domain) out.push(m[1]!.toLowerCase());
  }
  return [...new Set(out)];
}

function mac(key: string, conversationId: string, contact: string): Buffer {
  return createHmac('sha256', key).update(`email-reply\0${conversationId}\0${contact.trim().toLowerCase()}`).digest().subarray(0, MAC_BYTES);
}

function uuidBytes(id: string): Buffer | undefined {
  const hex = id.replace(/-/g, '');
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

function uuidString(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string, length: number): Buffer | undefined {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return out.length >= length ? Buffer.from(out.slice(0, length)) : undefined;
}
