// Channels (issue 15): provider accounts admins connect (Telegram bots, mailboxes, WhatsApp numbers,
// Facebook pages, Instagram accounts) and the delivery state of counsellors' replies on them.

/** A channel besides the widget. */
export type ChannelKind = 'email' | 'telegram' | 'whatsapp' | 'messenger' | 'instagram';
export const CHANNEL_KINDS = ['email', 'telegram', 'whatsapp', 'messenger', 'instagram'] as const satisfies readonly ChannelKind[];

/** Where a counsellor's reply on a channel is: queued → sent → delivered → read, or failed (with a reason). */
export type ChannelDeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** One field of an account as admins fill it in (console form, `direturn channels add`). */
export interface ChannelFieldSpec {
  /** Key in the account's settings or secrets; the console's label is `channels.field.<name>`. */
  name: string;
  /** Secrets are encrypted at rest, entered in password fields and never shown again. */
  secret: boolean;
  required: boolean;
  /** A regular expression the value must match (checked by the server). */
  pattern?: string;
  maxLength?: number;
}

/** Meta's numeric ids: phone number id, page id, Instagram professional account id. */
const META_ID_PATTERN = '^[0-9]{5,32}$';

/**
 * The approved WhatsApp templates an account may send outside the 24-hour window: `name:language`
 * pairs, comma-separated (`reply_waiting:de, reply_waiting:en_US`), as approved at Meta.
 */
export const WHATSAPP_TEMPLATES_PATTERN =
  '^\\s*(?:[a-z0-9_]{1,512}:[a-z]{2,3}(?:_[A-Z]{2,4})?(?:\\s*,\\s*[a-z0-9_]{1,512}:[a-z]{2,3}(?:_[A-Z]{2,4})?)*)?\\s*$';

/** Meta's app secret (signs webhooks) and the access token (system user or page token) for sending. */
const META_SECRETS: readonly ChannelFieldSpec[] = [
  { name: 'appSecret', secret: true, required: true, pattern: '^[A-Za-z0-9]{16,128}$', maxLength: 128 },
  { name: 'accessToken', secret: true, required: true, pattern: '^[A-Za-z0-9_|.-]{20,1024}$', maxLength: 1024 },
];

/**
 * What each kind asks for. Every account also gets a `webhookSecret` made by DiReturn (Telegram's
 * secret_token, Meta's verify token), never entered. Each adapter's branch fills in its own kind.
 */
export const CHANNEL_FIELDS: Record<ChannelKind, readonly ChannelFieldSpec[]> = {
  telegram: [{ name: 'botToken', secret: true, required: true, pattern: '^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$', maxLength: 128 }],
  // The mailbox people write to (no "+": replies come from <local>+<token>@<domain>), IMAP to read it,
  // SMTP to answer (URL without password), and whether imported mail is deleted from the server.
  email: [
    { name: 'address', secret: false, required: true, pattern: '^[^\\s@+"<>(),;:]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$', maxLength: 254 },
    { name: 'fromName', secret: false, required: false, maxLength: 100 },
    { name: 'imapHost', secret: false, required: true, pattern: '^[A-Za-z0-9.-]+$', maxLength: 253 },
    { name: 'imapPort', secret: false, required: false, pattern: '^[0-9]{1,5}$' },
    { name: 'imapTls', secret: false, required: false, pattern: '^(true|false)$' },
    { name: 'imapUser', secret: false, required: false, maxLength: 254 },
    { name: 'imapMailbox', secret: false, required: false, maxLength: 200 },
    { name: 'imapPassword', secret: true, required: true, maxLength: 1024 },
    { name: 'smtpUrl', secret: false, required: true, pattern: '^smtps?://([^:@/\\s]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$', maxLength: 300 },
    { name: 'smtpPassword', secret: true, required: false, maxLength: 1024 },
    { name: 'deleteAfterImport', secret: false, required: false, pattern: '^(true|false)$' },
  ],
  whatsapp: [
    { name: 'phoneNumberId', secret: false, required: true, pattern: META_ID_PATTERN, maxLength: 32 },
    { name: 'templates', secret: false, required: false, pattern: WHATSAPP_TEMPLATES_PATTERN, maxLength: 2000 },
    ...META_SECRETS,
  ],
  messenger: [{ name: 'pageId', secret: false, required: true, pattern: META_ID_PATTERN, maxLength: 32 }, ...META_SECRETS],
  instagram: [
    { name: 'instagramAccountId', secret: false, required: true, pattern: META_ID_PATTERN, maxLength: 32 },
    { name: 'pageId', secret: false, required: true, pattern: META_ID_PATTERN, maxLength: 32 },
    ...META_SECRETS,
  ],
};

export type ChannelAccountStatus = 'active' | 'paused';

/** A connected account as admins see it: never a secret, only which ones are set. */
export interface ChannelAccountDto {
  id: string;
  kind: ChannelKind;
  name: string;
  siteId: string;
  siteName: string;
  status: ChannelAccountStatus;
  settings: Record<string, string>;
  /** Names of the secrets that are set (their values never leave the server). */
  secretsSet: string[];
  /** The address the provider must post events to (`/webhooks/<kind>/<id>`); null for kinds that poll. */
  webhookUrl: string | null;
  /** Health: the last verified event, the last error (in words). */
  lastEventAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  createdAt: number;
}

/** `POST /api/channels` (admins). */
export interface ChannelAccountCreate {
  kind: ChannelKind;
  name: string;
  siteId: string;
  settings?: Record<string, string>;
  secrets: Record<string, string>;
}

/** `PATCH /api/channels/:id` (admins): secrets given replace those of the same name; others stay. */
export interface ChannelAccountUpdate {
  name?: string;
  siteId?: string;
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
}

export interface ChannelAccountListResponse { accounts: ChannelAccountDto[] }
export interface ChannelAccountResponse { account: ChannelAccountDto }

/** An attachment a person sent on a channel: DiReturn keeps only its type and size, never the content. */
export interface MessageAttachmentDto {
  /** image, document, audio, video, sticker, location, contact, other… */
  type: string;
  /** Bytes, when the channel told. */
  size?: number;
}

/** The delivery of a counsellor's reply on a channel. */
export interface MessageDeliveryDto {
  status: ChannelDeliveryStatus;
  /** Why it failed, in words (from DiReturn or the provider; no personal data). */
  reason: string | null;
  updatedAt: number;
}
