import { randomBytes } from 'node:crypto';
import { CHANNEL_FIELDS, type ValidationIssue, type AgentDto, type ChannelAccountCreate, type ChannelAccountDto, type ChannelAccountUpdate, type ChannelKind } from '@direturn/protocol';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import type { Keyring } from '../security/keyring.js';
import { DomainError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { findSiteById } from '../sites/site.repository.js';
import type { ChannelAdapters } from './adapters.js';
import { webhookPath, type ChannelAccount, type ChannelAccountSource } from './channel.js';
import {
  deleteAccount,
  findAccount,
  insertAccount,
  listAccounts,
  listActiveAccounts,
  recordAccountError,
  recordAccountEvent,
  updateAccount,
  type ChannelAccountWithSite,
} from './channel.repository.js';

/** Made by DiReturn for every account (Telegram's secret_token, a verify token): never entered, never shown. */
export const WEBHOOK_SECRET = 'webhookSecret';
/** Kinds whose provider posts to a webhook; e-mail polls its mailbox. */
const WEBHOOK_KINDS: ReadonlySet<ChannelKind> = new Set(['telegram', 'whatsapp', 'messenger', 'instagram']);
/** Health errors are shown to admins: short, one line. */
const MAX_ERROR_LENGTH = 300;

type Actor = Pick<AgentDto, 'id'> | null;

export interface ChannelAccountEvents extends Record<string, unknown> {
  /** An account was added, changed, paused, resumed or removed. */
  changed: { accountId: string };
}

/**
 * Channel accounts: admins add, change, pause, resume, connect and remove them (console and
 * `direturn channels`). Secrets are sealed at rest (AAD `channel-secrets:<id>`) and leave this
 * service only decrypted for adapters (ChannelAccountSource), never in a DTO.
 */
export class ChannelAccountService implements ChannelAccountSource {
  readonly events = new TypedEmitter<ChannelAccountEvents>();

  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly adapters: ChannelAdapters,
    private readonly publicUrl: string,
    private readonly audit?: AuditService,
  ) {}

  // ---- for adapters and the domain ----

  async find(accountId: string): Promise<ChannelAccount | undefined> {
    return this.findIn(this.db, accountId);
  }

  /** Inside a caller's transaction (the message writer holds SQLite's one connection: a query beside it would wait forever). */
  async findIn(trx: Db, accountId: string): Promise<ChannelAccount | undefined> {
    const row = await findAccount(trx, accountId);
    return row && this.decrypt(row);
  }

  async listActive(kind: ChannelKind): Promise<ChannelAccount[]> {
    return (await listActiveAccounts(this.db, kind)).map((r) => this.decrypt(r));
  }

  async recordEvent(accountId: string): Promise<void> {
    await recordAccountEvent(this.db, accountId, Date.now());
  }

  async recordError(accountId: string, error: string): Promise<void> {
    await recordAccountError(this.db, accountId, error.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_LENGTH), Date.now());
  }

  /** The address a provider posts this account's events to; null for kinds that poll. */
  webhookUrl(kind: ChannelKind, accountId: string): string | null {
    return WEBHOOK_KINDS.has(kind) ? `${this.publicUrl}${webhookPath(kind, accountId)}` : null;
  }

  private decrypt(row: ChannelAccountWithSite): ChannelAccount {
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      siteId: row.site_id,
      status: row.status,
      settings: JSON.parse(row.settings) as Record<string, string>,
      secrets: JSON.parse(this.keyring.open(row.secrets, `channel-secrets:${row.id}`)) as Record<string, string>,
    };
  }

  private present(row: ChannelAccountWithSite): ChannelAccountDto {
    const secrets = JSON.parse(this.keyring.open(row.secrets, `channel-secrets:${row.id}`)) as Record<string, string>;
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      siteId: row.site_id,
      siteName: row.site_name,
      status: row.status,
      settings: JSON.parse(row.settings) as Record<string, string>,
      secretsSet: Object.keys(secrets).filter((k) => secrets[k]).sort(),
      webhookUrl: this.webhookUrl(row.kind, row.id),
      lastEventAt: row.last_event_at === null ? null : Number(row.last_event_at),
      lastError: row.last_error,
      lastErrorAt: row.last_error_at === null ? null : Number(row.last_error_at),
      createdAt: Number(row.created_at),
    };
  }

  // ---- for admins ----

  async list(): Promise<ChannelAccountDto[]> {
    return (await listAccounts(this.db)).map((r) => this.present(r));
  }

  async get(id: string): Promise<ChannelAccountDto> {
    return this.present(await this.row(id));
  }

  private async row(id: string): Promise<ChannelAccountWithSite> {
    const row = await findAccount(this.db, id);
    if (!row) throw new DomainError('not_found', 'No such channel account.');
    return row;
  }

  async create(actor: Actor, input: ChannelAccountCreate): Promise<ChannelAccountDto> {
    const { settings, secrets } = checkFields(input.kind, input.settings ?? {}, input.secrets, true);
    await this.assertSite(input.siteId);
    const id = newId();
    const now = Date.now();
    const allSecrets = { ...secrets, [WEBHOOK_SECRET]: randomBytes(32).toString('base64url') };
    await insertAccount(this.db, {
      id,
      kind: input.kind,
      name: input.name.trim(),
      site_id: input.siteId,
      status: 'active',
      settings: JSON.stringify(settings),
      secrets: this.keyring.seal(JSON.stringify(allSecrets), `channel-secrets:${id}`),
      created_at: now,
      updated_at: now,
      last_event_at: null,
      last_error: null,
      last_error_at: null,
    });
    await this.audit?.record({ agentId: actor?.id ?? null, action: 'channel.account_created', details: { kind: input.kind } });
    this.events.emit('changed', { accountId: id });
    return this.get(id);
  }

  async update(actor: Actor, id: string, input: ChannelAccountUpdate): Promise<ChannelAccountDto> {
    const row = await this.row(id);
    const current = this.decrypt(row);
    const checked = checkFields(row.kind, { ...current.settings, ...(input.settings ?? {}) }, input.secrets ?? {}, false);
    if (input.siteId !== undefined) await this.assertSite(input.siteId);
    const secrets = { ...current.secrets, ...checked.secrets };
    await updateAccount(this.db, id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.siteId !== undefined ? { site_id: input.siteId } : {}),
      settings: JSON.stringify(checked.settings),
      secrets: this.keyring.seal(JSON.stringify(secrets), `channel-secrets:${id}`),
      updated_at: Date.now(),
    });
    await this.audit?.record({ agentId: actor?.id ?? null, action: 'channel.account_updated', details: { kind: row.kind, secrets: Object.keys(checked.secrets).length } });
    this.events.emit('changed', { accountId: id });
    return this.get(id);
  }

  async setStatus(actor: Actor, id: string, status: 'active' | 'paused'): Promise<ChannelAccountDto> {
    const row = await this.row(id);
    if (row.status !== status) {
      await updateAccount(this.db, id, { status, updated_at: Date.now() });
      await this.audit?.record({ agentId: actor?.id ?? null, action: status === 'paused' ? 'channel.account_paused' : 'channel.account_resumed', details: { kind: row.kind } });
      this.events.emit('changed', { accountId: id });
    }
    return this.get(id);
  }

  /** Removes the account; its conversations stay (until retention) without it, and can no longer be answered on the channel. */
  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.row(id);
    await this.db.transaction().execute((trx) => deleteAccount(trx, id));
    await this.audit?.record({ agentId: actor?.id ?? null, action: 'channel.account_removed', details: { kind: row.kind } });
    this.events.emit('changed', { accountId: id });
  }

  /** Registers DiReturn with the provider (Telegram: setWebhook to the public URL with the account's secret). */
  async connect(actor: Actor, id: string): Promise<ChannelAccountDto> {
    const account = this.decrypt(await this.row(id));
    const adapter = this.adapters.get(account.kind);
    if (!adapter?.connect) throw new DomainError('bad_request', `There is nothing to connect for ${account.kind} accounts.`);
    const webhookUrl = this.webhookUrl(account.kind, id);
    if (!webhookUrl) throw new DomainError('bad_request', `${account.kind} accounts have no webhook.`);
    // The provider refuses what it cannot use (Telegram: an address that is not https) and says why.
    let learnt: Record<string, string> | undefined;
    try {
      learnt = (await adapter.connect(account, { webhookUrl })).settings;
    } catch (err) {
      const message = (err as Error).message;
      await this.recordError(id, `Connecting failed: ${message}`);
      throw new DomainError('bad_request', `Connecting failed: ${message}`);
    }
    if (learnt && Object.keys(learnt).length) await updateAccount(this.db, id, { settings: JSON.stringify({ ...account.settings, ...learnt }), updated_at: Date.now() });
    await this.audit?.record({ agentId: actor?.id ?? null, action: 'channel.account_connected', details: { kind: account.kind } });
    this.events.emit('changed', { accountId: id });
    return this.get(id);
  }

  private async assertSite(siteId: string): Promise<void> {
    if (!(await findSiteById(this.db, siteId))) throw new DomainError('bad_request', 'No such site.', ['siteId: no such site']);
  }
}

