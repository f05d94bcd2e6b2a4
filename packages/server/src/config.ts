import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { parse } from '@direturn/protocol/schemas';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The workspace root, from packages/server/{src,dist}/ */
const workspaceRoot = resolve(here, '../../..');

/** A comma-separated list of ICE server URLs of one kind. */
const iceUrls = (scheme: RegExp, message: string) =>
  v.pipe(
    v.string(),
    v.transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean)),
    v.check((urls) => urls.every((u) => scheme.test(u) && /^[a-z]+:[^\s,]+$/.test(u)), message),
  );

const EnvSchema = v.object({
  PORT: v.pipe(v.optional(v.string(), '8080'), v.transform(Number), v.integer('PORT must be a whole number'), v.minValue(0), v.maxValue(65535)),
  HOST: v.optional(v.string(), '0.0.0.0'),
  DIRETURN_DATA_DIR: v.optional(v.string(), './data'),
  /** postgres://user:pass@host:5432/db selects PostgreSQL; without it SQLite under DIRETURN_DATA_DIR. */
  DIRETURN_DATABASE_URL: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => s === '' || /^postgres(ql)?:\/\/[^\s]+$/.test(s) && URL.canParse(s), 'DIRETURN_DATABASE_URL must be a postgres:// URL'),
    ),
  ),
  /** redis://host:6379 connects several DiReturn processes (fan-out and shared short-lived state). */
  DIRETURN_REDIS_URL: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => s === '' || /^rediss?:\/\/[^\s]+$/.test(s) && URL.canParse(s), 'DIRETURN_REDIS_URL must be a redis:// or rediss:// URL'),
    ),
  ),
  /** Namespace of this installation's keys and channel in Redis (several installations may share one Redis). */
  DIRETURN_REDIS_PREFIX: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'DIRETURN_REDIS_PREFIX may only contain letters, digits, _ . -')), 'direturn'),
  /** auto: migrate at start (default); check: refuse to start on an older schema (run `direturn migrate`). */
  DIRETURN_MIGRATE: v.optional(v.picklist(['auto', 'check'], 'DIRETURN_MIGRATE must be auto or check'), 'auto'),
  /** /metrics: `local` (default) answers loopback requests that did not come through a proxy; `off` never. */
  DIRETURN_METRICS: v.optional(v.picklist(['local', 'off'], 'DIRETURN_METRICS must be local or off'), 'local'),
  /** With it, /metrics also answers `Authorization: Bearer <token>` from anywhere (a Prometheus on another host). */
  DIRETURN_METRICS_TOKEN: v.optional(v.pipe(v.string(), v.check((s) => s === '' || s.length >= 32, 'DIRETURN_METRICS_TOKEN must be at least 32 characters (openssl rand -hex 32)'))),
  DIRETURN_DATABASE_POOL_SIZE: v.pipe(v.optional(v.string(), '10'), v.transform(Number), v.integer('DIRETURN_DATABASE_POOL_SIZE must be a whole number'), v.minValue(1), v.maxValue(200)),
  /** The URL people reach this server at; the demo site allows this origin. */
  DIRETURN_PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('DIRETURN_PUBLIC_URL must be a URL'))),
  DIRETURN_ADMIN_EMAIL: v.optional(v.pipe(v.string(), v.email('DIRETURN_ADMIN_EMAIL must be an e-mail address'))),
  DIRETURN_ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(12, 'DIRETURN_ADMIN_PASSWORD must be at least 12 characters'))),
  /** Register the demo site and serve /demo/. Unset: on only while the server answers nothing but localhost (see loadConfig). */
  DIRETURN_DEMO: v.optional(v.pipe(v.picklist(['1', '0', 'true', 'false', 'yes', 'no']), v.transform((s) => s === '1' || s === 'true' || s === 'yes'))),
  /** Further host names this server answers to, comma-separated (besides the public URL's host and localhost). */
  DIRETURN_ALLOWED_HOSTS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
      v.check((hosts) => hosts.every((h) => /^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h)), 'DIRETURN_ALLOWED_HOSTS must be host names without scheme or port, comma-separated'),
    ),
  ),
  /** Seed the shipped example offices into an empty directory (default: in demo mode). */
  DIRETURN_EXAMPLE_OFFICES: v.optional(v.picklist(['1', '0', 'true', 'false', 'yes', 'no'], 'DIRETURN_EXAMPLE_OFFICES must be true or false')),
  /** Key of the site whose chat the public information pages (/info) offer; that site must allow DIRETURN_PUBLIC_URL. Default: the demo site in demo mode. */
  DIRETURN_INFO_SITE: v.optional(v.pipe(v.string(), v.maxLength(64))),
  /** In demo mode, do not import the example articles on the first start (tests that need an empty knowledge base). */
  DIRETURN_DEMO_EXAMPLES: v.pipe(v.optional(v.picklist(['1', '0', 'true', 'false', 'yes', 'no']), 'true'), v.transform((s) => s === '1' || s === 'true' || s === 'yes')),
  DIRETURN_LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'silent']), 'info'),
  DIRETURN_SESSION_HOURS: v.pipe(v.optional(v.string(), '12'), v.transform(Number), v.number(), v.minValue(1)),
  /** An admin's one-time password works this long (hours); after it, only a new reset helps. */
  DIRETURN_ONE_TIME_PASSWORD_HOURS: v.pipe(
    v.optional(v.string(), '72'),
    v.transform(Number),
    v.check((n) => Number.isFinite(n) && n >= 1 && n <= 720, 'DIRETURN_ONE_TIME_PASSWORD_HOURS must be a number of hours from 1 to 720'),
  ),
  /** base64 of 32 bytes; several comma-separated (first encrypts). Without it: <dataDir>/encryption.key. */
  DIRETURN_ENCRYPTION_KEY: v.optional(v.string()),
  DIRETURN_RETENTION_DAYS: v.pipe(v.optional(v.string(), '90'), v.transform(Number), v.integer('DIRETURN_RETENTION_DAYS must be a whole number'), v.minValue(1), v.maxValue(3650)),
  /** Audit entries older than this are deleted by the retention job: a year keeps complaints traceable. */
  DIRETURN_AUDIT_RETENTION_DAYS: v.pipe(
    v.optional(v.string(), '365'),
    v.transform(Number),
    // One check, so a typo gives one line rather than three.
    v.check((n) => Number.isInteger(n) && n >= 1 && n <= 3650, 'DIRETURN_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650'),
  ),
  DIRETURN_RETENTION_INTERVAL_MINUTES: v.pipe(v.optional(v.string(), '60'), v.transform(Number), v.number(), v.minValue(0.01)),
  /** A counsellor away (set away, or not connected) this long: their conversations go back to the queue. */
  DIRETURN_AWAY_REQUEUE_MINUTES: v.pipe(
    v.optional(v.string(), '15'),
    v.transform(Number),
    v.check((n) => Number.isFinite(n) && n >= 1 && n <= 1440, 'DIRETURN_AWAY_REQUEUE_MINUTES must be a number of minutes from 1 to 1440'),
  ),
  /** How many conversations a counsellor may hold at once, unless an admin set theirs. */
  DIRETURN_MAX_PARALLEL: v.pipe(
    v.optional(v.string(), '10'),
    v.transform(Number),
    v.check((n) => Number.isInteger(n) && n >= 1 && n <= 10000, 'DIRETURN_MAX_PARALLEL must be a whole number from 1 to 10000'),
  ),
  DIRETURN_REQUIRE_TOTP: v.pipe(
    v.optional(v.picklist(['1', '0', 'true', 'false', 'yes', 'no']), 'false'),
    v.transform((s) => s === '1' || s === 'true' || s === 'yes'),
  ),
  /** Behind one reverse proxy: the client address (for rate limits only) is the last X-Forwarded-For entry, the one that proxy appends. */
  DIRETURN_TRUST_PROXY: v.pipe(
    v.optional(v.picklist(['1', '0', 'true', 'false', 'yes', 'no']), 'false'),
    v.transform((s) => s === '1' || s === 'true' || s === 'yes'),
  ),
  DIRETURN_SITE_CONNECTIONS_PER_MINUTE: v.pipe(v.optional(v.string(), '600'), v.transform(Number), v.integer(), v.minValue(1)),
  DIRETURN_SITE_NEW_CONVERSATIONS_PER_MINUTE: v.pipe(v.optional(v.string(), '60'), v.transform(Number), v.integer(), v.minValue(1)),
  DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: v.pipe(v.optional(v.string(), '60'), v.transform(Number), v.integer(), v.minValue(1)),
  /** Outgoing mail (referrals to offices): smtp://host:25, smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465. */
  DIRETURN_SMTP_URL: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => s === '' || (/^smtps?:\/\/[^\s]+$/.test(s) && URL.canParse(s)), 'DIRETURN_SMTP_URL must be an smtp:// or smtps:// URL'),
    ),
  ),
  /** The sender of outgoing mail, e.g. "DiReturn <noreply@example.org>". */
  DIRETURN_MAIL_FROM: v.optional(
    v.pipe(v.string(), v.check((s) => s === '' || /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(s.trim()), 'DIRETURN_MAIL_FROM must be an address, or "Name <address>"')),
  ),
  /** Attempts per outgoing message before it is shown as failed. */
  DIRETURN_OUTBOX_MAX_ATTEMPTS: v.pipe(v.optional(v.string(), '8'), v.transform(Number), v.integer('DIRETURN_OUTBOX_MAX_ATTEMPTS must be a whole number'), v.minValue(1), v.maxValue(50)),
  /** Wait before the first retry; each further retry waits twice as long (at most an hour). */
  DIRETURN_OUTBOX_RETRY_SECONDS: v.pipe(v.optional(v.string(), '30'), v.transform(Number), v.number('DIRETURN_OUTBOX_RETRY_SECONDS must be a number'), v.minValue(0.01), v.maxValue(3600)),
  /** How often each process looks for due deliveries. */
  DIRETURN_OUTBOX_POLL_SECONDS: v.pipe(v.optional(v.string(), '5'), v.transform(Number), v.number('DIRETURN_OUTBOX_POLL_SECONDS must be a number'), v.minValue(0.05), v.maxValue(600)),
  /** Days an office's private referral link works. */
  DIRETURN_REFERRAL_LINK_DAYS: v.pipe(v.optional(v.string(), '30'), v.transform(Number), v.integer('DIRETURN_REFERRAL_LINK_DAYS must be a whole number'), v.minValue(1), v.maxValue(365)),
  /** The Telegram Bot API (a local stand-in in tests). */
  DIRETURN_TELEGRAM_API_URL: v.optional(v.pipe(v.string(), v.url('DIRETURN_TELEGRAM_API_URL must be a URL'), v.check((s) => !s.endsWith('/'), 'DIRETURN_TELEGRAM_API_URL must not end with /')), 'https://api.telegram.org'),
  /** Meta's Graph API for WhatsApp, Messenger and Instagram (a local stand-in in tests). */
  DIRETURN_META_GRAPH_URL: v.optional(v.pipe(v.string(), v.url('DIRETURN_META_GRAPH_URL must be a URL'), v.check((s) => !s.endsWith('/'), 'DIRETURN_META_GRAPH_URL must not end with /')), 'https://graph.facebook.com'),
  /** Days after a callback request's last time window until retention deletes its number (if no counsellor finished it first). */
  /** Reply notices: a counsellor's reply unread this long gets the visitor's e-mail notice (fractions for tests). */
  DIRETURN_REPLY_NOTICE_DELAY_MINUTES: v.pipe(v.optional(v.string(), '10'), v.transform(Number), v.number('DIRETURN_REPLY_NOTICE_DELAY_MINUTES must be a number'), v.minValue(0), v.maxValue(1440)),
  DIRETURN_CALLBACK_RETENTION_DAYS: v.pipe(v.optional(v.string(), '14'), v.transform(Number), v.integer('DIRETURN_CALLBACK_RETENTION_DAYS must be a whole number'), v.minValue(1), v.maxValue(365)),
  /** Callback requests from one address (salted key) per hour, after a burst of as many: a shelter's visitors share one address. */
  DIRETURN_CALLBACK_REQUESTS_PER_HOUR: v.pipe(v.optional(v.string(), '30'), v.transform(Number), v.integer('DIRETURN_CALLBACK_REQUESTS_PER_HOUR must be a whole number'), v.minValue(1), v.maxValue(100_000)),
  /** E-mail: how often the active mailboxes are looked at and their leases renewed (docs/channels.md). */
  DIRETURN_EMAIL_CHECK_MS: v.pipe(v.optional(v.string(), '15000'), v.transform(Number), v.integer('DIRETURN_EMAIL_CHECK_MS must be a whole number of milliseconds'), v.minValue(10), v.maxValue(3_600_000)),
  /** E-mail: how long a process's hold on a mailbox lasts without renewal; at least three checks (empty: 60 s or that). */
  DIRETURN_EMAIL_LEASE_MS: v.optional(v.pipe(v.string(), v.transform(Number), v.integer('DIRETURN_EMAIL_LEASE_MS must be a whole number of milliseconds'), v.minValue(30), v.maxValue(3_600_000))),
  /** E-mail: the first pause before reconnecting to an IMAP server (doubling up to 5 minutes). */
  DIRETURN_EMAIL_RECONNECT_MS: v.pipe(v.optional(v.string(), '2000'), v.transform(Number), v.integer('DIRETURN_EMAIL_RECONNECT_MS must be a whole number of milliseconds'), v.minValue(10), v.maxValue(3_600_000)),
  /** E-mail: look for new mail at least this often besides IDLE. */
  DIRETURN_EMAIL_POLL_MS: v.pipe(v.optional(v.string(), '120000'), v.transform(Number), v.integer('DIRETURN_EMAIL_POLL_MS must be a whole number of milliseconds'), v.minValue(10), v.maxValue(3_600_000)),
  /** The Graph API version DiReturn calls (Meta supports each for about two years). */
  DIRETURN_META_GRAPH_VERSION: v.optional(v.pipe(v.string(), v.regex(/^v\d{1,3}\.\d{1,3}$/, 'DIRETURN_META_GRAPH_VERSION must look like v25.0')), 'v25.0'),
  /** STUN servers for calls, comma-separated (`stun:host:3478`). None by default: no third party learns of a call. */
  DIRETURN_STUN_URLS: v.optional(iceUrls(/^stuns?:/, 'DIRETURN_STUN_URLS must be stun: or stuns: URLs, comma-separated')),
  /** TURN servers for calls, comma-separated (`turn:host:3478?transport=udp`, `turns:host:5349`); needs DIRETURN_TURN_SECRET. */
  DIRETURN_TURN_URLS: v.optional(iceUrls(/^turns?:/, 'DIRETURN_TURN_URLS must be turn: or turns: URLs, comma-separated')),
  /** The secret DiReturn shares with the TURN server (coturn: static-auth-secret); credentials are derived from it. */
  DIRETURN_TURN_SECRET: v.optional(v.pipe(v.string(), v.check((s) => s === '' || s.length >= 16, 'DIRETURN_TURN_SECRET must be at least 16 characters (openssl rand -hex 32)'))),
  /** How long minted TURN credentials are valid. */
  DIRETURN_TURN_TTL_SECONDS: v.pipe(
    v.optional(v.string(), '3600'),
    v.transform(Number),
    v.check((n) => Number.isInteger(n) && n >= 60 && n <= 86400, 'DIRETURN_TURN_TTL_SECONDS must be a whole number of seconds from 60 to 86400'),
  ),
  /** `relay`: call media only through TURN, so neither side learns the other's address (needs DIRETURN_TURN_URLS). */
  DIRETURN_ICE_TRANSPORT_POLICY: v.optional(v.picklist(['all', 'relay'], 'DIRETURN_ICE_TRANSPORT_POLICY must be all or relay'), 'all'),
  /** A side of a call whose socket is gone this long ends the call (closed tab, lost network that does not come back). */
  DIRETURN_CALL_GRACE_SECONDS: v.pipe(
    v.optional(v.string(), '20'),
    v.transform(Number),
    v.check((n) => Number.isFinite(n) && n >= 1 && n <= 300, 'DIRETURN_CALL_GRACE_SECONDS must be a number of seconds from 1 to 300'),
  ),
  DIRETURN_WIDGET_DIR: v.optional(v.string(), resolve(workspaceRoot, 'packages/widget/dist')),
  DIRETURN_CONSOLE_DIR: v.optional(v.string(), resolve(workspaceRoot, 'packages/console/dist')),
  DIRETURN_DEMO_DIR: v.optional(v.string(), resolve(workspaceRoot, 'examples/demo')),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** PostgreSQL instead of the SQLite file, when set. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Redis between processes, when set. */
  redisUrl: string | undefined;
  redisPrefix: string;
  migrate: 'auto' | 'check';
  /** Who may read /metrics (ops/metrics-access.ts). */
  metrics: { access: 'local' | 'off'; token: string | undefined };
  /** Where people reach this server; defaults to http://localhost:PORT. */
  publicUrl: string;
  admin: { email: string; password: string } | undefined;
  demo: boolean;
  /** Seed the example offices into an empty directory. */
  exampleOffices: boolean;
  /** The site whose widget /info pages embed (none: the pages offer no chat). */
  infoSite: string | undefined;
  /** DIRETURN_DEMO_EXAMPLES=false: the demo starts without the example articles. */
  demoSkipExamples: boolean;
  /** Host names the server answers to (besides loopback names): the public URL's and DIRETURN_ALLOWED_HOSTS (DNS rebinding). */
  allowedHosts: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  sessionTtlMs: number;
  /** How long an admin's one-time password works (DIRETURN_ONE_TIME_PASSWORD_HOURS, default 72). */
  oneTimePasswordMs: number;
  encryptionKey: string | undefined;
  retentionDays: number;
  /** Audit entries are deleted after this many days (DIRETURN_AUDIT_RETENTION_DAYS, default 365). */
  auditRetentionDays: number;
  retentionIntervalMs: number;
  /** Counsellor work: requeue after this long away; conversations held at once (default). */
  work: { awayRequeueMs: number; maxParallel: number };
  requireTotp: boolean;
  trustProxy: boolean;
  limits: { siteConnectionsPerMinute: number; siteNewConversationsPerMinute: number; clientConnectionsPerMinute: number };
  dirs: { widget: string; console: string; demo: string };
  /** Outgoing mail; both unset = mail is not configured. */
  mail: { smtpUrl: string | undefined; from: string | undefined };
  outbox: { maxAttempts: number; retryBaseMs: number; pollMs: number };
  referralLinkTtlMs: number;
  /** Provider base URLs of the channels (issue 15); real ones by default, a local stand-in in tests. */
  /** DIRETURN_CALLBACK_RETENTION_DAYS (default 14), DIRETURN_CALLBACK_REQUESTS_PER_HOUR (per address, default 30). */
  callbackRetentionDays: number;
  /** DIRETURN_REPLY_NOTICE_DELAY_MINUTES (default 10): how long a reply waits unread before the visitor's e-mail notice. */
  replyNoticeDelayMs: number;
  callbackRequestsPerHour: number;
  /** Provider base URLs of the channels (issue 15); real ones by default, a local stand-in in tests. */
  channels: { telegramApiUrl: string; metaGraphUrl: string; metaGraphVersion: string; email: { checkMs: number; leaseMs: number; reconnectMs: number; pollMs: number } };
  /** Voice and video calls: ICE servers, TURN REST credentials, and the grace before a silent side ends a call. */
  calls: CallConfig;
}

