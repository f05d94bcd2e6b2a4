import type { Author } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import type { ConversationRow, MessageRow, NewConversationRow } from './conversation.table.js';

export type MessageWithAgent = MessageRow & { agent_name: string | null };
export type ConversationSummaryRow = ConversationRow & {
  site_name: string;
  agent_name: string | null;
  first_message: string | null;
  unread: number | string | null;
};

export const findConversation = (db: Db, id: string): Promise<ConversationRow | undefined> =>
  db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();

export const findLatestConversationOfVisitor = (db: Db, visitorId: string): Promise<ConversationRow | undefined> =>
  db.selectFrom('conversations').selectAll().where('visitor_id', '=', visitorId).orderBy('created_at', 'desc').orderBy('id').limit(1).executeTakeFirst();

export const findOpenConversationOfVisitor = (db: Db, visitorId: string): Promise<ConversationRow | undefined> =>
  db
    .selectFrom('conversations')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .where('status', '!=', 'closed')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();

export async function insertConversation(db: Db, row: NewConversationRow): Promise<void> {
  await db.insertInto('conversations').values(row).execute();
}

/** A message a visitor or agent already sent under this client id (resends must not duplicate). */
export function findMessageByClientId(db: Db, author: 'visitor', ownerVisitorId: string, clientId: string): Promise<MessageWithAgent | undefined>;
export function findMessageByClientId(db: Db, author: 'agent', conversationId: string, clientId: string): Promise<MessageWithAgent | undefined>;
export function findMessageByClientId(db: Db, author: 'visitor' | 'agent', owner: string, clientId: string): Promise<MessageWithAgent | undefined> {
  let query = db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .leftJoin('agents as a', 'a.id', 'm.agent_id')
    .selectAll('m')
    .select('a.name as agent_name')
    .where('m.author', '=', author)
    .where('m.client_id', '=', clientId);
  query = author === 'visitor' ? query.where('c.visitor_id', '=', owner) : query.where('c.id', '=', owner);
  return query.executeTakeFirst();
}

/** Appends a message with the next seq. Call inside a transaction. */
export async function appendMessage(
  db: Db,
  conversationId: string,
  m: { author: Author; agentId: string | null; clientId: string | null; body: string; now: number },
): Promise<MessageRow> {
  const { last_seq } = await db
    .updateTable('conversations')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_message_at: m.now }))
    .where('id', '=', conversationId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const row: MessageRow = {
    id: newId(),
    conversation_id: conversationId,
    seq: Number(last_seq),
    author: m.author,
    agent_id: m.agentId,
    client_id: m.clientId,
    body: m.body,
    created_at: m.now,
  };
  await db.insertInto('messages').values(row).execute();
  return row;
}

export const listMessages = (db: Db, conversationId: string, afterSeq: number, limit = 500): Promise<MessageWithAgent[]> =>
  db
    .selectFrom('messages as m')
    .leftJoin('agents as a', 'a.id', 'm.agent_id')
    .selectAll('m')
    .select('a.name as agent_name')
    .where('m.conversation_id', '=', conversationId)
    .where('m.seq', '>', afterSeq)
    .orderBy('m.seq')
    .limit(limit)
    .execute();

/** Atomically takes a waiting conversation; 1 row updated means this agent won. */
export async function claimConversation(db: Db, id: string, agentId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ status: 'active', agent_id: agentId, claimed_at: now })
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function closeConversation(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ status: 'closed', closed_at: now })
    .where('id', '=', id)
    .where('status', '!=', 'closed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Raises the read mark (never lowers it, never past the last message). */
export async function markRead(db: Db, id: string, by: 'visitor' | 'agent', seq: number): Promise<boolean> {
  const column = by === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
  const result = await db
    .updateTable('conversations')
    .set((eb) => ({ [column]: eb.fn('min', [eb.val(seq), eb.ref('last_seq')]) }))
    .where('id', '=', id)
    .where(column, '<', seq)
    .where(column, '<', (eb) => eb.ref('last_seq'))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function summaryQuery(db: Db) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .leftJoin('agents as a', 'a.id', 'c.agent_id')
    .selectAll('c')
    .select(['s.name as site_name', 'a.name as agent_name'])
    .select((eb) => [
      eb
        .selectFrom('messages as m')
        .select('m.body')
        .whereRef('m.conversation_id', '=', 'c.id')
        .where('m.author', '=', 'visitor')
        .orderBy('m.seq')
        .limit(1)
        .as('first_message'),
      eb
        .selectFrom('messages as m')
        .select((eb2) => eb2.fn.countAll<number>().as('n'))
        .whereRef('m.conversation_id', '=', 'c.id')
        .where('m.author', '=', 'visitor')
        .whereRef('m.seq', '>', 'c.agent_read_seq')
        .as('unread'),
    ]);
}

export const findConversationSummary = (db: Db, id: string): Promise<ConversationSummaryRow | undefined> =>
  summaryQuery(db).where('c.id', '=', id).executeTakeFirst();

export function listConversationSummaries(db: Db, filter: { status: 'waiting' } | { agentId: string } | { all: true }, limit = 200): Promise<ConversationSummaryRow[]> {
  let q = summaryQuery(db);
  if ('status' in filter) q = q.where('c.status', '=', filter.status).orderBy('c.created_at', 'asc');
  else if ('agentId' in filter) q = q.where('c.agent_id', '=', filter.agentId).where('c.status', '=', 'active').orderBy('c.last_message_at', 'desc');
  else q = q.orderBy('c.created_at', 'desc');
  return q.limit(limit).execute();
}
