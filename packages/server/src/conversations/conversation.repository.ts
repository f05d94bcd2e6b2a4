import type { Author, ChannelDeliveryStatus } from '@direturn/protocol';
import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Db } from '../db/database.js';
import { compiledOnce } from '../db/compiled-once.js';
import { dialectOf } from '../db/dialect.js';
import { ConcurrentChangeError } from '../db/storage.js';
import { newId } from '../shared/ids.js';
import { deleteCallbacksOfConversations } from '../callbacks/callback.repository.js';
import { deleteReplyNoticesOfConversations } from '../reply-notices/reply-notice.repository.js';
import { deleteReferralsOfConversations } from '../referrals/referral.repository.js';
import { deleteChannelDataOfConversations } from '../channels/channel.repository.js';
import type { ConversationRow, MessageRow, NewConversationRow, NoteRow } from './conversation.table.js';

/** A message with its author's name and, for a counsellor's reply on a channel, its delivery (channels/). */
export type MessageWithAgent = MessageRow & {
  agent_name: string | null;
  delivery_status?: ChannelDeliveryStatus | null;
  delivery_reason?: string | null;
  delivery_updated_at?: number | null;
};
export type ConversationSummaryRow = ConversationRow & {
  site_name: string;
  channel_account_name: string | null;
  agent_name: string | null;
  /** The conversation's reply-notice row, if the visitor left an address (never the address). */
  reply_notice_id: string | null;
  first_message: string | null;
  first_message_id: string | null;
  unread: number | string | null;
  last_body: string | null;
  last_body_id: string | null;
  last_author: Author | null;
  /** The conversation's topic ids, comma-separated, in no particular order (null: none). */
  topic_ids: string | null;
};

// The queries of every message are compiled once (db/compiled-once.ts); the rest are built per call.

const byId = compiledOnce<'id', ConversationRow>((db, p) => db.selectFrom('conversations').selectAll().where('id', '=', p('id')));
export const findConversation = async (db: Db, id: string): Promise<ConversationRow | undefined> => (await byId(db, { id })).rows[0];

export const findLatestConversationOfVisitor = (db: Db, visitorId: string): Promise<ConversationRow | undefined> =>
  db.selectFrom('conversations').selectAll().where('visitor_id', '=', visitorId).orderBy('created_at', 'desc').orderBy('id').limit(1).executeTakeFirst();

const openOfVisitor = compiledOnce<'visitorId', ConversationRow>((db, p) =>
  db.selectFrom('conversations').selectAll().where('visitor_id', '=', p('visitorId')).where('status', '!=', 'closed').orderBy('created_at', 'desc').limit(1),
);
export const findOpenConversationOfVisitor = async (db: Db, visitorId: string): Promise<ConversationRow | undefined> =>
  (await openOfVisitor(db, { visitorId })).rows[0];

