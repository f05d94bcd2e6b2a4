import type { AgentDto } from '@direturn/protocol';
import type { LoginRequest, LoginTotpRequest, PasswordChange } from '@direturn/protocol/schemas';
import type { Db } from '../db/database.js';
import { findAgentByEmail, findAgentById, updateAgent } from '../agents/agent.repository.js';
import { toAgentDto } from '../agents/agent.service.js';
import type { AgentRow } from '../agents/agent.table.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../agents/password.js';
import { passwordIssues, refusePassword } from '../agents/password-policy.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { DomainError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import { hashSecret, newSecret } from '../shared/ids.js';
import { DeviceCookies } from './device-cookie.js';
import { LoginThrottle, type Attempt } from './login-throttle.js';
import { MemoryStore, type EphemeralStore } from '../cluster/ephemeral-store.js';
import { countSessionsByAgent, deleteSession, deleteSessions, deleteSessionsOfAgent, listOtherSessionIds, findLiveSession, extendLiveSessions, findLiveSessionAgents, insertSession, touchSession } from './session.repository.js';
import type { TotpService } from './totp.service.js';

export interface AuthenticatedAgent {
  agent: AgentDto;
  sessionId: string;
}

/** `device`: a fresh device cookie for this browser (see DeviceCookies). */
export type LoginOutcome = { kind: 'session'; agent: AgentDto; secret: string; device: string } | { kind: 'totp'; challenge: string };

/** Who is checking a password or code: the account, the client, and the device cookie it sent. */
export interface Caller {
  client: string;
  deviceCookie?: string | undefined;
}

export interface AuthEvents extends Record<string, unknown> {
  /** Sessions ended (logout, admin revocation, agent disabled): live sockets of them must close. */
  revoked: { agentId?: string; sessionId?: string };
}

/** Only its hash is kept, as for sessions: the store never holds a usable challenge. */
const challengeKey = (challenge: string): string => `login-challenge:${hashSecret(challenge)}`;
const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_ATTEMPTS = 5;
const INVALID = 'E-mail or password is not correct.';

/**
 * Staff log-in and sessions. The cookie holds a secret; the database only its hash. Logins are
 * throttled per account and per client; a second factor (TOTP) is asked for when enrolled.
 */
export class AuthService {
  readonly events = new TypedEmitter<AuthEvents>();
  readonly devices: DeviceCookies;
  /** Pending second-factor logins (`login-challenge:<hash of the challenge>` → who), shared by every process. */
  private readonly challenges: EphemeralStore;

  constructor(
    private readonly db: Db,
    private readonly sessionTtlMs: number,
    private readonly totp: TotpService,
    private readonly settings: SettingsService,
    private readonly audit?: AuditService,
    /** Counters of password and code checks (in memory; a shared ThrottleStore for several processes). */
    readonly throttle = new LoginThrottle(),
    shared: { challenges?: EphemeralStore; devices?: DeviceCookies; oneTimePasswordMs?: number } = {},
  ) {
    this.challenges = shared.challenges ?? new MemoryStore();
    this.devices = shared.devices ?? new DeviceCookies();
    this.oneTimePasswordMs = shared.oneTimePasswordMs ?? 72 * 3600_000;
  }

  private readonly oneTimePasswordMs: number;

  /** Counts a password or code check of `email` before it runs (throws rate_limited while delayed). */
  private attempt(email: string, caller: Caller): Promise<Attempt> {
    return this.throttle.begin({ email, client: caller.client, device: this.devices.verify(caller.deviceCookie, email) });
  }

  /**
   * Password step. @returns a session, or a challenge when the agent has a second factor.
   * Wrong e-mail, wrong password and disabled account answer alike.
   */
  async login({ email, password }: LoginRequest, caller: Caller): Promise<LoginOutcome> {
    const attempt = await this.attempt(email, caller);
    const row = await findAgentByEmail(this.db, email);
    // Verify against a dummy hash for unknown e-mails: the answer time does not reveal accounts.
    const ok = await verifyPassword(row?.password_hash ?? (await DUMMY_HASH_PROMISE), password);
    if (!row || !ok || row.disabled_at !== null) throw new DomainError('invalid_credentials', INVALID);
    // Said only to whoever knows the password: an unused one-time password must not stay valid for ever.
    if (row.password_reset_at != null && Date.now() - Number(row.password_reset_at) > this.oneTimePasswordMs) {
      await attempt.passed(true);
      throw new DomainError('password_expired', 'This one-time password has expired: ask an admin for a new one.');
    }
    if (await this.totp.isEnabled(row.id)) {
      await attempt.passed(false);
      const challenge = newSecret();
      await this.challenges.set(challengeKey(challenge), JSON.stringify({ agentId: row.id, email }), CHALLENGE_TTL_MS);
      return { kind: 'totp', challenge };
    }
    await attempt.passed(true);
    return this.startSession(row);
  }

  /** Second step: the challenge from `login` and a TOTP or recovery code. */
  async loginTotp({ challenge, code }: LoginTotpRequest, caller: Caller): Promise<LoginOutcome & { kind: 'session' }> {
    const key = challengeKey(challenge);
    const expired = () => new DomainError('invalid_credentials', 'The log-in has expired. Please start again.');
    const raw = await this.challenges.get(key);
    if (!raw) throw expired();
    const pending = JSON.parse(raw) as { agentId: string; email: string };
    // Counted before the check (atomically, whichever process answers), so parallel codes on one
    // challenge cannot all be tried; the last allowed try ends the challenge.
    const tries = await this.challenges.incr(`${key}:tries`, CHALLENGE_TTL_MS);
    if (tries > CHALLENGE_ATTEMPTS) throw expired();
    if (tries === CHALLENGE_ATTEMPTS) await this.challenges.delete(key);
    const attempt = await this.attempt(pending.email, caller);
    const row = await findAgentById(this.db, pending.agentId);
    if (!row || row.disabled_at !== null || !(await this.totp.verify(row, code))) throw new DomainError('invalid_credentials', 'The code is not correct.');
    // One session per challenge, even for two right codes at once.
    if (tries < CHALLENGE_ATTEMPTS && !(await this.challenges.take(key))) throw expired();
    await attempt.passed(true);
    return this.startSession(row);
  }