export interface CallConfig {
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | undefined;
  turnTtlSeconds: number;
  iceTransportPolicy: 'all' | 'relay';
  graceMs: number;
}

/** Reads the environment once, at start; a bad value stops the start with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = parse(EnvSchema, env);
  if (!result.ok) throw new Error(`Invalid configuration:\n  ${result.issues.join('\n  ')}`);
  const e = result.value;
  if (Boolean(e.DIRETURN_ADMIN_EMAIL) !== Boolean(e.DIRETURN_ADMIN_PASSWORD)) {
    throw new Error('Invalid configuration: set both DIRETURN_ADMIN_EMAIL and DIRETURN_ADMIN_PASSWORD, or neither');
  }
  if (Boolean(e.DIRETURN_SMTP_URL) !== Boolean(e.DIRETURN_MAIL_FROM)) {
    throw new Error('Invalid configuration: set both DIRETURN_SMTP_URL and DIRETURN_MAIL_FROM, or neither');
  }
  if (e.DIRETURN_REDIS_URL && !e.DIRETURN_DATABASE_URL) {
    throw new Error('Invalid configuration: DIRETURN_REDIS_URL connects several processes, which share one PostgreSQL database: set DIRETURN_DATABASE_URL too (SQLite serves one process)');
  }
  if (e.DIRETURN_EMAIL_LEASE_MS !== undefined && e.DIRETURN_EMAIL_LEASE_MS < e.DIRETURN_EMAIL_CHECK_MS * 3) {
    // Renewed every check: a lease shorter than three would run out under a process that is merely slow.
    throw new Error('Invalid configuration: DIRETURN_EMAIL_LEASE_MS must be at least three times DIRETURN_EMAIL_CHECK_MS');
  }
  if ((e.DIRETURN_TURN_URLS?.length ?? 0) > 0 && !e.DIRETURN_TURN_SECRET) {
    throw new Error('Invalid configuration: DIRETURN_TURN_URLS needs DIRETURN_TURN_SECRET (the TURN server\'s static-auth-secret); DiReturn never hands out a static TURN password');
  }
  if (e.DIRETURN_ICE_TRANSPORT_POLICY === 'relay' && !e.DIRETURN_TURN_URLS?.length) {
    throw new Error('Invalid configuration: DIRETURN_ICE_TRANSPORT_POLICY=relay needs a TURN server (DIRETURN_TURN_URLS and DIRETURN_TURN_SECRET)');
  }
  const dataDir = resolve(e.DIRETURN_DATA_DIR);
  // A production start names its public address (or its hosts); only a start without either,
  // which answers nothing but localhost anyway, shows the demo unasked.
  const demo = e.DIRETURN_DEMO ?? (e.DIRETURN_PUBLIC_URL === undefined && e.DIRETURN_ALLOWED_HOSTS === undefined);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: resolve(dataDir, 'direturn.sqlite'),
    databaseUrl: e.DIRETURN_DATABASE_URL || undefined,
    databasePoolSize: e.DIRETURN_DATABASE_POOL_SIZE,
    redisUrl: e.DIRETURN_REDIS_URL || undefined,
    redisPrefix: e.DIRETURN_REDIS_PREFIX,
    migrate: e.DIRETURN_MIGRATE,
    metrics: { access: e.DIRETURN_METRICS, token: e.DIRETURN_METRICS_TOKEN || undefined },
    publicUrl: (e.DIRETURN_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    admin: e.DIRETURN_ADMIN_EMAIL && e.DIRETURN_ADMIN_PASSWORD ? { email: e.DIRETURN_ADMIN_EMAIL.toLowerCase(), password: e.DIRETURN_ADMIN_PASSWORD } : undefined,
    demo,
    exampleOffices: e.DIRETURN_EXAMPLE_OFFICES === undefined ? demo : ['1', 'true', 'yes'].includes(e.DIRETURN_EXAMPLE_OFFICES),
    infoSite: e.DIRETURN_INFO_SITE || (demo ? 'demo' : undefined),
    demoSkipExamples: !e.DIRETURN_DEMO_EXAMPLES,
    allowedHosts: [...new Set([new URL(e.DIRETURN_PUBLIC_URL ?? 'http://localhost').hostname.toLowerCase(), ...(e.DIRETURN_ALLOWED_HOSTS ?? [])])],
    logLevel: e.DIRETURN_LOG_LEVEL,
    sessionTtlMs: e.DIRETURN_SESSION_HOURS * 3600_000,
    oneTimePasswordMs: e.DIRETURN_ONE_TIME_PASSWORD_HOURS * 3600_000,
    encryptionKey: e.DIRETURN_ENCRYPTION_KEY,
    retentionDays: e.DIRETURN_RETENTION_DAYS,
    auditRetentionDays: e.DIRETURN_AUDIT_RETENTION_DAYS,
    retentionIntervalMs: e.DIRETURN_RETENTION_INTERVAL_MINUTES * 60_000,
    work: { awayRequeueMs: e.DIRETURN_AWAY_REQUEUE_MINUTES * 60_000, maxParallel: e.DIRETURN_MAX_PARALLEL },
    requireTotp: e.DIRETURN_REQUIRE_TOTP,
    trustProxy: e.DIRETURN_TRUST_PROXY,
    limits: {
      siteConnectionsPerMinute: e.DIRETURN_SITE_CONNECTIONS_PER_MINUTE,
      siteNewConversationsPerMinute: e.DIRETURN_SITE_NEW_CONVERSATIONS_PER_MINUTE,
      clientConnectionsPerMinute: e.DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE,
    },
    dirs: { widget: resolve(e.DIRETURN_WIDGET_DIR), console: resolve(e.DIRETURN_CONSOLE_DIR), demo: resolve(e.DIRETURN_DEMO_DIR) },
    mail: { smtpUrl: e.DIRETURN_SMTP_URL || undefined, from: e.DIRETURN_MAIL_FROM?.trim() || undefined },
    outbox: { maxAttempts: e.DIRETURN_OUTBOX_MAX_ATTEMPTS, retryBaseMs: e.DIRETURN_OUTBOX_RETRY_SECONDS * 1000, pollMs: e.DIRETURN_OUTBOX_POLL_SECONDS * 1000 },
    referralLinkTtlMs: e.DIRETURN_REFERRAL_LINK_DAYS * 86_400_000,
    callbackRetentionDays: e.DIRETURN_CALLBACK_RETENTION_DAYS,
    replyNoticeDelayMs: Math.round(e.DIRETURN_REPLY_NOTICE_DELAY_MINUTES * 60_000),
    callbackRequestsPerHour: e.DIRETURN_CALLBACK_REQUESTS_PER_HOUR,
    channels: {
      telegramApiUrl: e.DIRETURN_TELEGRAM_API_URL,
      metaGraphUrl: e.DIRETURN_META_GRAPH_URL,
      metaGraphVersion: e.DIRETURN_META_GRAPH_VERSION,
      email: {
        checkMs: e.DIRETURN_EMAIL_CHECK_MS,
        leaseMs: e.DIRETURN_EMAIL_LEASE_MS ?? Math.max(60_000, e.DIRETURN_EMAIL_CHECK_MS * 3),
        reconnectMs: e.DIRETURN_EMAIL_RECONNECT_MS,
        pollMs: e.DIRETURN_EMAIL_POLL_MS,
      },
    },
    calls: {
      stunUrls: e.DIRETURN_STUN_URLS ?? [],
      turnUrls: e.DIRETURN_TURN_URLS ?? [],
      turnSecret: e.DIRETURN_TURN_SECRET || undefined,
      turnTtlSeconds: e.DIRETURN_TURN_TTL_SECONDS,
      iceTransportPolicy: e.DIRETURN_ICE_TRANSPORT_POLICY,
      graceMs: e.DIRETURN_CALL_GRACE_SECONDS * 1000,
    },
  };
}
