import type { ChannelAccount } from '../channel.js';
import type { ImapConnection } from './imap-reader.js';

/** An e-mail account's settings and secrets, checked (CHANNEL_FIELDS.email in the protocol says what admins enter). */
export interface EmailSettings {
  /** The mailbox address people write to; replies come from `<local>+<token>@<domain>` of it. */
  address: string;
  local: string;
  domain: string;
  /** Shown as the sender's name of outgoing mail (optional). */
  fromName: string | undefined;
  imap: ImapConnection;
  /** `requireTLS`: STARTTLS or no mail (except to a loopback host). */
  smtp: { host: string; port: number; secure: boolean; requireTLS: boolean; user: string | undefined; password: string | undefined };
  deleteAfterImport: boolean;
  /** Key of the reply-address tokens: the account's own random secret, made by DiReturn. */
  tokenKey: string | undefined;
}

/** A setting that cannot work; the message names the field, never its value. */
export class EmailSettingsError extends Error {
  override readonly name = 'EmailSettingsError';
}

const ADDRESS = /^[^\s@+"<>(),;:]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

/** A mail server on this machine: the only place a plain connection is allowed. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function emailSettings(account: ChannelAccount): EmailSettings {
  const s = account.settings;
  const address = (s.address ?? '').trim().toLowerCase();
  if (!ADDRESS.test(address)) throw new EmailSettingsError('address: not a mailbox address (no "+" in it: DiReturn adds the reply token after a "+")');
  const [local, domain] = address.split('@') as [string, string];
  const imapHost = (s.imapHost ?? '').trim();
  if (!/^[a-z0-9.-]+$/i.test(imapHost)) throw new EmailSettingsError('imapHost: not a host name');
  const imapTls = s.imapTls === undefined || s.imapTls === '' ? true : s.imapTls === 'true';
  const imapPort = s.imapPort ? Number(s.imapPort) : imapTls ? 993 : 143;
  if (!Number.isInteger(imapPort) || imapPort < 1 || imapPort > 65535) throw new EmailSettingsError('imapPort: not a port');
  const imapPassword = account.secrets.imapPassword;
  if (!imapPassword) throw new EmailSettingsError('imapPassword: missing');
  let smtpUrl: URL;
  try {
    smtpUrl = new URL((s.smtpUrl ?? '').trim());
  } catch {
    throw new EmailSettingsError('smtpUrl: not a URL such as smtps://user@mail.example.org:465');
  }
  if (smtpUrl.protocol !== 'smtp:' && smtpUrl.protocol !== 'smtps:') throw new EmailSettingsError('smtpUrl: must start with smtp:// or smtps://');
  if (smtpUrl.password) throw new EmailSettingsError('smtpUrl: must not contain the password (it goes into smtpPassword, which is encrypted)');
  const secure = smtpUrl.protocol === 'smtps:';
  const smtpUser = smtpUrl.username ? decodeURIComponent(smtpUrl.username) : undefined;
  return {
    address,
    local,
    domain,
    fromName: s.fromName?.trim() || undefined,
    imap: { host: imapHost, port: imapPort, secure: imapTls, cleartext: isLoopback(imapHost), user: s.imapUser?.trim() || address, password: imapPassword, mailbox: s.imapMailbox?.trim() || 'INBOX' },
    smtp: {
      host: smtpUrl.hostname,
      port: smtpUrl.port ? Number(smtpUrl.port) : secure ? 465 : 587,
      secure,
      requireTLS: !secure && !isLoopback(smtpUrl.hostname),
      user: smtpUser,
      password: (smtpUser && account.secrets.smtpPassword) || undefined,
    },
    deleteAfterImport: s.deleteAfterImport === 'true',
    tokenKey: account.secrets.webhookSecret,
  };
}
