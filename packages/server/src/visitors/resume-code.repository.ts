import type { Db } from '../db/database.js';
import type { ResumeCodeRow } from './resume-code.table.js';

// Only SQL.

/** The code row of `selector` with the site of its visitor. */
export const findBySelector = (db: Db, selector: string): Promise<(ResumeCodeRow & { site_id: string }) | undefined> =>
  db
    .selectFrom('visitor_resume_codes as r')
    .innerJoin('visitors as v', 'v.id', 'r.visitor_id')
    .selectAll('r')
    .select('v.site_id')
    .where('r.selector', '=', selector)
    .executeTakeFirst();

export const selectorTaken = async (db: Db, selector: string): Promise<boolean> =>
  (await db.selectFrom('visitor_resume_codes').select('visitor_id').where('selector', '=', selector).executeTakeFirst()) !== undefined;

/** The visitor's one code: any earlier one is replaced (run inside a transaction). */
export async function replaceCode(db: Db, row: ResumeCodeRow): Promise<void> {
  await db.deleteFrom('visitor_resume_codes').where('visitor_id', '=', row.visitor_id).execute();
  await db.insertInto('visitor_resume_codes').values(row).execute();
}

export async function deleteCodeOf(db: Db, visitorId: string): Promise<void> {
  await db.deleteFrom('visitor_resume_codes').where('visitor_id', '=', visitorId).execute();
}

export const hasCode = async (db: Db, visitorId: string): Promise<boolean> =>
  (await db.selectFrom('visitor_resume_codes').select('visitor_id').where('visitor_id', '=', visitorId).executeTakeFirst()) !== undefined;
