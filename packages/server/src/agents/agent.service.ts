import { randomInt } from 'node:crypto';
import { FEDERAL_STATE_KEYS, isLanguageCode, type AgentAdminDto, type AgentDto } from '@direturn/protocol';
import type { AgentInput, AgentUpdate } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import type { AuthService } from '../auth/auth.service.js';
import type { TotpService } from '../auth/totp.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { countAgents, findAgentByEmail, findAgentById, insertAgent, listAgents, listAgentsWithTotp, updateAgent } from './agent.repository.js';
import type { AgentRow } from './agent.table.js';
import { hashPassword } from './password.js';
import { deleteSessionsOfAgent } from '../auth/session.repository.js';
import { passwordIssues, refusePassword } from './password-policy.js';

/** No look-alikes (0/o, 1/l/i): the admin may read it out or write it down for the colleague. */
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** "k7pd-x2mq-ttr9-4hwe": 16 random characters of 31 (79 bits), typed once and then replaced. */
export function oneTimePassword(): string {
  const chars = Array.from({ length: 16 }, () => OTP_ALPHABET[randomInt(OTP_ALPHABET.length)]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export function toAgentDto(row: AgentRow): AgentDto {
  const languages = (JSON.parse(row.languages) as unknown[]).filter(isLanguageCode);
  const regions = (JSON.parse(row.regions ?? '[]') as unknown[]).filter((r): r is string => typeof r === 'string' && FEDERAL_STATE_KEYS.includes(r));
  return { id: row.id, email: row.email, name: row.name, role: row.role, languages, regions, ...(row.password_reset_at != null ? { passwordChangeRequired: true } : {}) };
}

export interface AgentAdminDeps {
  auth: AuthService;
  totp: TotpService;
  audit: AuditService;
}

/** Counsellors and admins who work in the console. */
export class AgentService {
  private admin: AgentAdminDeps | undefined;

  /** `audit`: for callers without the full wiring (the CLI); the server passes it through `connect`. */
  constructor(
    private readonly db: Db,
    private readonly ownAudit?: AuditService,
  ) {}

  /** Wires the services admin actions need (they are built after this one). */
  connect(deps: AgentAdminDeps): void {
    this.admin = deps;
  }

  async create(input: AgentInput, by?: AgentDto): Promise<AgentDto> {
    const issues = passwordIssues(input.password, { email: input.email, name: input.name });
    if (issues.length) refusePassword(issues);
    if (await findAgentByEmail(this.db, input.email)) {
      throw new DomainError('bad_request', 'An agent with this e-mail address exists already.');
    }
    const row: AgentRow = {
      id: newId(),
      email: input.email,
      name: input.name,
      password_hash: await hashPassword(input.password),
      role: input.role,
      languages: JSON.stringify([...new Set(input.languages)]),
      regions: JSON.stringify([...new Set(input.regions ?? [])]),
      created_at: Date.now(),
      disabled_at: null,
      password_reset_at: null,
    };
    await insertAgent(this.db, row);
    if (by) await this.admin?.audit.record({ agentId: by.id, action: 'agent.created', targetAgentId: row.id, details: { role: row.role } });
    return toAgentDto(row);
  }

  async list(): Promise<AgentDto[]> {
    return (await listAgents(this.db)).map(toAgentDto);
  }

  /** Admin view: with 2FA state and live sessions. */
  async listForAdmin(): Promise<AgentAdminDto[]> {
    const sessions = (await this.admin?.auth.sessionCounts()) ?? new Map<string, number>();
    return (await listAgentsWithTotp(this.db)).map((r) => this.adminDto(r, r.totp_enabled_at !== null, sessions.get(r.id) ?? 0));
  }

  private adminDto(row: AgentRow, totpEnabled: boolean, sessions: number): AgentAdminDto {
    return { ...toAgentDto(row), createdAt: Number(row.created_at), disabledAt: row.disabled_at === null ? null : Number(row.disabled_at), totpEnabled, sessions };
  }

  private async adminView(id: string): Promise<AgentAdminDto> {
    const found = (await this.listForAdmin()).find((a) => a.id === id);
    if (!found) throw new DomainError('not_found', 'Agent not found.');
    return found;
  }

  /** Rename, change role or languages, disable (ends all sessions) or enable again. */
  async update(by: AgentDto, id: string, changes: AgentUpdate): Promise<AgentAdminDto> {
    const row = await findAgentById(this.db, id);
    if (!row) throw new DomainError('not_found', 'Agent not found.');
    if (id === by.id && (changes.disabled === true || (changes.role && changes.role !== 'admin'))) {
      throw new DomainError('forbidden', 'You cannot disable yourself or give up your own admin role.');
    }
    const set: Parameters<typeof updateAgent>[2] = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.languages !== undefined) set.languages = JSON.stringify([...new Set(changes.languages)]);
    if (changes.regions !== undefined) set.regions = JSON.stringify([...new Set(changes.regions)]);
    if (changes.disabled !== undefined) set.disabled_at = changes.disabled ? (row.disabled_at ?? Date.now()) : null;
    if (Object.keys(set).length) await updateAgent(this.db, id, set);
    if (changes.disabled || changes.role) await this.admin?.auth.revokeAll(id);
    await this.admin?.audit.record({
      agentId: by.id,
      action: 'agent.updated',
      targetAgentId: id,
      details: { disabled: changes.disabled ?? null, role: changes.role ?? null, renamed: changes.name !== undefined, languages: changes.languages !== undefined, regions: changes.regions !== undefined },
    });
    return this.adminView(id);
  }

  async revokeSessions(by: AgentDto, id: string): Promise<void> {
    if (!(await findAgentById(this.db, id))) throw new DomainError('not_found', 'Agent not found.');
    await this.admin!.auth.revokeAll(id);
    await this.admin!.audit.record({ agentId: by.id, action: 'agent.sessions_revoked', targetAgentId: id });
  }

  /** For an agent who lost their phone and recovery codes: they enrol again at next login. */
  async resetTotp(by: AgentDto, id: string): Promise<AgentAdminDto> {
    if (!(await findAgentById(this.db, id))) throw new DomainError('not_found', 'Agent not found.');
    await this.admin!.totp.disable(id);
    await this.admin!.auth.revokeAll(id);
    await this.admin!.audit.record({ agentId: by.id, action: 'agent.totp_reset', targetAgentId: id });
    return this.adminView(id);
  }

  /**
   * An admin (or the CLI: `by` null) gives an agent a one-time password, shown once, which the
   * agent must replace at the next login; every session of the agent ends at once.
   */
  async resetPassword(by: AgentDto | null, id: string): Promise<{ oneTimePassword: string; agent: AgentAdminDto }> {
    const row = await findAgentById(this.db, id);
    if (!row) throw new DomainError('not_found', 'Agent not found.');
    if (by?.id === id) throw new DomainError('forbidden', 'Change your own password in your profile.');
    const password = oneTimePassword();
    await updateAgent(this.db, id, { password_hash: await hashPassword(password), password_reset_at: Date.now() });
    // Through AuthService when wired, so live sockets close now (the CLI's deletions reach them with the heartbeat).
    if (this.admin) await this.admin.auth.revokeAll(id);
    else await deleteSessionsOfAgent(this.db, id);
    await (this.admin?.audit ?? this.ownAudit)?.record({ agentId: by?.id ?? null, action: 'agent.password_reset', targetAgentId: id, details: { via: by ? 'console' : 'cli' } });
    return { oneTimePassword: password, agent: this.admin ? await this.adminView(id) : this.adminDto({ ...row, password_reset_at: Date.now() }, false, 0) };
  }

  async findByEmail(email: string): Promise<AgentDto | undefined> {
    const row = await findAgentByEmail(this.db, email.trim().toLowerCase());
    return row ? toAgentDto(row) : undefined;
  }

  count(): Promise<number> {
    return countAgents(this.db);
  }
}
