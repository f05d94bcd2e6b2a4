import type { AgentDto } from '@direturn/protocol';
import type { LoginRequest } from '@direturn/protocol/schemas';
import type { Db } from '../db/database.js';
import { findAgentByEmail } from '../agents/agent.repository.js';
import { toAgentDto } from '../agents/agent.service.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../agents/password.js';
import { DomainError } from '../shared/errors.js';
import { hashSecret, newSecret } from '../shared/ids.js';
import { deleteSession, findLiveSession, insertSession, touchSession } from './session.repository.js';

export interface AuthenticatedAgent {
  agent: AgentDto;
  sessionId: string;
}

/** Staff log-in and sessions. The cookie holds a secret; the database only its hash. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly sessionTtlMs: number,
  ) {}

  /** @returns the agent and the session secret for the cookie. */
  async login({ email, password }: LoginRequest): Promise<{ agent: AgentDto; secret: string }> {
    const row = await findAgentByEmail(this.db, email);
    // Verify against a dummy hash for unknown e-mails: the answer time does not reveal accounts.
    const ok = await verifyPassword(row?.password_hash ?? (await DUMMY_HASH_PROMISE), password);
    if (!row || !ok || row.disabled_at !== null) {
      throw new DomainError('invalid_credentials', 'E-mail or password is not correct.');
    }
    const secret = newSecret();
    const now = Date.now();
    await insertSession(this.db, { id: hashSecret(secret), agent_id: row.id, created_at: now, last_seen_at: now, expires_at: now + this.sessionTtlMs });
    return { agent: toAgentDto(row), secret };
  }

  /** The agent behind a session secret; slides the expiry at most once a minute. */
  async authenticate(secret: string | undefined): Promise<AuthenticatedAgent | undefined> {
    if (!secret || secret.length > 128) return undefined;
    const id = hashSecret(secret);
    const now = Date.now();
    const found = await findLiveSession(this.db, id, now);
    if (!found) return undefined;
    if (now - found.session.last_seen_at > 60_000) await touchSession(this.db, id, now, now + this.sessionTtlMs);
    return { agent: toAgentDto(found.agent), sessionId: id };
  }

  async logout(sessionId: string): Promise<void> {
    await deleteSession(this.db, sessionId);
  }
}