  /**
   * Any other password check (turning 2FA off): counted like a log-in, before argon2 runs.
   * Throws invalid_credentials when wrong.
   */
  async checkPassword(agent: AgentDto, password: string, caller: Caller): Promise<void> {
    const attempt = await this.attempt(agent.email, caller);
    const row = await findAgentById(this.db, agent.id);
    if (!row || !(await verifyPassword(row.password_hash, password))) throw new DomainError('invalid_credentials', 'The password is not correct.');
    await attempt.passed(true);
  }

  /**
   * The agent changes their own password: the current one is checked like a log-in (counted
   * before argon2 runs), the new one against the policy; every other session of the agent ends,
   * this one stays. Also how an agent replaces an admin's one-time password.
   * @returns how many other sessions ended
   */
  async changePassword(agent: AgentDto, sessionId: string, input: PasswordChange, caller: Caller): Promise<number> {
    // The policy first: it needs no secret, and a refused new password costs no attempt.
    const issues = passwordIssues(input.newPassword, { email: agent.email, name: agent.name });
    if (issues.length) refusePassword(issues);
    const attempt = await this.attempt(agent.email, caller);
    const row = await findAgentById(this.db, agent.id);
    if (!row || !(await verifyPassword(row.password_hash, input.currentPassword))) throw new DomainError('invalid_credentials', 'The current password is not correct.');
    await attempt.passed(true);
    if (input.newPassword === input.currentPassword) refusePassword([{ path: 'newPassword', code: 'password_unchanged' }]);
    await updateAgent(this.db, agent.id, { password_hash: await hashPassword(input.newPassword), password_reset_at: null });
    // Someone who knew the old password may be logged in elsewhere: only this session stays.
    const others = await listOtherSessionIds(this.db, agent.id, sessionId);
    await deleteSessions(this.db, others);
    for (const id of others) this.events.emit('revoked', { sessionId: id });
    await this.audit?.record({ agentId: agent.id, action: 'auth.password_changed', targetAgentId: agent.id, details: { otherSessionsEnded: others.length, afterReset: row.password_reset_at != null } });
    return others.length;
  }

  /** Any other code check (confirming 2FA enrolment): `check` throws when the code is wrong. */
  async checkCode<T>(agent: AgentDto, caller: Caller, check: () => Promise<T>): Promise<T> {
    const attempt = await this.attempt(agent.email, caller);
    const result = await check();
    await attempt.passed(true);
    return result;
  }

  private async startSession(row: AgentRow): Promise<{ kind: 'session'; agent: AgentDto; secret: string; device: string }> {
    const secret = newSecret();
    const now = Date.now();
    await insertSession(this.db, { id: hashSecret(secret), agent_id: row.id, created_at: now, last_seen_at: now, expires_at: now + this.sessionTtlMs });
    await this.audit?.record({ agentId: row.id, action: 'auth.login' });
    return { kind: 'session', agent: await this.describe(row), secret, device: this.devices.issue(row.email) };
  }

  /** The agent as the console sees it, with the state of the second factor. */
  async describe(row: AgentRow, totpEnabled?: boolean): Promise<AgentDto> {
    const enabled = totpEnabled ?? (await this.totp.isEnabled(row.id));
    return { ...toAgentDto(row), totpEnabled: enabled, totpSetupRequired: this.settings.requireTotp && !enabled };
  }

  /** The agent behind a session secret; slides the expiry at most once a minute. */
  async authenticate(secret: string | undefined): Promise<AuthenticatedAgent | undefined> {
    if (!secret || secret.length > 128) return undefined;
    const id = hashSecret(secret);
    const now = Date.now();
    const found = await findLiveSession(this.db, id, now);
    if (!found) return undefined;
    if (now - found.session.last_seen_at > 60_000) await touchSession(this.db, id, now, now + this.sessionTtlMs);
    return { agent: await this.describe(found.agent, found.totpEnabled), sessionId: id };
  }

  /** Counsellors working only over their socket are active too: slides these sessions (still live ones only). */
  extend(sessionIds: readonly string[]): Promise<void> {
    const now = Date.now();
    return extendLiveSessions(this.db, sessionIds, now, now + this.sessionTtlMs);
  }

  /** Of these session ids, the ones that still authenticate, with their agent as it is now (for sockets opened with them). */
  async liveSessions(sessionIds: readonly string[]): Promise<Map<string, AgentDto>> {
    const rows = await findLiveSessionAgents(this.db, sessionIds, Date.now());
    return new Map(await Promise.all(rows.map(async (r) => [r.sessionId, await this.describe(r.agent, r.totpEnabled)] as const)));
  }

  async logout(sessionId: string): Promise<void> {
    await deleteSession(this.db, sessionId);
    this.events.emit('revoked', { sessionId });
  }

  /** Ends every session of an agent (admin action, disabled account). */
  async revokeAll(agentId: string): Promise<void> {
    await deleteSessionsOfAgent(this.db, agentId);
    this.events.emit('revoked', { agentId });
  }

  sessionCounts(): Promise<Map<string, number>> {
    return countSessionsByAgent(this.db, Date.now());
  }
}
