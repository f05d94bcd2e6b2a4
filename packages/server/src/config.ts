import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { parse } from '@direturn/protocol/schemas';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The workspace root, from packages/server/{src,dist}/ */
const workspaceRoot = resolve(here, '../../..');

const EnvSchema = v.object({
  PORT: v.pipe(v.optional(v.string(), '8080'), v.transform(Number), v.integer('PORT must be a whole number'), v.minValue(0), v.maxValue(65535)),
  HOST: v.optional(v.string(), '0.0.0.0'),
  DIRETURN_DATA_DIR: v.optional(v.string(), './data'),
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
  DIRETURN_LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'silent']), 'info'),
  DIRETURN_SESSION_HOURS: v.pipe(v.optional(v.string(), '12'), v.transform(Number), v.number(), v.minValue(1)),
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
  DIRETURN_WIDGET_DIR: v.optional(v.string(), resolve(workspaceRoot, 'packages/widget/dist')),
  DIRETURN_CONSOLE_DIR: v.optional(v.string(), resolve(workspaceRoot, 'packages/console/dist')),
  DIRETURN_DEMO_DIR: v.optional(v.string(), resolve(workspaceRoot, 'examples/demo')),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** Where people reach this server; defaults to http://localhost:PORT. */
  publicUrl: string;
  admin: { email: string; password: string } | undefined;
  demo: boolean;
  /** Host names the server answers to (besides loopback names): the public URL's and DIRETURN_ALLOWED_HOSTS (DNS rebinding). */
  allowedHosts: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  sessionTtlMs: number;
  encryptionKey: string | undefined;
  retentionDays: number;
  /** Audit entries are deleted after this many days (DIRETURN_AUDIT_RETENTION_DAYS, default 365). */
  auditRetentionDays: number;
  retentionIntervalMs: number;
  requireTotp: boolean;
  trustProxy: boolean;
  limits: { siteConnectionsPerMinute: number; siteNewConversationsPerMinute: number; clientConnectionsPerMinute: number };
  dirs: { widget: string; console: string; demo: string };
}

/** Reads the environment once, at start; a bad value stops the start with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = parse(EnvSchema, env);
  if (!result.ok) throw new Error(`Invalid configuration:\n  ${result.issues.join('\n  ')}`);
  const e = result.value;
  if (Boolean(e.DIRETURN_ADMIN_EMAIL) !== Boolean(e.DIRETURN_ADMIN_PASSWORD)) {
    throw new Error('Invalid configuration: set both DIRETURN_ADMIN_EMAIL and DIRETURN_ADMIN_PASSWORD, or neither');
  }
  const dataDir = resolve(e.DIRETURN_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: resolve(dataDir, 'direturn.sqlite'),
    publicUrl: (e.DIRETURN_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    admin: e.DIRETURN_ADMIN_EMAIL && e.DIRETURN_ADMIN_PASSWORD ? { email: e.DIRETURN_ADMIN_EMAIL.toLowerCase(), password: e.DIRETURN_ADMIN_PASSWORD } : undefined,
    // A production start names its public address (or its hosts); only a start without either,
    // which answers nothing but localhost anyway, shows the demo unasked.
    demo: e.DIRETURN_DEMO ?? (e.DIRETURN_PUBLIC_URL === undefined && e.DIRETURN_ALLOWED_HOSTS === undefined),
    allowedHosts: [...new Set([new URL(e.DIRETURN_PUBLIC_URL ?? 'http://localhost').hostname.toLowerCase(), ...(e.DIRETURN_ALLOWED_HOSTS ?? [])])],
    logLevel: e.DIRETURN_LOG_LEVEL,
    sessionTtlMs: e.DIRETURN_SESSION_HOURS * 3600_000,
    encryptionKey: e.DIRETURN_ENCRYPTION_KEY,
    retentionDays: e.DIRETURN_RETENTION_DAYS,
    auditRetentionDays: e.DIRETURN_AUDIT_RETENTION_DAYS,
    retentionIntervalMs: e.DIRETURN_RETENTION_INTERVAL_MINUTES * 60_000,
    requireTotp: e.DIRETURN_REQUIRE_TOTP,
    trustProxy: e.DIRETURN_TRUST_PROXY,
    limits: {
      siteConnectionsPerMinute: e.DIRETURN_SITE_CONNECTIONS_PER_MINUTE,
      siteNewConversationsPerMinute: e.DIRETURN_SITE_NEW_CONVERSATIONS_PER_MINUTE,
      clientConnectionsPerMinute: e.DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE,
    },
    dirs: { widget: resolve(e.DIRETURN_WIDGET_DIR), console: resolve(e.DIRETURN_CONSOLE_DIR), demo: resolve(e.DIRETURN_DEMO_DIR) },
  };
}
