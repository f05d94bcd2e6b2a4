import type { Db } from '../db/database.js';
import type { NewSiteRow, SiteRow } from './site.table.js';

export const findSiteByKey = (db: Db, key: string): Promise<SiteRow | undefined> =>
  db.selectFrom('sites').selectAll().where('key', '=', key).executeTakeFirst();

export const findSiteById = (db: Db, id: string): Promise<SiteRow | undefined> =>
  db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();

export const listSites = (db: Db): Promise<SiteRow[]> => db.selectFrom('sites').selectAll().orderBy('created_at').execute();

export async function insertSite(db: Db, row: NewSiteRow): Promise<void> {
  await db.insertInto('sites').values(row).execute();
}

export async function updateSite(db: Db, id: string, changes: Partial<Pick<SiteRow, 'name' | 'allowed_origins' | 'default_language'>>): Promise<void> {
  await db.updateTable('sites').set(changes).where('id', '=', id).execute();
}

export async function setSiteStartView(db: Db, key: string, view: 'home' | 'chat'): Promise<boolean> {
  const r = await db.updateTable('sites').set({ start_view: view }).where('key', '=', key).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
