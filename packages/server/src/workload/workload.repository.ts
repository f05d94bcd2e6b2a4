import type { Availability } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import type { AgentStatusRow } from './workload.table.js';

export const findAgentStatus = (db: Db, agentId: string): Promise<AgentStatusRow | undefined> =>
  db.selectFrom('agent_status').selectAll().where('agent_id', '=', agentId).executeTakeFirst();

/** Sets the availability (a row appears with the first change). */
export async function upsertAvailability(db: Db, agentId: string, availability: Availability, now: number): Promise<void> {
  await db
    .insertInto('agent_status')
    .values({ agent_id: agentId, availability, changed_at: now, last_seen_at: null, max_parallel: null })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ availability, changed_at: now }))
    .execute();
}

/** The counsellors a process holds sockets of are connected now. */
export async function markSeen(db: Db, agentIds: readonly string[], now: number): Promise<void> {
  for (const agentId of agentIds) {
    await db
      .insertInto('agent_status')
      .values({ agent_id: agentId, availability: 'available', changed_at: now, last_seen_at: now, max_parallel: null })
      .onConflict((oc) => oc.column('agent_id').doUpdateSet({ last_seen_at: now }))
      .execute();
  }
}

export async function upsertMaxParallel(db: Db, agentId: string, maxParallel: number | null, now: number): Promise<void> {
  await db
    .insertInto('agent_status')
    .values({ agent_id: agentId, availability: 'available', changed_at: now, last_seen_at: null, max_parallel: maxParallel })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ max_parallel: maxParallel }))
    .execute();
}

export async function countHeld(db: Db, agentId: string): Promise<number> {
  const { n } = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agent_id', '=', agentId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(n);
}

export interface ColleagueRow {
  id: string;
  name: string;
  role: string;
  languages: string;
  disabled_at: number | null;
  availability: Availability | null;
  changed_at: number | string | null;
  last_seen_at: number | string | null;
  max_parallel: number | null;
  holding: number | string | null;
}

const colleagueQuery = (db: Db) =>
  db
    .selectFrom('agents as a')
    .leftJoin('agent_status as s', 's.agent_id', 'a.id')
    .select(['a.id', 'a.name', 'a.role', 'a.languages', 'a.disabled_at', 's.availability', 's.changed_at', 's.last_seen_at', 's.max_parallel'])
    .select((eb) =>
      eb
        .selectFrom('conversations as c')
        .select((eb2) => eb2.fn.countAll<number>().as('n'))
        .whereRef('c.agent_id', '=', 'a.id')
        .where('c.status', '=', 'active')
        .as('holding'),
    );

/** Everyone who counsels and is not disabled, with availability and load. */
export const listColleagues = (db: Db): Promise<ColleagueRow[]> =>
  colleagueQuery(db).where('a.role', 'in', ['counsellor', 'admin']).where('a.disabled_at', 'is', null).orderBy('a.name').execute() as Promise<ColleagueRow[]>;

export const findColleague = (db: Db, agentId: string): Promise<ColleagueRow | undefined> =>
  colleagueQuery(db).where('a.id', '=', agentId).executeTakeFirst() as Promise<ColleagueRow | undefined>;

/**
 * Active conversations nobody can answer: held by nobody, by a disabled account, or by a counsellor
 * away (set away, or not seen connected) since before `cutoff` who has held it since before then.
 */
export function findStrandedConversations(db: Db, cutoff: number, limit: number): Promise<Array<{ id: string; agent_id: string | null }>> {
  return db
    .selectFrom('conversations as c')
    .leftJoin('agents as a', 'a.id', 'c.agent_id')
    .leftJoin('agent_status as s', 's.agent_id', 'c.agent_id')
    .select(['c.id', 'c.agent_id'])
    .where('c.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('c.agent_id', 'is', null),
        eb('a.id', 'is', null),
        eb('a.disabled_at', 'is not', null),
        eb.and([
          eb.or([eb('c.held_since', 'is', null), eb('c.held_since', '<', cutoff)]),
          eb.or([
            eb.and([eb('s.availability', '=', 'away'), eb('s.changed_at', '<', cutoff)]),
            eb('s.last_seen_at', 'is', null),
            eb('s.last_seen_at', '<', cutoff),
          ]),
        ]),
      ]),
    )
    .orderBy('c.held_since')
    .limit(limit)
    .execute();
}
