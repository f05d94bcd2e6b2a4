import {
  CALLBACK_FINAL_OUTCOMES,
  callbackDueAt,
  checkCallbackRequest,
  type AgentDto,
  type CallbackDto,
  type CallbackEnd,
  type LanguageCode,
  type MessageDto,
  type SiteDto,
  type SystemEvent,
  type VisitorCallbackDto,
} from '@direturn/protocol';
import { phone } from '@direturn/protocol/phone-max';
import type { CallbackOutcomeInput, VisitorCallbackFrame } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import type { EphemeralStore } from '../cluster/ephemeral-store.js';
import { findLatestConversationOfVisitor } from '../conversations/conversation.repository.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import type { Db } from '../db/database.js';
import type { Keyring } from '../security/keyring.js';
import { DomainError, RateLimitedError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { openingState } from '../sites/opening-hours.js';
import type { VisitorRow } from '../visitors/visitor.table.js';
import { canRelease, canWorkCallbacks, seesNote, seesNumber } from './callback.policy.js';
import { toCallbackDto, toVisitorCallbackDto } from './callback.presenter.js';
import {
  claimCallback,
  closeCallback,
  expireCallback,
  findCallback,
  findCallbackByRequest,
  findNumbersEndedBefore,
  findOpenCallbackOfVisitor,
  insertCallback,
  listCallbacks,
  releaseCallback,
  type CallbackWithNames,
} from './callback.repository.js';

const DAY_MS = 86_400_000;
/** Requests a visitor may make: 3 at once, then one every 20 minutes (across processes). */
const PER_VISITOR = { perMinute: 1 / 20, burst: 3 };
/** Callbacks a visitor is shown: the open one and the latest handled ones. */
const VISITOR_LIST = 5;

export interface CallbackEvents extends Record<string, unknown> {
  /** A callback was requested, claimed, released or handled (or expired): the transports tell visitor and consoles. */
  changed: { callbackId: string; conversationId: string };
}

type Announce = { message: MessageDto; conversation: ConversationRow } | undefined;

/**
 * Callback requests: a visitor leaves a number, a language and time windows; counsellors claim a
 * request (one at a time), call and record the outcome. Sealed like messages: the number (only the
 * claimer reads it), the topic, the note. The number and the topic are deleted when the callback is
 * done, or by retention DIRETURN_CALLBACK_RETENTION_DAYS after its last window; the conversation
 * gets system messages without them.
 */
export class CallbackService {
  readonly events = new TypedEmitter<CallbackEvents>();

  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly conversations: ConversationService,
    private readonly store: Pick<EphemeralStore, 'rate'>,
    /** `requestsPerHour`: per address (salted client key), also the burst. */
    private readonly opts: { retentionDays: number; requestsPerHour: number },
    private readonly audit?: AuditService,
  ) {}

  // ---- sealing ----
  private open(value: string | null, aad: string): string | null {
    return value === null ? null : this.keyring.open(value, aad);
  }

  private dto(agent: AgentDto | null, r: CallbackWithNames): CallbackDto {
    const number = agent && seesNumber(agent, r) ? this.open(r.phone, `callback-phone:${r.id}`) : null;
    return toCallbackDto(r, {
      phone: number,
      phoneDisplay: number === null ? null : phone.formatInternational(number),
      topic: this.open(r.topic, `callback-topic:${r.id}`),
      note: agent && seesNote(agent, r) ? this.open(r.note, `callback-note:${r.id}`) : null,
    });
  }

  private changed(r: { id: string; conversation_id: string }): void {
    this.events.emit('changed', { callbackId: r.id, conversationId: r.conversation_id });
  }

  private async found(agent: AgentDto, id: string): Promise<CallbackWithNames> {
    if (!canWorkCallbacks(agent)) throw new DomainError('forbidden', 'Only counsellors and admins work on callbacks.');
    const r = await findCallback(this.db, id);
    if (!r) throw new DomainError('not_found', 'Callback not found.');
    return r;
  }

  /**
   * The system message of a handled callback goes to the visitor's current conversation (the
   * callback's own unless they began a new one since): the widget shows one conversation.
   */
  private async systemNote(trx: Db, r: CallbackWithNames, event: SystemEvent, agentId: string | null, now: number): Promise<Announce> {
    const latest = await findLatestConversationOfVisitor(trx, r.visitor_id);
    return this.conversations.systemEvent(trx, latest?.id ?? r.conversation_id, event, agentId, now);
  }

  // ---- the visitor ----

  /**
   * A visitor asks for a call back: checked (the same rule as the widget's, with the strict phone
   * metadata), limited per visitor and per address, stored with the visitor's conversation (a new
   * one if they have none) and a system message, in one transaction. A resend of the same request
   * is answered with the list as it is.
   */
  async request(
    visitor: VisitorRow,
    site: SiteDto,
    frame: VisitorCallbackFrame,
    ctx: { clientKey: string; pageUrl?: string | undefined; admitNew?: () => Promise<number> },
    now = Date.now(),
  ): Promise<VisitorCallbackDto[]> {
    if (await findCallbackByRequest(this.db, visitor.id, frame.requestId)) return this.visitorList(visitor.id);
    const checked = checkCallbackRequest(frame, { now, phone: phone.check });
    if (checked.issues.length || !checked.e164 || !checked.windows) {
      throw new DomainError(
        'callback_invalid',
        'Some fields of the callback request are not right.',
        checked.issues.map((i) => `${i.path}: ${i.code}`),
      );
    }
    if (await findOpenCallbackOfVisitor(this.db, visitor.id)) throw new DomainError('callback_pending', 'You have asked for a call back already. We will call you.');
    const perClient = { perMinute: this.opts.requestsPerHour / 60, burst: this.opts.requestsPerHour };
    for (const [key, limit] of [[`callback:visitor:${visitor.id}`, PER_VISITOR], [`callback:client:${ctx.clientKey}`, perClient]] as const) {
      const wait = await this.store.rate(key, limit.perMinute, limit.burst);
      if (wait > 0) throw new RateLimitedError('Too many callback requests. Please try again later.', wait);
    }
    const hours = openingState(site.openingHours, site.timeZone, now);
    const id = newId();
    const windows = checked.windows;
    const e164 = checked.e164;
    const topic = frame.topic?.trim() ? frame.topic.trim() : null;
    const outcome = await this.db.transaction().execute(async (trx) => {
      const { conversation, created } = await this.conversations.openFor(trx, visitor, { language: visitor.language as LanguageCode, pageUrl: ctx.pageUrl, admitNew: ctx.admitNew }, now);
      await insertCallback(trx, {
        id,
        conversation_id: conversation.id,
        request_id: frame.requestId,
        status: 'waiting',
        outcome: null,
        last_attempt: null,
        attempts: 0,
        phone: this.keyring.seal(e164, `callback-phone:${id}`),
        language: frame.language,
        windows: JSON.stringify(windows),
        time_zone: frame.timeZone,
        due_at: callbackDueAt(windows, now),
        last_window_end: Math.max(...windows.map((w) => w.end)),
        topic: topic === null ? null : this.keyring.seal(topic, `callback-topic:${id}`),
        note: null,
        agent_id: null,
        created_at: now,
        claimed_at: null,
        closed_at: null,
        calls_from: hours.open ? null : hours.nextOpen,
      });
      const system = await this.conversations.systemEvent(trx, conversation.id, 'callback_requested', null, now);
      return { system, created, conversationId: conversation.id };
    });
    this.conversations.announce(outcome.system, outcome.created);
    this.changed({ id, conversation_id: outcome.conversationId });
    return this.visitorList(visitor.id);
  }

  /** The visitor's callbacks: the open one and the latest handled ones, newest first. Never the number. */
  async visitorList(visitorId: string): Promise<VisitorCallbackDto[]> {
    const rows = await this.db
      .selectFrom('callbacks as cb')
      .innerJoin('conversations as c', 'c.id', 'cb.conversation_id')
      .leftJoin('agents as a', 'a.id', 'cb.agent_id')
      .selectAll('cb')
      .select(['c.visitor_id', 'a.name as agent_name'])
      .where('c.visitor_id', '=', visitorId)
      .orderBy('cb.created_at', 'desc')
      .limit(VISITOR_LIST)
      .execute();
    return rows.map(toVisitorCallbackDto);
  }

  // ---- counsellors ----

  async list(agent: AgentDto, filter: 'open' | 'mine' | 'closed'): Promise<CallbackDto[]> {
    if (!canWorkCallbacks(agent)) throw new DomainError('forbidden', 'Only counsellors and admins work on callbacks.');
    // The list never carries a number: it comes with the claim, to the claimer.
    return (await listCallbacks(this.db, filter, agent.id)).map((r) => this.dto(null, r));
  }

  /** One callback; the number only to the counsellor who claimed it. */
  async get(agent: AgentDto, id: string): Promise<CallbackDto> {
    return this.dto(agent, await this.found(agent, id));
  }

  /** Takes a waiting callback. Of two counsellors clicking at once exactly one wins; the other gets `callback_taken`. */
  async claim(agent: AgentDto, id: string): Promise<CallbackDto> {
    const before = await this.found(agent, id);
    if (!(await claimCallback(this.db, id, agent.id, Date.now()))) {
      const now = await findCallback(this.db, id);
      if (!now) throw new DomainError('not_found', 'Callback not found.');
      if (now.status === 'closed') throw new DomainError('bad_request', 'This callback is handled already.');
      throw new DomainError('callback_taken', 'Another counsellor has already taken this callback.');
    }
    await this.audit?.record({ agentId: agent.id, action: 'callback.claimed', conversationId: before.conversation_id });
    this.changed(before);
    return this.get(agent, id);
  }

  /** Gives a claimed callback back to the list (the holder; an admin for a holder who left). */
  async release(agent: AgentDto, id: string): Promise<CallbackDto> {
    const r = await this.found(agent, id);
    if (!canRelease(agent, r) || !(await releaseCallback(this.db, id, r.agent_id!))) throw new DomainError('bad_request', 'Only a callback you have can be given back.');
    await this.audit?.record({ agentId: agent.id, action: 'callback.released', conversationId: r.conversation_id, ...(r.agent_id !== agent.id && r.agent_id ? { targetAgentId: r.agent_id } : {}) });
    this.changed(r);
    return this.get(agent, id);
  }

  /**
   * The outcome of a call, by the counsellor who has the callback, with a note (sealed). `not_reached`
   * puts it back in the list with the number; the others finish it and delete the number and the
   * topic in the same UPDATE. The conversation gets the outcome as a system message.
   */
  async recordOutcome(agent: AgentDto, id: string, input: CallbackOutcomeInput): Promise<CallbackDto> {
    const r = await this.found(agent, id);
    if (r.status !== 'claimed' || r.agent_id !== agent.id) throw new DomainError('forbidden', 'Claim the callback before you record how the call went.');
    const now = Date.now();
    const note = input.note ? this.keyring.seal(input.note, `callback-note:${id}`) : r.note;
    const final = CALLBACK_FINAL_OUTCOMES.includes(input.outcome);
    const announce = await this.db.transaction().execute(async (trx) => {
      const moved = final
        ? await closeCallback(trx, id, agent.id, { outcome: input.outcome as CallbackEnd, last_attempt: input.outcome, note, closed_at: now })
        : await releaseCallback(trx, id, agent.id, { attempts: Number(r.attempts) + 1, last_attempt: input.outcome, note });
      if (!moved) throw new DomainError('callback_taken', 'The callback changed meanwhile. Please look again.');
      return this.systemNote(trx, r, `callback_${input.outcome}`, agent.id, now);
    });
    if (announce) this.conversations.announce(announce);
    // The number is gone from the table: out of the WAL too.
    if (final) await this.conversations.erase();
    // The outcome, never the number or the note.
    await this.audit?.record({ agentId: agent.id, action: 'callback.outcome', conversationId: r.conversation_id, details: { outcome: input.outcome } });
    this.changed(r);
    return this.get(agent, id);
  }

  // ---- transports ----

  /** What the transports send when a callback changed: the visitor's list and the consoles' row (without number or note). */
  async forDelivery(callbackId: string): Promise<{ visitorId: string; visitor: VisitorCallbackDto[]; agent: CallbackDto } | undefined> {
    const r = await findCallback(this.db, callbackId);
    if (!r) return undefined;
    return { visitorId: r.visitor_id, visitor: await this.visitorList(r.visitor_id), agent: this.dto(null, r) };
  }

  // ---- retention ----

  /**
   * Deletes the numbers (and topics) of callbacks whose last window ended more than
   * DIRETURN_CALLBACK_RETENTION_DAYS ago; an unfinished one is closed as `expired`, with a system
   * message. Returns how many numbers were deleted.
   */
  async purgeNumbers(now = Date.now(), batch = 200): Promise<number> {
    const cutoff = now - this.opts.retentionDays * DAY_MS;
    let deleted = 0;
    // A row changed meanwhile is tried again in the next pass, but never twice in this one.
    const tried = new Set<string>();
    for (;;) {
      const due = (await findNumbersEndedBefore(this.db, cutoff, batch + tried.size)).filter((d) => !tried.has(d.id));
      if (due.length === 0) return deleted;
      for (const d of due) {
        tried.add(d.id);
        const r = await findCallback(this.db, d.id);
        if (!r) continue;
        const done = await this.db.transaction().execute(async (trx) => {
          const expired = await expireCallback(trx, d.id, now);
          if (!expired) return undefined;
          return { announce: expired.closed ? await this.systemNote(trx, r, 'callback_expired', null, now) : undefined };
        });
        if (!done) continue;
        deleted++;
        if (done.announce) this.conversations.announce(done.announce);
        this.changed(r);
      }
    }
  }
}
