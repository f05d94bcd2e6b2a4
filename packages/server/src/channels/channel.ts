// The channel port (issue 15): the seam between channel adapters (channels/telegram/, email/, meta/)
// and the conversation domain. Adapters import only this file (and what it re-exports); the domain
// implements ChannelInbox in channel.service.ts. See docs/channels.md.

import type { Hono } from 'hono';
import type { AppEnv } from '../http/types.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { PermanentFailure, RetryLater, type Outbox } from '../outbox/outbox.service.js';
import type { Keyring } from '../security/keyring.js';

/** Thrown by ChannelAdapter.send: no retry can fix it (window closed, blocked, bad recipient). The message shows as failed with this text. */
export { PermanentFailure };
/** Thrown by ChannelAdapter.send on a provider's 429 (or a 5xx with Retry-After): tried again after `retryAfterMs`, not earlier. */
export { RetryLater };

import type { ChannelKind } from '@direturn/protocol';
export type { ChannelKind };
export { CHANNEL_KINDS } from '@direturn/protocol';

/** A connected account on a provider (a bot, a mailbox, a WhatsApp number, a page). */
export interface ChannelAccount {
  id: string;
  kind: ChannelKind;
  /** Shown to admins. */
  name: string;
  /** Conversations of this account belong to this site (opening hours, routing). */
  siteId: string;
  status: 'active' | 'paused';
  /** Public, non-secret settings (bot username, phone number id, page id, IMAP host, mailbox address…). */
  settings: Record<string, string>;
  /** Decrypted secrets (bot token, webhook secret, app secret, access token, IMAP/SMTP password…); never sent to a browser. */
  secrets: Record<string, string>;
}

/** An attachment the person sent: never the content. */
export interface InboundAttachment {
  /** A short word: image, document, audio, video, sticker, location, contact… */
  type: string;
  /** Bytes, when the provider tells. */
  size?: number;
}

/** One message a person sent on a channel, verified and parsed by an adapter. */
export interface InboundMessage {
  accountId: string;
  /** The provider's own id of this message/event: the same id twice is handled once. Must not contain the contact. */
  providerMessageId: string;
  /** The person's identity on the channel (e-mail address, Telegram chat id, WhatsApp BSUID, PSID/IGSID). Encrypted at rest. */
  contact: string;
  /** Plain text (HTML mail already made safe text); may be '' with attachments. */
  text: string;
  attachments: InboundAttachment[];
  /** A language the channel tells (Telegram's language_code, any BCP 47 tag); otherwise detected from the text. */
  languageHint?: string;
  /** Provider timestamp (ms): used for the 24 h / 7 day windows. */
  sentAt: number;
  /** Channel-specific data the reply needs later (e-mail: Message-ID, References, Subject); stored encrypted. */
  thread?: Record<string, string>;
  /** An explicit conversation the message belongs to (e-mail reply address token), if the channel knows one. */
  conversationHint?: string;
}

/** A provider's report about a message we sent. May arrive before or without the send's answer. */
export interface DeliveryStatusEvent {
  accountId: string;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Provider error in words, no personal data. */
  reason?: string;
  at: number;
}

/** A short message DiReturn itself sends to a person (not a counsellor's reply), in their language. */
export type ChannelNotice = 'greeting' | 'attachment';

/** What the domain offers adapters (implemented in channels/channel.service.ts). */
export interface ChannelInbox {
  /** Stores once (dedupe by accountId + providerMessageId), finds or opens the contact's open conversation, fans out. */
  receive(message: InboundMessage): Promise<{ conversationId: string; messageId: string; duplicate: boolean }>;
  /**
   * A person starts talking to the account (Telegram `/start`, a "Get started" button): handled once per
   * providerMessageId, opens no conversation, sends the greeting in their language through the outbox.
   */
  greet(event: { accountId: string; providerMessageId: string; contact: string; languageHint?: string; sentAt: number }): Promise<{ duplicate: boolean }>;
  /** Records a delivery status for the message with that provider id (kept if it arrives first). */
  status(event: DeliveryStatusEvent): Promise<void>;
  /** Health shown to admins. */
  recordEvent(accountId: string): Promise<void>;
  /** Health shown to admins; `error` in words, without content, addresses or tokens. */
  recordError(accountId: string, error: string): Promise<void>;
}

