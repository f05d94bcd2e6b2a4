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

export type SiteChanges = Partial<Pick<SiteRow, 'name' | 'allowed_origins' | 'default_language' | 'start_view' | 'disabled_at' | 'time_zone' | 'opening_hours' | 'away_messages'>>;

export async function updateSite(db: Db, id: string, changes: SiteChanges): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('sites').set(changes).where('id', '=', id).execute();
}

export async function setSiteStartView(db: Db, key: string, view: 'home' | 'chat'): Promise<boolean> {
  const r = await db.updateTable('sites').set({ start_view: view }).where('key', '=', key).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Conversations a site still has (removing it would delete them with their visitors). */
export async function countConversationsOfSite(db: Db, siteId: string): Promise<number> {
  const { n } = await db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow();
  return Number(n);
}

/** Removes the site and, through the foreign key, its visitors (it has no conversations: see countConversationsOfSite). */
export async function deleteSite(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sites').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
