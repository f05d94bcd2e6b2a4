import type { CallDto, CallEndReason, CallMedia } from '@direturn/protocol';
import type { EphemeralStore } from '../cluster/ephemeral-store.js';

/**
 * Where calls live while they last: the installation's short-lived shared store (memory for one
 * process, Redis for several), never the database. A call is a few keys, each written once by the
 * one caller that wins it (`setIfAbsent`), so two processes cannot both accept or both end a call:
 *
 *   call:<id>                 the offer: ids, kind, time (fixed once written)
 *   call:<id>:accepted        when and how the visitor accepted
 *   call:<id>:ended           when, why and by whom it ended (kept a while, so late frames learn it)
 *   call:<id>:here:<side>     a side's socket is connected (refreshed while it is; expires after the grace)
 *   call-of:conversation:<id> the conversation's call; call-of:agent:<id> the counsellor's call
 *
 * Ids and times only: no names, no addresses, nothing said.
 */
export interface CallRecord {
  id: string;
  conversationId: string;
  visitorId: string;
  agentId: string;
  media: CallMedia;
  offeredAt: number;
}

export type CallSide = 'visitor' | 'agent';

interface Accepted { at: number; media: CallMedia }
interface Ended { at: number; reason: CallEndReason; by: CallSide | 'system' }

/** Longest a call's keys live (a call still going is refreshed well before). */
const CALL_TTL_MS = 12 * 3600_000;
/** How long an ended call is remembered (late frames, a reconnect after the end). */
const ENDED_TTL_MS = 15 * 60_000;

const k = {
  call: (id: string) => `call:${id}`,
  accepted: (id: string) => `call:${id}:accepted`,
  ended: (id: string) => `call:${id}:ended`,
  here: (id: string, side: CallSide) => `call:${id}:here:${side}`,
  ofConversation: (id: string) => `call-of:conversation:${id}`,
  ofAgent: (id: string) => `call-of:agent:${id}`,
};

const json = <T>(raw: string | undefined): T | undefined => {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
};

export interface LoadedCall {
  record: CallRecord;
  dto: CallDto;
}

export class CallStore {
  constructor(
    private readonly store: EphemeralStore,
    private readonly graceMs: number,
  ) {}

  async load(id: string): Promise<LoadedCall | undefined> {
    const record = json<CallRecord>(await this.store.get(k.call(id)));
    if (!record) return undefined;
    const [accepted, ended] = await Promise.all([this.store.get(k.accepted(id)).then(json<Accepted>), this.store.get(k.ended(id)).then(json<Ended>)]);
    const dto: CallDto = {
      id,
      conversationId: record.conversationId,
      media: record.media,
      state: ended ? 'ended' : accepted ? 'accepted' : 'offered',
      offeredAt: record.offeredAt,
      ...(accepted ? { acceptedMedia: accepted.media, acceptedAt: accepted.at } : {}),
      ...(ended ? { endedAt: ended.at, endReason: ended.reason, endedBy: ended.by } : {}),
    };
    return { record, dto };
  }

  /**
   * Claims `key` (a conversation's or a counsellor's one call) for `id`; a claim whose call is over
   * or gone is taken over. False when a live call holds it.
   */
  async claim(key: 'conversation' | 'agent', ownerId: string, id: string): Promise<boolean> {
    const slot = key === 'conversation' ? k.ofConversation(ownerId) : k.ofAgent(ownerId);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.store.setIfAbsent(slot, id, CALL_TTL_MS)) return true;
      const holder = await this.store.get(slot);
      if (holder === undefined) continue;
      const held = await this.load(holder);
      if (held && held.dto.state !== 'ended') return false;
      await this.store.delete(slot);
    }
    return false;
  }

  async release(key: 'conversation' | 'agent', ownerId: string, id: string): Promise<void> {
    const slot = key === 'conversation' ? k.ofConversation(ownerId) : k.ofAgent(ownerId);
    if ((await this.store.get(slot)) === id) await this.store.delete(slot);
  }

  /** The live call of a conversation or a counsellor, if any. */
  async of(key: 'conversation' | 'agent', ownerId: string): Promise<LoadedCall | undefined> {
    const id = await this.store.get(key === 'conversation' ? k.ofConversation(ownerId) : k.ofAgent(ownerId));
    return id ? this.load(id) : undefined;
  }

  async create(record: CallRecord): Promise<void> {
    await this.store.set(k.call(record.id), JSON.stringify(record), CALL_TTL_MS);
  }

  /** The visitor's acceptance; false when it was accepted before. */
  accept(id: string, at: number, media: CallMedia): Promise<boolean> {
    return this.store.setIfAbsent(k.accepted(id), JSON.stringify({ at, media } satisfies Accepted), CALL_TTL_MS);
  }

  /** Ends the call; true for the one caller that ended it. */
  async end(id: string, at: number, reason: CallEndReason, by: Ended['by']): Promise<boolean> {
    if (!(await this.store.setIfAbsent(k.ended(id), JSON.stringify({ at, reason, by } satisfies Ended), ENDED_TTL_MS))) return false;
    await Promise.all([this.store.delete(k.here(id, 'visitor')), this.store.delete(k.here(id, 'agent'))]);
    // The offer itself is kept only as long as the end is remembered.
    const record = await this.store.get(k.call(id));
    if (record !== undefined) await this.store.set(k.call(id), record, ENDED_TTL_MS);
    const accepted = await this.store.get(k.accepted(id));
    if (accepted !== undefined) await this.store.set(k.accepted(id), accepted, ENDED_TTL_MS);
    return true;
  }

  /** A side's socket is connected: it counts as there for one grace period. */
  here(id: string, side: CallSide): Promise<void> {
    return this.store.set(k.here(id, side), '1', this.graceMs);
  }

  async isHere(id: string, side: CallSide): Promise<boolean> {
    return (await this.store.get(k.here(id, side))) !== undefined;
  }
}
