import type { Db } from '../db/database.js';
import type { NewOfficeRow, OfficeRow } from './office.table.js';

export type OfficeWithAreas = OfficeRow & { area_keys: string[] };


async function withAreas(db: Db, rows: OfficeRow[]): Promise<OfficeWithAreas[]> {
  if (rows.length === 0) return [];
  const areas = new Map<string, string[]>();
  // In chunks: PostgreSQL and SQLite both cap the number of bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    for (const a of await db.selectFrom('office_areas').select(['office_id', 'area_key']).where('office_id', 'in', ids).orderBy('area_key').execute()) {
      const list = areas.get(a.office_id) ?? [];
      list.push(a.area_key);
      areas.set(a.office_id, list);
    }
  }
  return rows.map((r) => ({ ...r, area_keys: areas.get(r.id) ?? [] }));
}

export const listOffices = async (db: Db): Promise<OfficeWithAreas[]> =>
  withAreas(db, await db.selectFrom('offices').selectAll().orderBy('name').orderBy('id').execute());

export async function findOffice(db: Db, id: string): Promise<OfficeWithAreas | undefined> {
  const row = await db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withAreas(db, [row]))[0] : undefined;
}

export async function findExistingIds(db: Db, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await db.selectFrom('offices').select('id').where('id', 'in', ids.slice(i, i + 500)).execute()) found.add(r.id);
  }
  return found;
}

export async function insertOffice(db: Db, row: NewOfficeRow, areaKeys: string[]): Promise<void> {
  await db.insertInto('offices').values(row).execute();
  await setAreas(db, row.id, areaKeys);
}

export async function updateOffice(db: Db, id: string, changes: Partial<Omit<OfficeRow, 'id' | 'created_at'>>, areaKeys?: string[]): Promise<boolean> {
  const r = await db.updateTable('offices').set(changes).where('id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  if (areaKeys) await setAreas(db, id, areaKeys);
  return true;
}

async function setAreas(db: Db, officeId: string, areaKeys: string[]): Promise<void> {
  await db.deleteFrom('office_areas').where('office_id', '=', officeId).execute();
  const unique = [...new Set(areaKeys)];
  for (let i = 0; i < unique.length; i += 200) {
    await db
      .insertInto('office_areas')
      .values(unique.slice(i, i + 200).map((area_key) => ({ office_id: officeId, area_key })))
      .execute();
  }
}

/** Active offices responsible for any of `keys`, with the key that matched (an office may match several). */
export function findActiveByAreaKeys(db: Db, keys: string[]): Promise<Array<OfficeRow & { area_key: string }>> {
  return db
    .selectFrom('office_areas as a')
    .innerJoin('offices as o', 'o.id', 'a.office_id')
    .selectAll('o')
    .select('a.area_key')
    .where('a.area_key', 'in', keys)
    .where('o.active', '=', 1)
    .execute();
}

export const findActiveFallbacks = (db: Db): Promise<OfficeRow[]> =>
  db.selectFrom('offices').selectAll().where('fallback', '=', 1).where('active', '=', 1).orderBy('name').execute();

/** Every area key some active office is responsible for (the coverage check). */
export const listActiveAreaKeys = async (db: Db): Promise<string[]> =>
  (
    await db
      .selectFrom('office_areas as a')
      .innerJoin('offices as o', 'o.id', 'a.office_id')
      .select('a.area_key')
      .where('o.active', '=', 1)
      .distinct()
      .execute()
  ).map((r) => r.area_key);

export const countOffices = async (db: Db): Promise<number> =>
  Number((await db.selectFrom('offices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
