import type { Db } from '../db/database.js';
import type { SettingRow } from './settings.table.js';

export const listSettings = (db: Db): Promise<SettingRow[]> => db.selectFrom('settings').selectAll().execute();

export async function upsertSetting(db: Db, key: string, value: string, now: number): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}
