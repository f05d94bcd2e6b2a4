import type { Db } from '../db/database.js';
import type { VisitorRow } from './visitor.table.js';

export const findVisitorByTokenHash = (db: Db, siteId: string, tokenHash: string): Promise<VisitorRow | undefined> =>
  db.selectFrom('visitors').selectAll().where('token_hash', '=', tokenHash).where('site_id', '=', siteId).executeTakeFirst();

export async function insertVisitor(db: Db, row: VisitorRow): Promise<void> {
  await db.insertInto('visitors').values(row).execute();
}

export async function updateVisitor(db: Db, id: string, changes: Partial<Pick<VisitorRow, 'language' | 'last_seen_at' | 'token_hash'>>): Promise<void> {
  await db.updateTable('visitors').set(changes).where('id', '=', id).execute();
}

export async function visitorExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('visitors').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export const findVisitor = (db: Db, id: string): Promise<VisitorRow | undefined> => db.selectFrom('visitors').selectAll().where('id', '=', id).executeTakeFirst();
