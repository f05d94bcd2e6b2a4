import type { Db } from '../db/database.js';
import type { AgentTotpRow, RecoveryCodeRow } from './totp.table.js';

export const findTotp = (db: Db, agentId: string): Promise<AgentTotpRow | undefined> =>
  db.selectFrom('agent_totp').selectAll().where('agent_id', '=', agentId).executeTakeFirst();

export async function upsertPendingTotp(db: Db, agentId: string, secret: string, now: number): Promise<void> {
  await db.deleteFrom('agent_totp').where('agent_id', '=', agentId).where('enabled_at', 'is', null).execute();
  await db.insertInto('agent_totp').values({ agent_id: agentId, secret, created_at: now, enabled_at: null, last_step: null }).execute();
}

export async function enableTotp(db: Db, agentId: string, now: number, step: number): Promise<void> {
  await db.updateTable('agent_totp').set({ enabled_at: now, last_step: step }).where('agent_id', '=', agentId).execute();
}

/** Raises last_step only if the code's step is newer: each code is accepted once. */
export async function consumeStep(db: Db, agentId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('agent_totp')
    .set({ last_step: step })
    .where('agent_id', '=', agentId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Db, agentId: string): Promise<void> {
  await db.deleteFrom('agent_recovery_codes').where('agent_id', '=', agentId).execute();
  await db.deleteFrom('agent_totp').where('agent_id', '=', agentId).execute();
}

export async function replaceRecoveryCodes(db: Db, agentId: string, rows: RecoveryCodeRow[]): Promise<void> {
  await db.deleteFrom('agent_recovery_codes').where('agent_id', '=', agentId).execute();
  if (rows.length) await db.insertInto('agent_recovery_codes').values(rows).execute();
}

export const listUnusedRecoveryCodes = (db: Db, agentId: string): Promise<Array<Pick<RecoveryCodeRow, 'id' | 'code_hash'>>> =>
  db.selectFrom('agent_recovery_codes').select(['id', 'code_hash']).where('agent_id', '=', agentId).where('used_at', 'is', null).execute();

/** Marks a code used, unless a parallel log-in used it first: each code is accepted once. */
export async function useRecoveryCode(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('agent_recovery_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
