import type { Db } from '../db/database.js';
import type { NewOrientationRuleSetRow, OrientationRuleSetRow } from './orientation.table.js';

/** The newest version number; 0 when none was saved yet. */
export async function currentVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('orientation_rule_sets').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(row?.v ?? 0);
}

export const findVersion = (db: Db, version: number): Promise<OrientationRuleSetRow | undefined> =>
  db.selectFrom('orientation_rule_sets').selectAll().where('version', '=', version).executeTakeFirst();

/** Newest first, without the documents. */
export const listVersions = (db: Db, limit = 200) =>
  db
    .selectFrom('orientation_rule_sets as r')
    .leftJoin('agents as a', 'a.id', 'r.agent_id')
    .select(['r.version', 'r.example', 'r.comment', 'r.created_at', 'a.name as agent_name'])
    .orderBy('r.version', 'desc')
    .limit(limit)
    .execute();

export const agentName = async (db: Db, id: string | null): Promise<string | null> =>
  id ? ((await db.selectFrom('agents').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null) : null;

/**
 * Saves `row` as the version after the current one. Two editors saving at once: the version is the
 * primary key, so one insert fails and that caller tries again on top of the winner.
 */
export async function insertNextVersion(db: Db, row: Omit<NewOrientationRuleSetRow, 'version'>): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const version = (await currentVersion(db)) + 1;
    try {
      await db.insertInto('orientation_rule_sets').values({ ...row, version }).execute();
      return version;
    } catch (err) {
      if (attempt >= 4 || (await findVersion(db, version)) === undefined) throw err;
    }
  }
}

/** The shipped example as version 1, only while nothing is saved (a second process starting at once loses the key and finds it there). */
export async function insertFirstVersion(db: Db, row: Omit<NewOrientationRuleSetRow, 'version'>): Promise<boolean> {
  if ((await currentVersion(db)) > 0) return false;
  try {
    await db.insertInto('orientation_rule_sets').values({ ...row, version: 1 }).execute();
    return true;
  } catch (err) {
    if ((await findVersion(db, 1)) !== undefined) return false;
    throw err;
  }
}
