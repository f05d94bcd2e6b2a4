import { callRecordBody, queueRank, type AgentDto, type CallMedia, type CallRecordBody, type MessageAttachmentDto, type MessageDeliveryDto, type CaseContextInput, type ConversationSummaryDto, type LanguageCode, type MessageContextDto, type MessageDto, type NoteDto, type SystemEvent, type TransferInput } from '@direturn/protocol';
import type { Db, MessageWriter } from '../db/database.js';
import { DomainError, RateLimitedError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import type { VisitorRow } from '../visitors/visitor.table.js';
import { visitorExists } from '../visitors/visitor.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Keyring } from '../security/keyring.js';
import {
  appendMessage,
  deleteConversationCascade,
  deleteVisitorCascade,
  findConversationsClosedBefore,
  findVisitorsInactiveSince,
  listConversationIdsOfVisitor,
  type ConversationSummaryRow,
  type MessageWithAgent,
  claimConversation,
  closeConversation,
  findConversation,
  findConversationSummary,
  findLatestConversationOfVisitor,
  findMessageByClientId,
  findOpenConversationOfVisitor,
  insertConversation,
  listConversationSummaries,
  listMessages,
  markRead,
  setOpenConversationLanguage,
  setConversationLanguage,
  findNote,
  insertNote,
  listNotes,
  moveToHolder,
  moveToQueue,
  searchConversationSummaries,
  setConversationRegion,
  type NoteWithNames,
  type SearchFilter,
} from './conversation.repository.js';
import { authorize, may } from './conversation.policy.js';
import { toConversationSummaryDto, toMessageDto, toNoteDto } from './conversation.presenter.js';
import { newPseudonym } from './pseudonym.js';
import { countHeld, findAgentStatus, findColleague, findStrandedConversations } from '../workload/workload.repository.js';
import { takeRefusal } from '../workload/workload.policy.js';
import { countOfferedTopics, replaceConversationTopics } from '../topics/topic.repository.js';
import { readAccess, summaryFor } from './read-access.js';
import type { ConversationRow } from './conversation.table.js';
import { findDelivery } from '../channels/channel.repository.js';

/** A context as the visitor's frame names it (see MessageContextInputSchema). */
export type MessageContextInput = { kind: 'article'; articleId: string; language: LanguageCode } | CaseContextInput;

export type ConversationChange = 'created' | 'message' | 'claimed' | 'closed' | 'read' | 'language' | 'transferred' | 'requeued' | 'topics';

/**
 * What happened, for whoever transports it (the WebSocket hub today, other channels later).
 * `origin` is an opaque tag of the caller that caused it, so it can skip echoing to itself.
 */
export interface ConversationEvents extends Record<string, unknown> {
  message: { conversation: ConversationRow; message: MessageDto; origin?: object };
  changed: { conversation: ConversationRow; change: ConversationChange };
  /** `withMessage`: the read mark moved because the reader answered; the `message` event just before carried the news. */
  read: { conversation: ConversationRow; by: 'visitor' | 'agent'; seq: number; withMessage?: boolean };
  /** Conversations (and possibly a visitor) are gone from the database. */
  deleted: { conversationIds: string[]; visitorId?: string; reason: 'visitor' | 'retention' | 'admin' };
  /** An internal note was written (never for visitors); `handover`: the conversation changed hands with it. */
  note: { conversation: ConversationRow; note: NoteDto; handover?: boolean };
  /** The delivery of a counsellor's reply on a channel moved (channels/): the holder's console shows it. */
  delivery: { conversation: ConversationRow; messageId: string; delivery: MessageDeliveryDto };
}

/**
 * Queues a counsellor's reply in a channel conversation for its channel, inside the reply's own
 * transaction (channels/channel.service.ts): a reply is stored with its delivery or not at all.
 * Throws a DomainError when the channel cannot take it (the account is paused or removed).
 */
export type ChannelReplyHook = (trx: Db, conversation: ConversationRow, message: { id: string; createdAt: number; template?: ChannelTemplate }) => Promise<MessageDeliveryDto>;

/**
 * Runs inside the transaction of a counsellor's reply (not for a resend): another domain's
 * bookkeeping that must commit with the reply or not at all (reply-notices/ queues its mail).
 */
export type AgentReplyHook = (trx: Db, conversation: ConversationRow, message: MessageDto) => Promise<void>;

/** An approved provider template a counsellor sends instead of free text (WhatsApp outside its 24 hours). */
export interface ChannelTemplate {
  name: string;
  language: string;
}

/** A message a person sent on a channel, as channels/channel.service.ts hands it over. */
export interface ChannelArrival {
  /**
   * Inside the write transaction: the message was handled before (`duplicate`), or the conversation
   * it belongs to (`created`: opened just now).
   */
  locate(trx: Db, now: number): Promise<{ duplicate: { conversationId: string; messageId: string } } | { conversation: ConversationRow; created: boolean }>;
  body: string;
  attachments: MessageAttachmentDto[];
  /** Inside the same transaction once the message is appended: the channel's bookkeeping. */
  stored(trx: Db, conversation: ConversationRow, messageId: string, now: number): Promise<void>;
}

const REFUSAL_TEXT = {
  agent_away: 'You are set to away. Set yourself available to take conversations.',
  agent_unavailable: 'This colleague is away or not connected right now.',
  at_capacity: 'This counsellor already holds as many conversations as they may at once.',
} as const;

export interface SendResult {
  message: MessageDto;
  conversation: ConversationRow;
  /** True when this clientId was seen before: the stored message is returned, nothing is written. */
  duplicate: boolean;
}

/** The rules of a conversation, independent of how messages arrive or leave. */
export class ConversationService {
  readonly events = new TypedEmitter<ConversationEvents>();
  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    /** How long closed conversations are kept (for `deleteAt`); read on every call, settings may change. */
    private readonly retentionMs: () => number,
    /** The database's message write path (SQLite: group commit; PostgreSQL: a transaction each); see db/storage.ts. */
    private readonly writes: MessageWriter,
    private readonly audit?: AuditService,
    /** Makes deleted rows unrecoverable from the database files (Storage.eraseDeleted), run after every deletion. */
    private readonly eraseDeleted: () => Promise<unknown> = () => Promise.resolve(),
    /** Conversations a counsellor may hold at once unless an admin set theirs (DIRETURN_MAX_PARALLEL). */
    private readonly work: { maxParallel: number } = { maxParallel: 10 },
  ) {}

  private contexts: ((input: MessageContextInput, language: LanguageCode) => Promise<MessageContextDto | undefined>) | undefined;
  private channelReply: ChannelReplyHook | undefined;
  private readonly replyHooks: AgentReplyHook[] = [];

  /** Runs `hook` in the transaction of every counsellor's reply that is stored (reply notices). */
  onAgentReply(hook: AgentReplyHook): void {
    this.replyHooks.push(hook);
  }

  /** How replies in channel conversations are queued (set by the channels service at start). */
  queueChannelRepliesWith(hook: ChannelReplyHook): void {
    this.channelReply = hook;
  }

  /**
   * How a context a visitor sends (an article id and language) becomes what the message carries
   * (checked: published; slug and title from the server), or a case summary of the orientation
   * check (checked against the current questionnaire; a mismatch throws and nothing is written).
   * Without it, contexts are dropped.
   */
  resolveContextsWith(fn: (input: MessageContextInput, language: LanguageCode) => Promise<MessageContextDto | undefined>): void {
    this.contexts = fn;
  }

  /** Deleted rows leave no trace in the database files (the retention job calls this after a run). */
  erase(): Promise<unknown> {
    return this.eraseDeleted();
  }

  /** Resolves when every message write submitted so far has settled (before closing the database). */
  drain(): Promise<void> {
    return this.writes.drain();
  }

  // ---- encryption at rest: bodies (and page addresses) are sealed before they reach SQL and opened right after ----
  private seal(messageId: string, body: string): string {
    return this.keyring.seal(body, `message:${messageId}`);
  }

  private open(m: MessageWithAgent): MessageDto {
    const dto = toMessageDto({ ...m, body: this.keyring.open(m.body, `message:${m.id}`) });
    if (m.context) dto.context = JSON.parse(this.keyring.open(m.context, `context:${m.id}`)) as MessageContextDto;
    return dto;
  }

  private present(row: ConversationSummaryRow, topicIds: string[] = []): ConversationSummaryDto {
    const first = row.first_message !== null && row.first_message_id !== null ? this.keyring.open(row.first_message, `message:${row.first_message_id}`) : null;
    const last = row.last_body !== null && row.last_body_id !== null ? this.keyring.open(row.last_body, `message:${row.last_body_id}`) : null;
    const pageUrl = row.page_url === null ? null : this.keyring.open(row.page_url, `page:${row.id}`);
    return toConversationSummaryDto({ ...row, first_message: first, last_body: last, page_url: pageUrl }, this.retentionMs(), topicIds);
  }

  /** Summaries with their topics (read with the summary). */
  private presentAll(rows: ConversationSummaryRow[]): ConversationSummaryDto[] {
    return rows.map((r) => this.present(r, r.topic_ids ? r.topic_ids.split(',').sort() : []));
  }

  private openNote(n: NoteWithNames): NoteDto {
    return toNoteDto({ ...n, body: this.keyring.open(n.body, `note:${n.id}`) });
  }

  /** Appends a message (sealed); returns it in plaintext and the conversation as it is afterwards. */
  private async append(
    trx: Db,
    conversationId: string,
    m: {
      author: 'visitor' | 'agent' | 'system';
      agentId: string | null;
      clientId: string | null;
      body: string;
      now: number;
      agentHasRead?: boolean;
      context?: MessageContextDto | undefined;
      attachments?: MessageAttachmentDto[] | undefined;
    },
  ) {
    const id = newId();
    // What the visitor was reading can tell what they fear, like the page address: sealed too.
    const context = m.context ? this.keyring.seal(JSON.stringify(m.context), `context:${id}`) : null;
    const attachments = m.attachments?.length ? JSON.stringify(m.attachments.map((a) => ({ type: a.type, ...(a.size !== undefined ? { size: a.size } : {}) }))) : null;
    const { message, conversation } = await appendMessage(trx, conversationId, { ...m, id, body: this.seal(id, m.body), context, attachments });
    return { message: { ...message, body: m.body, context: null }, conversation, context: m.context };
  }

  /** A visitor writes: into their open conversation, or a new waiting one. */
  async visitorSend(
    visitor: VisitorRow,
    input: {
      clientId: string;
      body: string;
      pageUrl?: string | undefined;
      language: LanguageCode;
      /** What the visitor was reading (an article); kept only when it is published. */
      context?: MessageContextInput | undefined;
      /** Asked only when this send would open a new conversation: 0 = allowed, else ms to wait. */
      admitNew?: () => Promise<number>;
    },
    origin?: object,
  ): Promise<SendResult> {
    const context = input.context && this.contexts ? await this.contexts(input.context, input.language) : undefined;
    // A case summary names the federal state: the queue routes the conversation by it.
    const region = context?.kind === 'case' ? context.region : null;
    // The ack (after this returns) means the message is on disk, whichever database holds it.
    const result = await this.writes.run(async (trx) => {
      const existing = await findMessageByClientId(trx, 'visitor', visitor.id, input.clientId);
      if (existing) {
        const conversation = await findConversation(trx, existing.conversation_id);
        return { message: this.open(existing), conversation: conversation!, duplicate: true, created: false };
      }
      const now = Date.now();
      const { conversation, created } = await this.openFor(trx, visitor, { language: input.language, pageUrl: input.pageUrl, admitNew: input.admitNew, region }, now);
      const appended = await this.append(trx, conversation.id, { author: 'visitor', agentId: null, clientId: input.clientId, body: input.body, now, context });
      const message = toMessageDto({ ...appended.message, agent_name: null });
      if (appended.context) message.context = appended.context;
      return { message, conversation: appended.conversation, duplicate: false, created };
    });
    if (!result.duplicate && result.created) this.events.emit('changed', { conversation: result.conversation, change: 'created' });
    // Also for a duplicate (a resend whose ack was lost): the process that stored it may have died
    // between COMMIT and announcing it. Clients drop message ids they hold.
    this.events.emit('message', { conversation: result.conversation, message: result.message, ...(origin ? { origin } : {}) });
    return result;
  }

  /**
   * A person wrote on a channel (channels/channel.service.ts): stored once, in their open
   * conversation or a new waiting one, and announced like a widget message.
   */
  async channelReceive(arrival: ChannelArrival): Promise<{ conversationId: string; messageId: string; duplicate: boolean }> {
    const result = await this.writes.run(async (trx) => {
      const now = Date.now();
      const located = await arrival.locate(trx, now);
      if ('duplicate' in located) return located;
      const appended = await this.append(trx, located.conversation.id, { author: 'visitor', agentId: null, clientId: null, body: arrival.body, now, attachments: arrival.attachments });
      await arrival.stored(trx, appended.conversation, appended.message.id, now);
      return { conversation: appended.conversation, message: toMessageDto({ ...appended.message, agent_name: null }), created: located.created };
    });
    if ('duplicate' in result) return { ...result.duplicate, duplicate: true };
    if (result.created) this.events.emit('changed', { conversation: result.conversation, change: 'created' });
    this.events.emit('message', { conversation: result.conversation, message: result.message });
    return { conversationId: result.conversation.id, messageId: result.message.id, duplicate: false };
  }

  /**
   * A counsellor corrects the language of an open conversation (a channel guessed it, or the person
   * switched): the queue shows, filters and routes it by the new one.
   */
  async setLanguage(agent: AgentDto, conversationId: string, language: LanguageCode): Promise<ConversationSummaryDto> {
    const c = await findConversation(this.db, conversationId);
    authorize(agent, 'language', c);
    const updated = await setConversationLanguage(this.db, conversationId, language);
    if (updated) {
      await this.audit?.record({ agentId: agent.id, action: 'conversation.language_set', conversationId, details: { language } });
      this.events.emit('changed', { conversation: updated, change: 'language' });
    }
    return summaryFor(agent, await this.summary(conversationId));
  }

  /**
   * The visitor's open conversation, or a new waiting one (in `trx`): for the visitor's messages and
   * for other domains acting for them (a callback request). `admitNew` is asked only when one would
   * be created: 0 = allowed, else ms to wait.
   */
  async openFor(
    trx: Db,
    visitor: VisitorRow,
    input: { language: LanguageCode; pageUrl?: string | undefined; admitNew?: (() => Promise<number>) | undefined; region?: string | null },
    now = Date.now(),
  ): Promise<{ conversation: ConversationRow; created: boolean }> {
    const region = input.region ?? null;
    const conversation = await findOpenConversationOfVisitor(trx, visitor.id);
    if (conversation) {
      if (region && conversation.region !== region) await setConversationRegion(trx, conversation.id, region);
      return { conversation, created: false };
    }
    // Deleted ("delete my data" on another socket) since this socket said hello.
    if (!(await visitorExists(trx, visitor.id))) throw new DomainError('gone', 'This chat was deleted.');
    const wait = (await input.admitNew?.()) ?? 0;
    if (wait > 0) throw new RateLimitedError('Many people are writing right now. Please try again in a moment.', wait);
    const id = newId();
    const row = {
      id,
      site_id: visitor.site_id,
      visitor_id: visitor.id,
      channel: 'widget' as const,
      status: 'waiting' as const,
      language: input.language,
      // Where the visitor was can tell what they fear: sealed like the messages.
      page_url: input.pageUrl ? this.keyring.seal(input.pageUrl, `page:${id}`) : null,
      agent_id: null,
      created_at: now,
      claimed_at: null,
      closed_at: null,
      pseudonym: newPseudonym(),
      held_since: null,
      region,
      channel_account_id: null,
      contact: null,
      contact_key: null,
      channel_thread: null,
      last_inbound_at: null,
    };
    return { conversation: await insertConversation(trx, row), created: true };
  }

  /**
   * A system message for another domain (a callback requested or handled), in that domain's
   * transaction; pass the result to `announce` once it has committed.
   */
  systemEvent(trx: Db, conversationId: string, event: SystemEvent, agentId: string | null, now = Date.now()): Promise<{ message: MessageDto; conversation: ConversationRow }> {
    return this.appendSystem(trx, conversationId, event, agentId, now);
  }

  /** Tells the transports about a system message written with `systemEvent` (and a conversation `openFor` created). */
  announce(outcome: { message: MessageDto; conversation: ConversationRow }, created = false): void {
    if (created) this.events.emit('changed', { conversation: outcome.conversation, change: 'created' });
    this.events.emit('message', outcome);
  }

  /** A counsellor answers in a conversation they have taken. */
  async agentSend(agent: AgentDto, conversationId: string, input: { clientId: string; body: string; template?: ChannelTemplate }, origin?: object): Promise<SendResult> {
    const result = await this.writes.run(async (trx) => {
      const conversation = await findConversation(trx, conversationId);
      if (!conversation || !may(agent, 'view', conversation)) throw new DomainError('not_found', 'Conversation not found.');
      const existing = await findMessageByClientId(trx, 'agent', conversationId, input.clientId);
      // A resend gets the stored message back: only the sender's own (an ack is no way to read others').
      if (existing && existing.agent_id === agent.id) return { message: this.open(existing), conversation, duplicate: true };
      if (existing) throw new DomainError('forbidden', 'Take the conversation before you answer.');
      authorize(agent, 'write', conversation);
      // Answering means the counsellor has read everything before.
      const appended = await this.append(trx, conversationId, {
        author: 'agent',
        agentId: agent.id,
        clientId: input.clientId,
        body: input.body,
        now: Date.now(),
        agentHasRead: true,
      });
      const message = toMessageDto({ ...appended.message, agent_name: agent.name });
      // On a channel the reply leaves through the outbox, queued in this same transaction.
      if (appended.conversation.channel !== 'widget') {
        if (!this.channelReply) throw new DomainError('bad_request', 'This server cannot send replies on this channel.');
        message.delivery = await this.channelReply(trx, appended.conversation, { id: message.id, createdAt: message.createdAt, ...(input.template ? { template: input.template } : {}) });
      }
      for (const hook of this.replyHooks) await hook(trx, appended.conversation, message);
      return { message, conversation: appended.conversation, duplicate: false };
    });
    // A duplicate is announced again too (see visitorSend).
    this.events.emit('message', { conversation: result.conversation, message: result.message, ...(origin ? { origin } : {}) });
    this.events.emit('read', { conversation: result.conversation, by: 'agent', seq: Number(result.conversation.agent_read_seq), withMessage: true });
    return result;
  }

  /**
   * Takes a waiting conversation. Of two agents clicking at once exactly one wins; the other gets
   * `conversation_taken`.
   */
  async claim(agent: AgentDto, conversationId: string): Promise<ConversationSummaryDto> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const before = await findConversation(trx, conversationId);
      if (before?.status === 'waiting') await this.assertCanTake(trx, agent.id, 'self', now);
      if (!(await claimConversation(trx, conversationId, agent.id, now))) {
        const c = await findConversation(trx, conversationId);
        if (!c) throw new DomainError('not_found', 'Conversation not found.');
        if (c.status === 'closed') throw new DomainError('conversation_closed', 'This conversation is closed.');
        throw new DomainError('conversation_taken', 'Another counsellor has already taken this conversation.');
      }
      return this.appendSystem(trx, conversationId, 'claimed', agent.id, now);
    });
    await this.audit?.record({ agentId: agent.id, action: 'conversation.claimed', conversationId });
    this.events.emit('changed', { conversation: outcome.conversation, change: 'claimed' });
    this.events.emit('message', { conversation: outcome.conversation, message: outcome.message });
    return summaryFor(agent, await this.summary(conversationId));
  }

  async close(agent: AgentDto, conversationId: string): Promise<ConversationSummaryDto> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      const c = await findConversation(trx, conversationId);
      authorize(agent, 'close', c);
      const now = Date.now();
      if (!(await closeConversation(trx, conversationId, now))) throw new DomainError('conversation_closed', 'This conversation is closed already.');
      return this.appendSystem(trx, conversationId, 'closed', agent.id, now);
    });
    await this.audit?.record({ agentId: agent.id, action: 'conversation.closed', conversationId });
    this.events.emit('changed', { conversation: outcome.conversation, change: 'closed' });
    this.events.emit('message', { conversation: outcome.conversation, message: outcome.message });
    return summaryFor(agent, await this.summary(conversationId));
  }

  /**
   * A call took place (calls/): the conversation records its kind and length, nothing of what was
   * said. Written after the call ended, whatever the conversation's state is by then.
   */
  async recordCall(conversationId: string, media: CallMedia, seconds: number, agentId: string): Promise<MessageDto> {
    const outcome = await this.db.transaction().execute((trx) => this.appendSystem(trx, conversationId, callRecordBody(media, seconds), agentId, Date.now()));
    this.events.emit('message', { conversation: outcome.conversation, message: outcome.message });
    return outcome.message;
  }

  /**
   * The visitor now speaks `language`: their open conversation follows, so the queue shows, filters
   * and routes it by the language the visitor actually writes in. Closed ones keep theirs (history).
   */
  async visitorLanguage(visitorId: string, language: LanguageCode): Promise<void> {
    for (const conversation of await setOpenConversationLanguage(this.db, visitorId, language)) {
      this.events.emit('changed', { conversation, change: 'language' });
    }
  }

  /** The visitor has seen messages up to `seq` of their current conversation. */
  async visitorRead(visitorId: string, seq: number): Promise<void> {
    const c = await findLatestConversationOfVisitor(this.db, visitorId);
    if (c) await this.read(c, 'visitor', seq);
  }

  async agentRead(agent: AgentDto, conversationId: string, seq: number): Promise<void> {
    const c = await findConversation(this.db, conversationId);
    authorize(agent, 'view', c);
    if (c.agent_id !== agent.id) return; // only the holder's reading counts as "read by counsellor"
    await this.read(c, 'agent', seq);
  }

  /** The visitor's current conversation and the messages after `afterSeq`. */
  async visitorView(visitorId: string, afterSeq: number): Promise<{ conversation: ConversationRow | undefined; agentName: string | null; messages: MessageDto[] }> {
    const conversation = await findLatestConversationOfVisitor(this.db, visitorId);
    if (!conversation) return { conversation: undefined, agentName: null, messages: [] };
    const messages = (await listMessages(this.db, conversation.id, afterSeq)).map((m) => this.open(m));
    return { conversation, agentName: await this.agentNameOf(conversation), messages };
  }

  /** The conversation row, for transports that were told only its id (another process wrote it). */
  row(conversationId: string): Promise<ConversationRow | undefined> {
    return findConversation(this.db, conversationId);
  }

  /** A message by its place in the conversation, decrypted, with the conversation; undefined once deleted. */
  async loadMessage(conversationId: string, seq: number): Promise<{ conversation: ConversationRow; message: MessageDto } | undefined> {
    const conversation = await findConversation(this.db, conversationId);
    if (!conversation) return undefined;
    const [m] = await listMessages(this.db, conversationId, seq - 1, 1);
    return m && Number(m.seq) === seq ? { conversation, message: this.open(m) } : undefined;
  }

  /** The delivery state of a reply on a channel, with its conversation; undefined once deleted. */
  async loadDelivery(conversationId: string, messageId: string): Promise<{ conversation: ConversationRow; delivery: MessageDeliveryDto } | undefined> {
    const conversation = await findConversation(this.db, conversationId);
    const d = conversation && (await findDelivery(this.db, messageId));
    return conversation && d ? { conversation, delivery: { status: d.status, reason: d.reason, updatedAt: Number(d.updated_at) } } : undefined;
  }

  /** Messages with afterSeq < seq < beforeSeq (a gap a process heard nothing of), in order. */
  async loadMessagesBetween(conversationId: string, afterSeq: number, beforeSeq: number): Promise<{ conversation: ConversationRow; messages: MessageDto[] } | undefined> {
    const conversation = await findConversation(this.db, conversationId);
    if (!conversation || beforeSeq - afterSeq < 2) return undefined;
    const messages = (await listMessages(this.db, conversationId, afterSeq, beforeSeq - afterSeq - 1)).filter((m) => Number(m.seq) < beforeSeq);
    return { conversation, messages: messages.map((m) => this.open(m)) };
  }

  /** The visitor's latest conversation, if any. */
  current(visitorId: string): Promise<ConversationRow | undefined> {
    return findLatestConversationOfVisitor(this.db, visitorId);
  }

  /** The visitor this agent may write to in this conversation (for typing notices), if any. */
  async visitorWrittenToBy(agent: AgentDto, conversationId: string): Promise<string | undefined> {
    const c = await findConversation(this.db, conversationId);
    return c && may(agent, 'write', c) ? c.visitor_id : undefined;
  }

  async agentNameOf(c: ConversationRow): Promise<string | null> {
    return c.agent_id ? ((await findConversationSummary(this.db, c.id))?.agent_name ?? null) : null;
  }

  /** The whole conversation for a counsellor: messages and internal notes (marked `internal`, also in exports). */
  async detail(agent: AgentDto, conversationId: string, opts: { export?: boolean } = {}): Promise<{ conversation: ConversationSummaryDto; messages: MessageDto[]; notes: NoteDto[] }> {
    const row = await findConversationSummary(this.db, conversationId);
    if (!row) throw new DomainError('not_found', 'Conversation not found.');
    const action = readAccess(agent, row, opts.export ? 'export' : 'open');
    const messages = (await listMessages(this.db, conversationId, 0, 10_000)).map((m) => this.open(m));
    const notes = (await listNotes(this.db, conversationId)).map((n) => this.openNote(n));
    if (action) await this.audit?.record({ agentId: agent.id, action, conversationId });
    const [conversation] = this.presentAll([row]);
    return { conversation: conversation!, messages, notes };
  }

  /** The socket's `sync`: from the start it opens the conversation; later it catches up (see readAccess). */
  async messagesAfter(agent: AgentDto, conversationId: string, afterSeq: number): Promise<MessageDto[]> {
    const c = await findConversation(this.db, conversationId);
    if (!c) throw new DomainError('not_found', 'Conversation not found.');
    const action = readAccess(agent, c, afterSeq <= 0 ? 'open' : 'catch-up');
    const messages = (await listMessages(this.db, conversationId, afterSeq)).map((m) => this.open(m));
    if (action && messages.length > 0) await this.audit?.record({ agentId: agent.id, action, conversationId });
    return messages;
  }

  async list(agent: AgentDto, status: 'waiting' | 'mine' | 'all'): Promise<ConversationSummaryDto[]> {
    if (status === 'all' && agent.role !== 'admin') throw new DomainError('forbidden', 'Only admins can list all conversations.');
    const filter = status === 'waiting' ? { status: 'waiting' as const } : status === 'mine' ? { agentId: agent.id } : { all: true as const };
    const list = this.presentAll(await listConversationSummaries(this.db, filter)).map((c) => summaryFor(agent, c));
    // The queue: conversations in the agent's languages and regions first, each group oldest first (a stable sort).
    return status === 'waiting' ? list.sort((a, b) => queueRank(a, agent) - queueRank(b, agent)) : list;
  }

  /** Find & filter: every conversation `agent` may see (closed ones too, until retention deletes them). */
  async search(agent: AgentDto, filter: SearchFilter, limit: number): Promise<{ conversations: ConversationSummaryDto[]; nextBefore: number | null }> {
    if (!may(agent, 'view', { status: 'waiting', agent_id: null })) throw new DomainError('forbidden', 'Your role does not allow this.');
    const visibleTo = may(agent, 'view', { status: 'active', agent_id: null }) ? undefined : agent.id;
    const rows = await searchConversationSummaries(this.db, filter, visibleTo, limit + 1);
    const page = rows.slice(0, limit);
    const conversations = this.presentAll(page).map((c) => summaryFor(agent, c));
    return { conversations, nextBefore: rows.length > limit ? Number(page[page.length - 1]!.created_at) : null };
  }

  async summary(conversationId: string): Promise<ConversationSummaryDto> {
    const row = await findConversationSummary(this.db, conversationId);
    if (!row) throw new DomainError('not_found', 'Conversation not found.');
    const [summary] = this.presentAll([row]);
    return summary!;
  }

  // ---- counsellor work: notes, handover, reassignment, requeue, topics ----

  /** Throws agent_away / agent_unavailable / at_capacity when `agentId` may not take one more conversation. */
  private async assertCanTake(trx: Db, agentId: string, by: 'self' | 'colleague' | 'supervisor', now: number): Promise<void> {
    const refusal = takeRefusal(await findAgentStatus(trx, agentId), await countHeld(trx, agentId), this.work.maxParallel, now, { by });
    if (refusal) throw new DomainError(refusal, REFUSAL_TEXT[refusal]);
  }

  private async writeNote(trx: Db, c: ConversationRow, n: { kind: 'note' | 'handover'; agentId: string | null; toAgentId: string | null; body: string; now: number }): Promise<NoteDto> {
    const id = newId();
    await insertNote(trx, { id, conversation_id: c.id, kind: n.kind, agent_id: n.agentId, to_agent_id: n.toAgentId, body: this.keyring.seal(n.body, `note:${id}`), after_seq: Number(c.last_seq), created_at: n.now });
    return this.openNote((await findNote(trx, id))!);
  }

  /** The holder writes an internal note: counsellors only, never the visitor. */
  async addNote(agent: AgentDto, conversationId: string, body: string): Promise<NoteDto> {
    const { conversation, note } = await this.db.transaction().execute(async (trx) => {
      const c = await findConversation(trx, conversationId);
      authorize(agent, 'write', c);
      return { conversation: c as ConversationRow, note: await this.writeNote(trx, c as ConversationRow, { kind: 'note', agentId: agent.id, toAgentId: null, body, now: Date.now() }) };
    });
    await this.audit?.record({ agentId: agent.id, action: 'conversation.note_added', conversationId });
    this.events.emit('note', { conversation, note });
    return note;
  }

  async notes(agent: AgentDto, conversationId: string): Promise<NoteDto[]> {
    const c = await findConversation(this.db, conversationId);
    if (!c) throw new DomainError('not_found', 'Conversation not found.');
    const action = readAccess(agent, c, 'open');
    const notes = (await listNotes(this.db, conversationId)).map((n) => this.openNote(n));
    if (action) await this.audit?.record({ agentId: agent.id, action, conversationId });
    return notes;
  }

  /** A note by id with its conversation, decrypted (for delivery to the holder's sockets). */
  async loadNote(noteId: string): Promise<{ conversation: ConversationRow; note: NoteDto } | undefined> {
    const n = await findNote(this.db, noteId);
    const conversation = n && (await findConversation(this.db, n.conversation_id));
    return n && conversation ? { conversation, note: this.openNote(n) } : undefined;
  }

  /** The holder hands the conversation to a named colleague or back to the queue, with a note. */
  transfer(agent: AgentDto, conversationId: string, input: TransferInput): Promise<ConversationSummaryDto> {
    return this.move(agent, conversationId, input, 'holder');
  }

  /** A supervisor moves a conversation they need not hold: to a colleague, to themselves (take over) or to the queue. */
  reassign(agent: AgentDto, conversationId: string, input: TransferInput): Promise<ConversationSummaryDto> {
    return this.move(agent, conversationId, input, 'supervisor');
  }

  private async move(agent: AgentDto, conversationId: string, input: TransferInput, as: 'holder' | 'supervisor'): Promise<ConversationSummaryDto> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      const c = await findConversation(trx, conversationId);
      authorize(agent, as === 'holder' ? 'write' : 'reassign', c);
      const before = c as ConversationRow;
      const now = Date.now();
      let toAgentId: string | null = null;
      let event: SystemEvent;
      if (input.to.kind === 'agent') {
        toAgentId = input.to.agentId;
        if (toAgentId === before.agent_id) throw new DomainError('bad_request', 'This counsellor holds the conversation already.');
        const target = await findColleague(trx, toAgentId);
        if (!target || target.disabled_at !== null || (target.role !== 'counsellor' && target.role !== 'admin')) throw new DomainError('agent_unavailable', REFUSAL_TEXT.agent_unavailable);
        // A supervisor taking a conversation over themselves is there to answer it.
        if (!(as === 'supervisor' && toAgentId === agent.id)) await this.assertCanTake(trx, toAgentId, as === 'holder' ? 'colleague' : 'supervisor', now);
        if (!(await moveToHolder(trx, conversationId, before.status === 'waiting' ? null : before.agent_id, toAgentId, now))) throw new DomainError('conversation_taken', 'The conversation changed meanwhile. Please look again.');
        event = before.status === 'waiting' ? 'claimed' : 'transferred';
      } else {
        if (before.status === 'waiting') throw new DomainError('bad_request', 'The conversation is in the queue already.');
        if (!(await moveToQueue(trx, conversationId, before.agent_id, input.to.language ?? before.language))) throw new DomainError('conversation_taken', 'The conversation changed meanwhile. Please look again.');
        event = 'requeued';
      }
      const after = (await findConversation(trx, conversationId))!;
      const note = await this.writeNote(trx, after, { kind: 'handover', agentId: agent.id, toAgentId, body: input.note ?? '', now });
      const system = await this.appendSystem(trx, conversationId, event, agent.id, now);
      return { ...system, note, fromAgentId: before.agent_id, event };
    });
    await this.audit?.record({
      agentId: agent.id,
      action: as === 'holder' ? 'conversation.transferred' : 'conversation.reassigned',
      conversationId,
      ...(outcome.note.toAgentId ? { targetAgentId: outcome.note.toAgentId } : {}),
      details: { to: outcome.note.toAgentId ? 'agent' : 'queue', from: outcome.fromAgentId === agent.id ? 'self' : outcome.fromAgentId ? 'colleague' : 'queue' },
    });
    const change: ConversationChange = outcome.event === 'requeued' ? 'requeued' : outcome.event === 'claimed' ? 'claimed' : 'transferred';
    this.events.emit('changed', { conversation: outcome.conversation, change });
    this.events.emit('message', { conversation: outcome.conversation, message: outcome.message });
    this.events.emit('note', { conversation: outcome.conversation, note: outcome.note, handover: true });
    return summaryFor(agent, await this.summary(conversationId));
  }

  /**
   * Nothing stays with nobody: active conversations whose holder has been away (set away, or not
   * connected) since before `cutoff`, is disabled, or is missing go back to the queue. Each move is
   * a compare-and-set, so processes running this at once move each conversation once.
   */
  async requeueStranded(cutoff: number, batch = 100): Promise<number> {
    let moved = 0;
    for (const stranded of await findStrandedConversations(this.db, cutoff, batch)) {
      const outcome = await this.db.transaction().execute(async (trx) => {
        const c = await findConversation(trx, stranded.id);
        if (!c || !(await moveToQueue(trx, c.id, stranded.agent_id, c.language))) return undefined;
        return this.appendSystem(trx, c.id, 'requeued', null, Date.now());
      });
      if (!outcome) continue;
      moved++;
      await this.audit?.record({ agentId: null, action: 'conversation.requeued', conversationId: stranded.id, ...(stranded.agent_id ? { targetAgentId: stranded.agent_id } : {}), details: { reason: 'away' } });
      this.events.emit('changed', { conversation: outcome.conversation, change: 'requeued' });
      this.events.emit('message', { conversation: outcome.conversation, message: outcome.message });
    }
    return moved;
  }

  /** The holder tags the conversation with topics from the managed list (archived ones are refused). */
  async setTopics(agent: AgentDto, conversationId: string, topicIds: string[]): Promise<ConversationSummaryDto> {
    const ids = [...new Set(topicIds)];
    const conversation = await this.db.transaction().execute(async (trx) => {
      const c = await findConversation(trx, conversationId);
      authorize(agent, 'tag', c);
      if ((await countOfferedTopics(trx, ids)) !== ids.length) throw new DomainError('bad_request', 'Unknown or archived topic.', ['topicIds: unknown or archived topic']);
      await replaceConversationTopics(trx, conversationId, ids);
      return c as ConversationRow;
    });
    await this.audit?.record({ agentId: agent.id, action: 'conversation.topics_set', conversationId, details: { topics: ids.length } });
    this.events.emit('changed', { conversation, change: 'topics' });
    return summaryFor(agent, await this.summary(conversationId));
  }

  /** "Delete my data": every conversation, message and the visitor row itself, in one transaction. */
  async deleteVisitor(visitorId: string): Promise<string[]> {
    const conversationIds = await this.db.transaction().execute(async (trx) => {
      const ids = await listConversationIdsOfVisitor(trx, visitorId);
      await deleteVisitorCascade(trx, visitorId);
      return ids;
    });
    await this.audit?.record({ agentId: null, action: 'visitor.deleted_self', details: { conversations: conversationIds.length } });
    // Gone from the files before the visitor hears "deleted".
    await this.erase();
    this.events.emit('deleted', { conversationIds, visitorId, reason: 'visitor' });
    return conversationIds;
  }

  /** An admin deletes one conversation (e.g. on a visitor's request by other means). */
  async deleteByAdmin(agent: AgentDto, conversationId: string): Promise<void> {
    if (agent.role !== 'admin') throw new DomainError('forbidden', 'Only admins can delete conversations.');
    const c = await findConversation(this.db, conversationId);
    if (!c) throw new DomainError('not_found', 'Conversation not found.');
    await this.db.transaction().execute((trx) => deleteConversationCascade(trx, conversationId));
    await this.audit?.record({ agentId: agent.id, action: 'conversation.deleted', conversationId });
    await this.erase();
    this.events.emit('deleted', { conversationIds: [conversationId], reason: 'admin' });
  }

  /**
   * Retention: deletes closed conversations closed before `cutoff` and visitors inactive since then
   * (with everything they wrote), in batches so the writer lock is never held for long.
   */
  async deleteExpired(cutoff: number, batch = 200): Promise<{ conversations: number; visitors: number }> {
    let conversations = 0;
    let visitors = 0;
    for (;;) {
      const rows = await findConversationsClosedBefore(this.db, cutoff, batch);
      if (rows.length === 0) break;
      await this.db.transaction().execute(async (trx) => {
        for (const r of rows) await deleteConversationCascade(trx, r.id);
      });
      conversations += rows.length;
      this.events.emit('deleted', { conversationIds: rows.map((r) => r.id), reason: 'retention' });
    }
    for (;;) {
      const ids = await findVisitorsInactiveSince(this.db, cutoff, batch);
      if (ids.length === 0) break;
      const gone = await this.db.transaction().execute(async (trx) => {
        const all: string[] = [];
        for (const id of ids) {
          all.push(...(await listConversationIdsOfVisitor(trx, id)));
          await deleteVisitorCascade(trx, id);
        }
        return all;
      });
      visitors += ids.length;
      conversations += gone.length;
      for (const id of ids) this.events.emit('deleted', { conversationIds: [], visitorId: id, reason: 'retention' });
      if (gone.length) this.events.emit('deleted', { conversationIds: gone, reason: 'retention' });
    }
    return { conversations, visitors }; // the retention job records the run in the audit log
  }

  private async read(c: ConversationRow, by: 'visitor' | 'agent', seq: number): Promise<void> {
    if (!(await markRead(this.db, c.id, by, seq))) return;
    const updated = (await findConversation(this.db, c.id))!;
    const readSeq = Number(by === 'visitor' ? updated.visitor_read_seq : updated.agent_read_seq);
    this.events.emit('read', { conversation: updated, by, seq: readSeq });
  }

  private async appendSystem(trx: Db, conversationId: string, event: SystemEvent | CallRecordBody, agentId: string | null, now: number): Promise<{ message: MessageDto; conversation: ConversationRow }> {
    const { message, conversation } = await this.append(trx, conversationId, { author: 'system', agentId, clientId: null, body: event, now });
    return { message: toMessageDto({ ...message, agent_name: null }), conversation };
  }
}