export async function insertConversation(db: Db, row: NewConversationRow): Promise<ConversationRow> {
  return db.insertInto('conversations').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A message a visitor or agent already sent under this client id (resends must not duplicate). */
export function findMessageByClientId(db: Db, author: 'visitor', ownerVisitorId: string, clientId: string): Promise<MessageWithAgent | undefined>;
export function findMessageByClientId(db: Db, author: 'agent', conversationId: string, clientId: string): Promise<MessageWithAgent | undefined>;
export async function findMessageByClientId(db: Db, author: 'visitor' | 'agent', owner: string, clientId: string): Promise<MessageWithAgent | undefined> {
  return (await (author === 'visitor' ? visitorMessageByClientId : agentMessageByClientId)(db, { owner, clientId })).rows[0];
}
const messageByClientId = (author: 'visitor' | 'agent') =>
  compiledOnce<'owner' | 'clientId', MessageWithAgent>((db, p) =>
    db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .leftJoin('agents as a', 'a.id', 'm.agent_id')
      .leftJoin('channel_deliveries as d', 'd.message_id', 'm.id')
      .selectAll('m')
      .select(['a.name as agent_name', 'd.status as delivery_status', 'd.reason as delivery_reason', 'd.updated_at as delivery_updated_at'])
      .where('m.author', '=', author)
      .where('m.client_id', '=', p('clientId'))
      .where(author === 'visitor' ? 'c.visitor_id' : 'c.id', '=', p('owner')),
  );
const visitorMessageByClientId = messageByClientId('visitor');
const agentMessageByClientId = messageByClientId('agent');

/**
 * Appends a message with the next seq. Call inside a transaction. Returns the message row and the
 * conversation row as it is after the append (no re-read needed). `agentHasRead`: the agent's
 * read mark moves to this message too (an agent who answers has read everything before).
 */
export async function appendMessage(
  db: Db,
  conversationId: string,
  m: { id?: string; author: Author; agentId: string | null; clientId: string | null; body: string; now: number; agentHasRead?: boolean; context?: string | null; attachments?: string | null },
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  const id = m.id ?? newId();
  const pg = dialectOf(db) === 'postgres';
  // PostgreSQL: the next seq and the insert in one statement (one round trip less per message;
  // the cluster bench counts round trips). SQLite: two calls in process, no round trips.
  const [conversation] = pg
    ? await appendInOneStatement(db, conversationId, id, m)
    : (await (m.agentHasRead ? nextSeqRead : nextSeq)(db, { id: conversationId, now: m.now })).rows;
  // Deleted since this transaction found it (another process, "delete my data"): the writer reruns. No id: errors are logged.
  if (!conversation) throw new ConcurrentChangeError('appendMessage: the conversation does not exist');
  const message: MessageRow = {
    id,
    conversation_id: conversationId,
    seq: Number(conversation.last_seq),
    author: m.author,
    agent_id: m.agentId,
    client_id: m.clientId,
    body: m.body,
    created_at: m.now,
    context: m.context ?? null,
    attachments: m.attachments ?? null,
  };
  if (!pg) await insertMessage(db, message);
  return { message, conversation };
}

/**
 * PostgreSQL: bumps the conversation's seq and inserts the message with it (a data-modifying
 * CTE runs once whether read or not); no row when the conversation is gone. Same columns as
 * insertMessage (MESSAGE_COLUMNS).
 */
async function appendInOneStatement(
  db: Db,
  conversationId: string,
  id: string,
  m: { author: Author; agentId: string | null; clientId: string | null; body: string; now: number; agentHasRead?: boolean; context?: string | null; attachments?: string | null },
): Promise<ConversationRow[]> {
  const read = m.agentHasRead ? sql`, agent_read_seq = last_seq + 1` : sql``;
  // by column name, so that the select list follows MESSAGE_COLUMNS whatever its order
  const values: Record<(typeof MESSAGE_COLUMNS)[number], RawBuilder<unknown>> = {
    id: sql`${id}`,
    conversation_id: sql`c.id`,
    seq: sql`c.last_seq`,
    author: sql`${m.author}`,
    agent_id: sql`${m.agentId}`,
    client_id: sql`${m.clientId}`,
    body: sql`${m.body}`,
    created_at: sql`cast(${m.now} as bigint)`,
    context: sql`${m.context ?? null}`,
    attachments: sql`${m.attachments ?? null}`,
  };
  const { rows } = await sql<ConversationRow>`
    with c as (
      update conversations set last_seq = last_seq + 1, last_message_at = ${m.now}${read} where id = ${conversationId} returning *
    ), m as (
      insert into messages (${sql.join(MESSAGE_COLUMNS.map((col) => sql.ref(col)))})
      select ${sql.join(MESSAGE_COLUMNS.map((col) => values[col]))} from c
      returning 1
    )
    select c.* from c`.execute(db);
  return rows;
}
const bumpSeq = (agentHasRead: boolean) =>
  compiledOnce<'id' | 'now', ConversationRow>((db, p) =>
    db
      .updateTable('conversations')
      .set((eb) => ({
        last_seq: eb('last_seq', '+', 1),
        last_message_at: p('now'),
        // SET expressions all see the old row: the new last_seq is last_seq + 1.
        ...(agentHasRead ? { agent_read_seq: eb('last_seq', '+', 1) } : {}),
      }))
      .where('id', '=', p('id'))
      .returningAll(),
  );
const nextSeq = bumpSeq(false);
const nextSeqRead = bumpSeq(true);
const MESSAGE_COLUMNS = ['id', 'conversation_id', 'seq', 'author', 'agent_id', 'client_id', 'body', 'created_at', 'context', 'attachments'] as const satisfies ReadonlyArray<keyof MessageRow>;
// a column added to messages must be added above, or it would silently not be written
const everyColumn: Exclude<keyof MessageRow, (typeof MESSAGE_COLUMNS)[number]> extends never ? true : never = true;
void everyColumn;
const insertMessage = compiledOnce<keyof MessageRow, never>((db, p) =>
  db.insertInto('messages').values(Object.fromEntries(MESSAGE_COLUMNS.map((c) => [c, p(c)])) as unknown as MessageRow),
);

export const listMessages = (db: Db, conversationId: string, afterSeq: number, limit = 500): Promise<MessageWithAgent[]> =>
  db
    .selectFrom('messages as m')
    .leftJoin('agents as a', 'a.id', 'm.agent_id')
    .leftJoin('channel_deliveries as d', 'd.message_id', 'm.id')
    .selectAll('m')
    .select(['a.name as agent_name', 'd.status as delivery_status', 'd.reason as delivery_reason', 'd.updated_at as delivery_updated_at'])
    .where('m.conversation_id', '=', conversationId)
    .where('m.seq', '>', afterSeq)
    .orderBy('m.seq')
    .limit(limit)
    .execute();

/** Atomically takes a waiting conversation; 1 row updated means this agent won. */
export async function claimConversation(db: Db, id: string, agentId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ status: 'active', agent_id: agentId, claimed_at: now, held_since: now })
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

