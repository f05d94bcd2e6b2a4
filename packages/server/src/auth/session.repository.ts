import type { Db } from '../db/database.js';
import type { AgentRow } from '../agents/agent.table.js';
import type { SessionRow } from './session.table.js';

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The live session with its agent, or undefined when it is unknown, expired or the agent disabled. */
export async function findLiveSession(db: Db, id: string, now: number): Promise<{ session: SessionRow; agent: AgentRow; totpEnabled: boolean } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agent_id')
    .leftJoin('agent_totp', 'agent_totp.agent_id', 'agents.id')
    .selectAll('agents')
    .select('agent_totp.enabled_at as totp_enabled_at')
    .select(['sessions.id as session_id', 'sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .where('agents.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, session_created_at, last_seen_at, expires_at, totp_enabled_at, ...agent } = row;
  return { session: { id: session_id, agent_id: agent.id, created_at: session_created_at, last_seen_at, expires_at }, agent, totpEnabled: totp_enabled_at !== null };
}

/** Of these sessions the live ones (not deleted, not expired, agent not disabled), with their agent as it is now. */
export async function findLiveSessionAgents(db: Db, ids: readonly string[], now: number): Promise<Array<{ sessionId: string; agent: AgentRow; totpEnabled: boolean }>> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agent_id')
    .leftJoin('agent_totp', 'agent_totp.agent_id', 'agents.id')
    .selectAll('agents')
    .select(['sessions.id as session_id', 'agent_totp.enabled_at as totp_enabled_at'])
    .where('sessions.id', 'in', ids)
    .where('sessions.expires_at', '>', now)
    .where('agents.disabled_at', 'is', null)
    .execute();
  return rows.map(({ session_id, totp_enabled_at, ...agent }) => ({ sessionId: session_id, agent, totpEnabled: totp_enabled_at !== null }));
}

export async function touchSession(db: Db, id: string, now: number, expiresAt: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

/** Slides the expiry of these sessions, as far as they are still live. */
export async function extendLiveSessions(db: Db, ids: readonly string[], now: number, expiresAt: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', 'in', ids).where('expires_at', '>', now).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function deleteSessionsOfAgent(db: Db, agentId: string): Promise<void> {
  await db.deleteFrom('sessions').where('agent_id', '=', agentId).execute();
}

export async function countSessionsByAgent(db: Db, now: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sessions')
    .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('expires_at', '>', now)
    .groupBy('agent_id')
    .execute();
  return new Map(rows.map((r) => [r.agent_id, Number(r.n)]));
}

/** The ids (hashes) of an agent's sessions other than `keep`. */
export async function listOtherSessionIds(db: Db, agentId: string, keep: string): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('id').where('agent_id', '=', agentId).where('id', '!=', keep).execute();
  return rows.map((r) => r.id);
}

export async function deleteSessions(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('sessions').where('id', 'in', ids).execute();
}
