import type { Db } from '../db/database.js';
import type { AuditRow } from './audit.table.js';

export async function insertAudit(db: Db, row: AuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export type AuditWithName = AuditRow & { agent_name: string | null };

export function listAudit(db: Db, q: { limit: number; before?: number | undefined; conversationId?: string | undefined }): Promise<AuditWithName[]> {
  let query = db.selectFrom('audit_log as l').leftJoin('agents as a', 'a.id', 'l.agent_id').selectAll('l').select('a.name as agent_name');
  if (q.before !== undefined) query = query.where('l.at', '<', q.before);
  if (q.conversationId) query = query.where('l.conversation_id', '=', q.conversationId);
  return query.orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(q.limit).execute();
}

/**
 * Deletes the entries recorded before `cutoff` (epoch ms), oldest first, `batch` rows per
 * statement so the writer lock is never held for long (`at` is indexed: audit_log_at_idx).
 * Returns how many were deleted.
 */
export async function deleteAuditBefore(db: Db, cutoff: number, batch = 500): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { numDeletedRows } = await db
      .deleteFrom('audit_log')
      .where('id', 'in', (eb) => eb.selectFrom('audit_log').select('id').where('at', '<', cutoff).orderBy('at').limit(batch))
      .executeTakeFirst();
    const n = Number(numDeletedRows);
    deleted += n;
    if (n < batch) return deleted;
  }
}