/**
 * Checks settings and secrets against the kind's fields (protocol CHANNEL_FIELDS): known names
 * only, required ones present (on create), patterns and lengths. Empty secrets on update mean
 * "keep the stored one".
 */
function checkFields(kind: ChannelKind, settings: Record<string, string>, secrets: Record<string, string>, creating: boolean): { settings: Record<string, string>; secrets: Record<string, string> } {
  const fields = CHANNEL_FIELDS[kind];
  const issues: string[] = [];
  const details: ValidationIssue[] = [];
  const refuse = (path: string, code: ValidationIssue['code'], line: string, params?: ValidationIssue['params']) => {
    issues.push(`${path.split('.').at(-1)}: ${line}`);
    details.push({ path, code, ...(params ? { params } : {}) });
  };
  const out = { settings: {} as Record<string, string>, secrets: {} as Record<string, string> };
  for (const [values, secret] of [[settings, false], [secrets, true]] as const) {
    const group = secret ? 'secrets' : 'settings';
    for (const [name, raw] of Object.entries(values)) {
      const field = fields.find((f) => f.name === name && f.secret === secret);
      // Settings an adapter learnt on connect (a bot's username) are kept as they are.
      if (!field) {
        if (!secret && !creating) out.settings[name] = raw;
        else refuse(`${group}.${name}`, 'invalid_choice', `not a field of ${kind} accounts`);
        continue;
      }
      const value = raw.trim();
      if (value === '' && secret && !creating) continue;
      if (field.maxLength !== undefined && value.length > field.maxLength) refuse(`${group}.${name}`, 'too_long', `at most ${field.maxLength} characters`, { max: field.maxLength });
      else if (field.pattern && value !== '' && !new RegExp(field.pattern).test(value)) refuse(`${group}.${name}`, 'invalid_format', 'not in the expected form');
      (secret ? out.secrets : out.settings)[name] = value;
    }
  }
  if (creating) {
    for (const f of fields) {
      if (f.required && !(f.secret ? out.secrets : out.settings)[f.name]) refuse(`${f.secret ? 'secrets' : 'settings'}.${f.name}`, 'required', 'required');
    }
  }
  if (issues.length) throw new DomainError('bad_request', 'The channel account is not valid.', issues, details);
  return out;
}
