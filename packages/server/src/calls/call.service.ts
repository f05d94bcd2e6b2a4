import { randomBytes } from 'node:crypto';
import { CALL_TIMINGS, type AgentDto, type CallDto, type CallEndReason, type CallMedia, type IceConfigDto } from '@direturn/protocol';
import type { AuditService } from '../audit/audit.service.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import { may } from '../conversations/conversation.policy.js';
import { DomainError, RateLimitedError } from '../shared/errors.js';
import { TypedEmitter } from '../shared/events.js';
import type { EphemeralStore } from '../cluster/ephemeral-store.js';
import { CallStore, type CallRecord, type CallSide, type LoadedCall } from './call.store.js';
import type { IceServers } from './ice.js';

/** Who acts on a call: the conversation's visitor, or a counsellor. */
export type CallParty = { side: 'visitor'; visitorId: string } | { side: 'agent'; agent: AgentDto };

export interface CallEvents extends Record<string, unknown> {
  /** A call was offered, accepted or ended: both sides get its state. */
  changed: { call: CallDto; record: CallRecord };
}

/** Offers a counsellor may make per minute (a mistaken double click is fine, a flood is not). */
const OFFERS_PER_MINUTE = 10;

const BUSY = 'A call is already under way here. End it first.';
const OVER = 'This call is over.';

/**
 * The rules of a call, apart from how its frames travel (realtime/call-relay.ts): only the holder
 * of an active conversation offers, to that conversation's visitor; one call per conversation and
 * per counsellor; only the visitor accepts; either side ends it; the server ends it when an offer
 * is not answered, when a side is gone longer than the grace period, and when the conversation is
 * closed, handed over or deleted. At the end the conversation records the kind and length of a
 * call that took place (a system message) and the audit log records who offered and how it ended.
 */
export class CallService {
  readonly events = new TypedEmitter<CallEvents>();
  private readonly calls: CallStore;
  private readonly offerTimeoutMs: number;
  private readonly off: Array<() => void>;

  constructor(
    private readonly store: EphemeralStore,
    private readonly conversations: ConversationService,
    readonly ice: IceServers,
    private readonly audit: AuditService | undefined,
    opts: { graceMs: number; offerTimeoutMs?: number },
  ) {
    this.calls = new CallStore(store, opts.graceMs);
    this.offerTimeoutMs = opts.offerTimeoutMs ?? CALL_TIMINGS.offerTimeoutMs;
    const fail = (_err: unknown) => undefined; // best effort: the grace and the timeouts end it otherwise
    // A call belongs to its conversation and its holder: when either changes, the call is over.
    this.off = [
      conversations.events.on('changed', (e) => {
        if (e.change === 'closed' || e.change === 'transferred' || e.change === 'requeued') void this.endForConversation(e.conversation.id).catch(fail);
      }),
      conversations.events.on('deleted', (e) => {
        for (const id of e.conversationIds) void this.endForConversation(id).catch(fail);
      }),
    ];
  }

  stop(): void {
    for (const off of this.off) off();
  }

  /** The counsellor holding an active conversation offers its visitor a call. */
  async offer(agent: AgentDto, conversationId: string, media: CallMedia): Promise<CallDto> {
    const c = await this.conversations.row(conversationId);
    if (!c || !may(agent, 'view', c)) throw new DomainError('not_found', 'Conversation not found.');
    if (!may(agent, 'write', c)) throw new DomainError('forbidden', 'Only the counsellor holding an open conversation can call its visitor.');
    // A call needs the visitor's browser: conversations that came through a messenger have none.
    if (c.channel !== 'widget') throw new DomainError('bad_request', 'Calls are possible only in conversations of the chat widget.');
    const wait = await this.store.rate(`call-offer:${agent.id}`, OFFERS_PER_MINUTE, 5);
    if (wait > 0) throw new RateLimitedError('Too many calls offered at once. Please wait a moment.', wait);
    const record: CallRecord = { id: randomBytes(12).toString('base64url'), conversationId, visitorId: c.visitor_id, agentId: agent.id, media, offeredAt: Date.now() };
    if (!(await this.calls.claim('agent', agent.id, record.id))) throw new DomainError('call_busy', BUSY);
    if (!(await this.calls.claim('conversation', conversationId, record.id))) {
      await this.calls.release('agent', agent.id, record.id);
      throw new DomainError('call_busy', BUSY);
    }
    await this.calls.create(record);
    await this.calls.here(record.id, 'agent');
    await this.audit?.record({ agentId: agent.id, action: 'call.offered', conversationId, details: { media } });
    return this.changed(record.id);
  }

  /** The visitor accepts, as offered or (a video offer) as a voice call. */
  async accept(visitorId: string, callId: string, media: CallMedia): Promise<CallDto> {
    const { record, dto } = await this.partOf({ side: 'visitor', visitorId }, callId);
    if (dto.state === 'ended') throw new DomainError('not_found', OVER);
    if (dto.state === 'accepted') return dto;
    const taken: CallMedia = record.media === 'video' && media === 'video' ? 'video' : 'voice';
    await this.calls.accept(callId, Date.now(), taken);
    await this.calls.here(callId, 'visitor');
    return this.changed(callId);
  }

  /** The visitor says no (`blocked`: their page or browser does not allow the microphone). */
  async decline(visitorId: string, callId: string, reason: 'declined' | 'blocked' | 'failed'): Promise<void> {
    const { dto } = await this.partOf({ side: 'visitor', visitorId }, callId);
    if (dto.state === 'accepted') return this.end(callId, reason === 'declined' ? 'hangup' : reason, 'visitor');
    if (dto.state === 'offered') return this.end(callId, reason, 'visitor');
  }