/** Sets the language of the visitor's open conversations; returns those that changed. */
/** The federal state an orientation case named (routing). */
export async function setConversationRegion(db: Db, id: string, region: string): Promise<void> {
  await db.updateTable('conversations').set({ region }).where('id', '=', id).execute();
}

export function setOpenConversationLanguage(db: Db, visitorId: string, language: string): Promise<ConversationRow[]> {
  return db
    .updateTable('conversations')
    .set({ language })
    .where('visitor_id', '=', visitorId)
    .where('status', '!=', 'closed')
    .where('language', '!=', language)
    .returningAll()
    .execute();
}

/** A counsellor corrects the language of an open conversation; undefined when it is closed or had it already. */
export const setConversationLanguage = (db: Db, id: string, language: string): Promise<ConversationRow | undefined> =>
  db.updateTable('conversations').set({ language }).where('id', '=', id).where('status', '!=', 'closed').where('language', '!=', language).returningAll().executeTakeFirst();

/** Raises the read mark (never lowers it, never past the last message). */
export async function markRead(db: Db, id: string, by: 'visitor' | 'agent', seq: number): Promise<boolean> {
  const column = by === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
  const result = await db
    .updateTable('conversations')
    // CASE, not min()/least(): SQLite's scalar min is PostgreSQL's least.
    .set((eb) => ({ [column]: eb.case().when(eb.val(seq), '<', eb.ref('last_seq')).then(eb.val(seq)).else(eb.ref('last_seq')).end() }))
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
    .leftJoin('channel_accounts as ca', 'ca.id', 'c.channel_account_id')
    .leftJoin('reply_notices as rn', 'rn.conversation_id', 'c.id')
    .selectAll('c')
    .select(['s.name as site_name', 'a.name as agent_name', 'ca.name as channel_account_name', 'rn.id as reply_notice_id'])
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
        .select('m.id')
        .whereRef('m.conversation_id', '=', 'c.id')
        .where('m.author', '=', 'visitor')
        .orderBy('m.seq')
        .limit(1)
        .as('first_message_id'),
      eb
        .selectFrom('messages as m')
        .select((eb2) => eb2.fn.countAll<number>().as('n'))
        .whereRef('m.conversation_id', '=', 'c.id')
        .where('m.author', '=', 'visitor')
        .whereRef('m.seq', '>', 'c.agent_read_seq')
        .as('unread'),
      // The newest visitor or counsellor message (system messages say nothing about the person).
      lastNonSystem(eb).select('m.body').as('last_body'),
      lastNonSystem(eb).select('m.id').as('last_body_id'),
      lastNonSystem(eb).select('m.author').as('last_author'),
    ])
    // Its topics in the same statement: a summary goes out with every message, on every process
    // with counsellors (a second query each was measurable in the cluster bench).
    .select(topicIdsOf(db).as('topic_ids'));
}
function topicIdsOf(db: Db) {
  return dialectOf(db) === 'postgres'
    ? sql<string | null>`(select string_agg(ct.topic_id, ',') from conversation_topics ct where ct.conversation_id = c.id)`
    : sql<string | null>`(select group_concat(ct.topic_id, ',') from conversation_topics ct where ct.conversation_id = c.id)`;
}
const lastNonSystem = (eb: ExpressionBuilder<Database & { c: Database['conversations'] }, 'c'>) =>
  eb.selectFrom('messages as m').whereRef('m.conversation_id', '=', 'c.id').where('m.author', '!=', 'system').orderBy('m.seq', 'desc').limit(1);

