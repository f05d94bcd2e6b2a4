import type { Db } from '../db/database.js';
import type { AgentRow, NewAgentRow } from './agent.table.js';

export const findAgentByEmail = (db: Db, email: string): Promise<AgentRow | undefined> =>
  db.selectFrom('agents').selectAll().where('email', '=', email).executeTakeFirst();

export const findAgentById = (db: Db, id: string): Promise<AgentRow | undefined> =>
  db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();

export const listAgents = (db: Db): Promise<AgentRow[]> => db.selectFrom('agents').selectAll().orderBy('created_at').execute();

export async function countAgents(db: Db): Promise<number> {
  const { n } = await db.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

export async function insertAgent(db: Db, row: NewAgentRow): Promise<void> {
  await db.insertInto('agents').values(row).execute();
}

export async function updateAgent(db: Db, id: string, changes: Partial<Pick<AgentRow, 'name' | 'role' | 'languages' | 'regions' | 'disabled_at' | 'password_hash' | 'password_reset_at'>>): Promise<void> {
  await db.updateTable('agents').set(changes).where('id', '=', id).execute();
}

export async function listAgentsWithTotp(db: Db): Promise<Array<AgentRow & { totp_enabled_at: number | null }>> {
  return db
    .selectFrom('agents')
    .leftJoin('agent_totp', 'agent_totp.agent_id', 'agents.id')
    .selectAll('agents')
    .select('agent_totp.enabled_at as totp_enabled_at')
    .orderBy('agents.created_at')
    .execute();
}