  /** Either side ends the call; before an answer, the counsellor withdraws the offer (the visitor declines). */
  async hangup(party: CallParty, callId: string, reason: 'hangup' | 'failed'): Promise<void> {
    const { dto } = await this.partOf(party, callId);
    if (dto.state === 'ended') return;
    const why: CallEndReason = dto.state === 'offered' && reason === 'hangup' ? (party.side === 'agent' ? 'cancelled' : 'declined') : reason;
    return this.end(callId, why, party.side);
  }

  /**
   * The call as one of its two sides may see it (signals, ICE servers, joining); not_found for
   * anyone else and for calls that are over or gone.
   */
  async authorize(party: CallParty, callId: string, opts: { accepted?: boolean } = {}): Promise<LoadedCall> {
    const loaded = await this.partOf(party, callId);
    if (loaded.dto.state === 'ended' || (opts.accepted && loaded.dto.state !== 'accepted')) throw new DomainError('not_found', OVER);
    return loaded;
  }

  /** ICE servers and fresh TURN credentials, for a side of a call that is not over. */
  async iceFor(party: CallParty, callId: string): Promise<IceConfigDto> {
    await this.authorize(party, callId);
    return this.ice.mint();
  }

  /** A socket of `side` holds this call's media: it counts as there for another grace period. */
  present(callId: string, side: CallSide): Promise<void> {
    return this.calls.here(callId, side);
  }

  load(callId: string): Promise<LoadedCall | undefined> {
    return this.calls.load(callId);
  }

  /** A conversation's call that is not over (for a visitor saying hello again). */
  async ofConversation(conversationId: string): Promise<LoadedCall | undefined> {
    const loaded = await this.calls.of('conversation', conversationId);
    return loaded && loaded.dto.state !== 'ended' ? loaded : undefined;
  }

  /** A counsellor's call that is not over (for a console that connects again). */
  async ofAgent(agentId: string): Promise<LoadedCall | undefined> {
    const loaded = await this.calls.of('agent', agentId);
    return loaded && loaded.dto.state !== 'ended' ? loaded : undefined;
  }

  /**
   * Ends what should end by now: an offer nobody answered in time, an offer whose counsellor is
   * gone, an accepted call one of whose sides has been gone longer than the grace period.
   * Returns false once the call is over (the caller stops watching it).
   */
  async check(callId: string, now = Date.now()): Promise<boolean> {
    const loaded = await this.calls.load(callId);
    if (!loaded || loaded.dto.state === 'ended') return false;
    const { dto } = loaded;
    if (dto.state === 'offered') {
      if (now - dto.offeredAt >= this.offerTimeoutMs) await this.end(callId, 'unanswered', 'system');
      else if (!(await this.calls.isHere(callId, 'agent'))) await this.end(callId, 'lost', 'system');
      else return true;
      return false;
    }
    const [visitor, agent] = await Promise.all([this.calls.isHere(callId, 'visitor'), this.calls.isHere(callId, 'agent')]);
    if (visitor && agent) return true;
    await this.end(callId, 'lost', 'system');
    return false;
  }

  /** The conversation was closed, handed over or deleted: its call is over. */
  async endForConversation(conversationId: string): Promise<void> {
    const loaded = await this.calls.of('conversation', conversationId);
    if (loaded && loaded.dto.state !== 'ended') await this.end(loaded.record.id, 'closed', 'system');
  }

  /**
   * Ends a call once (of processes ending it at the same time, one wins): frees the conversation
   * and the counsellor for the next call, records a call that took place in its conversation
   * (kind and length, nothing else) and in the audit log, and tells both sides.
   */
  async end(callId: string, reason: CallEndReason, by: CallSide | 'system'): Promise<void> {
    const at = Date.now();
    if (!(await this.calls.end(callId, at, reason, by))) return;
    const loaded = await this.calls.load(callId);
    if (!loaded) return;
    const { record, dto } = loaded;
    await Promise.all([this.calls.release('conversation', record.conversationId, callId), this.calls.release('agent', record.agentId, callId)]);
    const seconds = dto.acceptedAt !== undefined && dto.acceptedAt <= at ? Math.round((at - dto.acceptedAt) / 1000) : undefined;
    if (seconds !== undefined) {
      // Gone with a deleted conversation: nothing to record in.
      await this.conversations.recordCall(record.conversationId, dto.acceptedMedia ?? record.media, seconds, record.agentId).catch(() => undefined);
    }
    await this.audit?.record({
      agentId: by === 'agent' ? record.agentId : null,
      action: 'call.ended',
      conversationId: record.conversationId,
      targetAgentId: record.agentId,
      details: { media: dto.acceptedMedia ?? record.media, reason, by, accepted: seconds !== undefined, ...(seconds !== undefined ? { seconds } : {}) },
    });
    this.events.emit('changed', { call: dto, record });
  }

  private async changed(callId: string): Promise<CallDto> {
    const loaded = await this.calls.load(callId);
    if (!loaded) throw new DomainError('not_found', OVER);
    this.events.emit('changed', { call: loaded.dto, record: loaded.record });
    return loaded.dto;
  }

  /** The call, when `party` is one of its two sides (else not_found, whatever the reason). */
  private async partOf(party: CallParty, callId: string): Promise<LoadedCall> {
    const loaded = await this.calls.load(callId);
    const mine = loaded && (party.side === 'visitor' ? loaded.record.visitorId === party.visitorId : loaded.record.agentId === party.agent.id);
    if (!loaded || !mine) throw new DomainError('not_found', 'No such call.');
    return loaded;
  }
}