const summaryById = compiledOnce<'id', ConversationSummaryRow>((db, p) => summaryQuery(db).where('c.id', '=', p('id')));
export const findConversationSummary = async (db: Db, id: string): Promise<ConversationSummaryRow | undefined> => (await summaryById(db, { id })).rows[0];

export function listConversationSummaries(db: Db, filter: { status: 'waiting' } | { agentId: string } | { all: true }, limit = 200): Promise<ConversationSummaryRow[]> {
  let q = summaryQuery(db);
  if ('status' in filter) q = q.where('c.status', '=', filter.status).orderBy('c.created_at', 'asc');
  else if ('agentId' in filter) q = q.where('c.agent_id', '=', filter.agentId).where('c.status', '=', 'active').orderBy('c.last_message_at', 'desc');
  else q = q.orderBy('c.created_at', 'desc');
  return q.limit(limit).execute();
}

/**
 * Moves an active conversation from `fromAgentId` to `toAgentId` (compare-and-set: a concurrent
 * change wins); a supervisor may also give a waiting one (`fromAgentId` null) to a counsellor.
 */
export async function moveToHolder(db: Db, id: string, fromAgentId: string | null, toAgentId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('conversations')
    .set((eb) => ({ status: 'active', agent_id: toAgentId, held_since: now, claimed_at: eb.fn.coalesce('claimed_at', eb.val(now)) }))
    .where('id', '=', id)
    .where((eb) => (fromAgentId === null ? eb.and([eb('status', '=', 'waiting'), eb('agent_id', 'is', null)]) : eb.and([eb('status', '=', 'active'), eb('agent_id', '=', fromAgentId)])))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Puts an active conversation held by `fromAgentId` (or by nobody) back into the queue, for `language`. */
export async function moveToQueue(db: Db, id: string, fromAgentId: string | null, language: string): Promise<boolean> {
  const r = await db
    .updateTable('conversations')
    .set({ status: 'waiting', agent_id: null, held_since: null, language })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where((eb) => (fromAgentId === null ? eb('agent_id', 'is', null) : eb('agent_id', '=', fromAgentId)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- internal notes (sealed like messages) ----

export type NoteWithNames = NoteRow & { agent_name: string | null; to_agent_name: string | null };

export async function insertNote(db: Db, row: NoteRow): Promise<void> {
  await db.insertInto('conversation_notes').values(row).execute();
}

const notesQuery = (db: Db) =>
  db
    .selectFrom('conversation_notes as n')
    .leftJoin('agents as a', 'a.id', 'n.agent_id')
    .leftJoin('agents as t', 't.id', 'n.to_agent_id')
    .selectAll('n')
    .select(['a.name as agent_name', 't.name as to_agent_name']);

export const listNotes = (db: Db, conversationId: string): Promise<NoteWithNames[]> =>
  notesQuery(db).where('n.conversation_id', '=', conversationId).orderBy('n.created_at').orderBy('n.id').limit(2000).execute();

export const findNote = (db: Db, id: string): Promise<NoteWithNames | undefined> => notesQuery(db).where('n.id', '=', id).executeTakeFirst();

/** Note bodies not sealed with `keyId`, for key rotation. */
export const listNotesNotSealedWith = (db: Db, keyId: string, limit: number): Promise<Pick<NoteRow, 'id' | 'body'>[]> =>
  db.selectFrom('conversation_notes').select(['id', 'body']).where(notSealedWith('body', keyId)).orderBy('id').limit(limit).execute();

export async function updateNoteBody(db: Db, id: string, expected: string, body: string): Promise<boolean> {
  const r = await db.updateTable('conversation_notes').set({ body }).where('id', '=', id).where('body', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- find & filter ----

export interface SearchFilter {
  status?: 'waiting' | 'active' | 'closed' | undefined;
  language?: string | undefined;
  siteId?: string | undefined;
  topicId?: string | undefined;
  channel?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  before?: number | undefined;
}

/**
 * Conversations matching `filter` that `visibleTo` may see (undefined: all, for supervisors;
 * otherwise waiting ones and those the agent holds or held last), newest first.
 */
export function searchConversationSummaries(db: Db, filter: SearchFilter, visibleTo: string | undefined, limit: number): Promise<ConversationSummaryRow[]> {
  let q = summaryQuery(db);
  if (visibleTo !== undefined) q = q.where((eb) => eb.or([eb('c.status', '=', 'waiting'), eb('c.agent_id', '=', visibleTo)]));
  if (filter.status) q = q.where('c.status', '=', filter.status);
  if (filter.language) q = q.where('c.language', '=', filter.language);
  if (filter.siteId) q = q.where('c.site_id', '=', filter.siteId);
  if (filter.channel) q = q.where('c.channel', '=', filter.channel as ConversationRow['channel']);
  if (filter.from !== undefined) q = q.where('c.created_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('c.created_at', '<', filter.to);
  if (filter.before !== undefined) q = q.where('c.created_at', '<', filter.before);
  if (filter.topicId) {
    const topicId = filter.topicId;
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('conversation_topics as ct').select('ct.topic_id').whereRef('ct.conversation_id', '=', 'c.id').where('ct.topic_id', '=', topicId)));
  }
  return q.orderBy('c.created_at', 'desc').orderBy('c.id').limit(limit).execute();
}

// ---- deletion (visitor's own wish, retention, admin) ----

export const listConversationIdsOfVisitor = async (db: Db, visitorId: string): Promise<string[]> =>
  (await db.selectFrom('conversations').select('id').where('visitor_id', '=', visitorId).execute()).map((r) => r.id);

/** Deletes a visitor; their conversations and messages go with them (foreign-key cascades). */
export async function deleteVisitorCascade(db: Db, visitorId: string): Promise<void> {
  // Explicit, in order, so the result does not depend on the cascade pragma of whoever opened the file.
  const ids = await listConversationIdsOfVisitor(db, visitorId);
  if (ids.length) {
    // Referrals (with the contact detail a visitor gave an office) go with their conversations.
    await deleteReferralsOfConversations(db, ids);
    // Channel delivery states and queued replies; the contact identity is on the conversation row.
    await deleteChannelDataOfConversations(db, ids);
    // Callback requests (a number, while not handled yet) too.
    await deleteCallbacksOfConversations(db, ids);
    // An e-mail address for reply notices, and its queued notice.
    await deleteReplyNoticesOfConversations(db, ids);
    await db.deleteFrom('conversation_notes').where('conversation_id', 'in', ids).execute();
    await db.deleteFrom('conversation_topics').where('conversation_id', 'in', ids).execute();
    await db.deleteFrom('messages').where('conversation_id', 'in', ids).execute();
    await db.deleteFrom('conversations').where('id', 'in', ids).execute();
  }
  await db.deleteFrom('visitor_resume_codes').where('visitor_id', '=', visitorId).execute();
  await db.deleteFrom('visitors').where('id', '=', visitorId).execute();
}

export async function deleteConversationCascade(db: Db, conversationId: string): Promise<void> {
  // The visitor's resume code opened this conversation: it goes with it.
  await db
    .deleteFrom('visitor_resume_codes')
    .where('visitor_id', 'in', (eb) => eb.selectFrom('conversations').select('visitor_id').where('id', '=', conversationId))
    .execute();
  await deleteReferralsOfConversations(db, [conversationId]);
  await deleteChannelDataOfConversations(db, [conversationId]);
  await deleteCallbacksOfConversations(db, [conversationId]);
  await deleteReplyNoticesOfConversations(db, [conversationId]);
  await db.deleteFrom('conversation_notes').where('conversation_id', '=', conversationId).execute();
  await db.deleteFrom('conversation_topics').where('conversation_id', '=', conversationId).execute();
  await db.deleteFrom('messages').where('conversation_id', '=', conversationId).execute();
  await db.deleteFrom('conversations').where('id', '=', conversationId).execute();
}

/** Closed conversations whose close lies before `closedBefore`. */
export const findConversationsClosedBefore = (db: Db, closedBefore: number, limit: number): Promise<Pick<ConversationRow, 'id' | 'visitor_id'>[]> =>
  db.selectFrom('conversations').select(['id', 'visitor_id']).where('status', '=', 'closed').where('closed_at', '<', closedBefore).limit(limit).execute();

/** Visitors not seen since `before` with no conversation that had a message since then. */
export const findVisitorsInactiveSince = async (db: Db, before: number, limit: number): Promise<string[]> =>
  (
    await db
      .selectFrom('visitors as v')
      .select('v.id')
      .where('v.last_seen_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('conversations as c').select('c.id').whereRef('c.visitor_id', '=', 'v.id').where('c.last_message_at', '>=', before))),
      )
      .limit(limit)
      .execute()
  ).map((r) => r.id);

// ---- key rotation ----

/** Messages whose body is not sealed with `keyId` (older keys or legacy plaintext), oldest first. */
export const listMessagesNotSealedWith = (db: Db, keyId: string, limit: number): Promise<Pick<MessageRow, 'id' | 'body'>[]> =>
  db.selectFrom('messages').select(['id', 'body']).where(notSealedWith('body', keyId)).orderBy('id').limit(limit).execute();

/**
 * A prefix comparison both dialects read alike: LIKE folds ASCII case on SQLite but not on
 * PostgreSQL, and a `_` in a key id would be a wildcard.
 */
const notSealedWith = (column: 'body' | 'page_url' | 'context', keyId: string) => {
  const prefix = `enc1.${keyId}.`;
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${sql.lit(prefix.length)}) <> ${prefix}`;
};

export async function updateMessageBody(db: Db, id: string, expectedBody: string, body: string): Promise<boolean> {
  // Compare-and-set: a concurrent change (a deletion) wins.
  const r = await db.updateTable('messages').set({ body }).where('id', '=', id).where('body', '=', expectedBody).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many sealed values (message bodies, page addresses) each key id holds; `plaintext` for unsealed ones. */
export async function countSealedByKey(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('messages').select('body').execute();
  const pages = await db.selectFrom('conversations').select('page_url as body').where('page_url', 'is not', null).execute();
  const contexts = await db.selectFrom('messages').select('context as body').where('context', 'is not', null).execute();
  rows.push(...(contexts as Array<{ body: string }>));
  rows.push(...(await db.selectFrom('conversation_notes').select('body').execute()));
  const counts = new Map<string, number>();
  for (const r of [...rows, ...pages]) {
    const body = r.body ?? '';
    const kid = body.startsWith('enc1.') ? body.split('.')[1]! : 'plaintext';
    counts.set(kid, (counts.get(kid) ?? 0) + 1);
  }
  return counts;
}

/** Page addresses (sealed like message bodies) not sealed with `keyId`, for key rotation. */
export const listPageUrlsNotSealedWith = (db: Db, keyId: string, limit: number): Promise<{ id: string; page_url: string }[]> =>
  db
    .selectFrom('conversations')
    .select(['id', 'page_url'])
    .where('page_url', 'is not', null)
    .where(notSealedWith('page_url', keyId))
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<{ id: string; page_url: string }[]>;

export async function updatePageUrl(db: Db, id: string, expected: string, pageUrl: string): Promise<boolean> {
  const r = await db.updateTable('conversations').set({ page_url: pageUrl }).where('id', '=', id).where('page_url', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Message contexts (what the visitor was reading; sealed) not sealed with `keyId`, for key rotation. */
export const listContextsNotSealedWith = (db: Db, keyId: string, limit: number): Promise<{ id: string; context: string }[]> =>
  db
    .selectFrom('messages')
    .select(['id', 'context'])
    .where('context', 'is not', null)
    .where(notSealedWith('context', keyId))
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<{ id: string; context: string }[]>;

export async function updateMessageContext(db: Db, id: string, expected: string, context: string): Promise<boolean> {
  const r = await db.updateTable('messages').set({ context }).where('id', '=', id).where('context', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