/** One outbound message, loaded and decrypted by the outbox handler just before sending. */
export interface OutboundMessage {
  conversationId: string;
  messageId: string;
  contact: string;
  text: string;
  language: string;
  /** Last inbound message time (ms) for window rules; thread data from the last inbound message. */
  lastInboundAt: number | null;
  thread?: Record<string, string>;
  /** WhatsApp outside the window: the template chosen by the counsellor. */
  template?: { name: string; language: string };
}

/** An adapter per kind (telegram, email, whatsapp/messenger/instagram). */
export interface ChannelAdapter {
  readonly kind: ChannelKind;
  /** Throws PermanentFailure for what no retry can fix (window closed, blocked, bad recipient); RetryLater on 429; other errors retry with backoff. */
  send(account: ChannelAccount, message: OutboundMessage): Promise<{ providerMessageId: string }>;
  /** Whether a free-form reply is allowed now, for the console ('open' | 'closed' with the rule's name). */
  replyWindow?(message: Pick<OutboundMessage, 'lastInboundAt'>, now: number): { open: boolean; rule?: 'whatsapp-24h' | 'meta-7d-human-agent' };
  /** Messages the provider accepts outside the window (WhatsApp's approved templates), as the account lists them. */
  templates?(account: ChannelAccount): Array<{ name: string; language: string }>;
  /**
   * `direturn channels <kind> connect <id>` and the console's "Connect": registers DiReturn with the provider
   * (Telegram: setWebhook to `webhookUrl` with the account's secret). Returns settings learnt on the way
   * (e.g. the bot's username), merged into the account's settings.
   */
  connect?(account: ChannelAccount, ctx: { webhookUrl: string }): Promise<{ settings?: Record<string, string> }>;
}

/** Accounts as adapters and webhooks read them (decrypted; only server-side). */
export interface ChannelAccountSource {
  /** Any status; undefined when no such account. */
  find(accountId: string): Promise<ChannelAccount | undefined>;
  /** Active accounts of a kind (pollers, e.g. IMAP). */
  listActive(kind: ChannelKind): Promise<ChannelAccount[]>;
}

/** What a channel module gets when the server starts. */
export interface ChannelContext {
  inbox: ChannelInbox;
  accounts: ChannelAccountSource;
  logger: Logger;
  /** The server's configuration: `publicUrl`, `channels.telegramApiUrl`, `channels.metaGraphUrl`… */
  config: Config;
  /** For a module's own tables (e-mail: each mailbox's cursor and the lease of the one process reading it). */
  db: Db;
  /** For what a module sends by itself (e-mail: the automatic first answer), stored before it leaves. */
  outbox: Outbox;
  /** Opens a conversation's sealed contact and thread for such a message. */
  keyring: Keyring;
}

/**
 * One module per adapter family, listed in channels/modules.ts. `routes` is mounted at the root:
 * webhooks live under `/webhooks/<kind>/<accountId>` (never a secret in the URL). `start`/`stop`
 * run with the server (pollers).
 */
export interface ChannelModule {
  readonly kinds: readonly ChannelKind[];
  create(ctx: ChannelContext): {
    adapters: ChannelAdapter[];
    routes?: Hono<AppEnv>;
    start?(): void;
    stop?(): Promise<void>;
  };
}

/** The path of an account's webhook (relative to the public URL). */
export const webhookPath = (kind: ChannelKind, accountId: string): string => `/webhooks/${kind}/${encodeURIComponent(accountId)}`;
