import type { Db } from '../db/database.js';

/** Waiting and active conversations, with holder and unread count, oldest first. No message text. */
export const listOpenForSupervision = (db: Db, limit = 1000) =>
  db
    .selectFrom('conversations as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .leftJoin('agents as a', 'a.id', 'c.agent_id')
    .select(['c.id', 'c.pseudonym', 'c.status', 'c.language', 'c.agent_id', 'c.created_at', 'c.claimed_at', 'c.held_since', 'c.last_message_at', 's.name as site_name', 'a.name as agent_name'])
    .select((eb) =>
      eb
        .selectFrom('messages as m')
        .select((eb2) => eb2.fn.countAll<number>().as('n'))
        .whereRef('m.conversation_id', '=', 'c.id')
        .where('m.author', '=', 'visitor')
        .whereRef('m.seq', '>', 'c.agent_read_seq')
        .as('unread'),
    )
    .where('c.status', '!=', 'closed')
    .orderBy('c.created_at')
    .limit(limit)
    .execute();
