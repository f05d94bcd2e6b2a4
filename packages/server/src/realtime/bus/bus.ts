import type { MessageDeliveryDto, MessageDto } from '@direturn/protocol';
import type { ConversationChange } from '../../conversations/conversation.service.js';
import type { ConversationRow } from '../../conversations/conversation.table.js';

/**
 * What one process tells the others. Ids, sequence numbers and states only: never message text,
 * page addresses or anything else a person wrote. Each process loads (and decrypts) what it
 * delivers to its own sockets. The one exception, a call's signalling, travels sealed.
 */
export type BusEvent =
  /**
   * `origin`: the connection that caused it (it gets an ack instead of an echo). Who it is for
   * (the visitor, the holder, every counsellor while it waits), so that a process holding none of
   * their sockets loads nothing; absent from an older process: load.
   */
  | { kind: 'message'; conversationId: string; seq: number; origin?: string; visitorId?: string; agentId?: string | null; waiting?: boolean }
  | { kind: 'changed'; conversationId: string; change: ConversationChange }
  | { kind: 'read'; conversationId: string; by: 'visitor' | 'agent'; seq: number; withMessage: boolean }
  | { kind: 'deleted'; conversationIds: string[]; visitorId?: string }
  | { kind: 'typing'; to: 'visitor' | 'agent'; targetId: string; conversationId: string; author: 'visitor' | 'agent'; active: boolean }
  /** Sessions ended: sockets opened with them close wherever they are. */
  | { kind: 'revoked'; agentId?: string; sessionId?: string }
  /** An agent's account changed (role, disabled, second factor) or a setting that admits sockets: re-check. */
  | { kind: 'recheck'; agentId?: string }
  /** How many counsellor sockets a process holds; `ask` asks the others to tell theirs. */
  | { kind: 'presence'; agents: number; ask?: boolean }
  /** Settings changed in the database: reload. */
  | { kind: 'settings' }
  /** A referral was created or changed: its visitor and counsellors get the new state. */
  | { kind: 'referral'; referralId: string; conversationId: string }
  /** A callback request was made or changed: its visitor and every console get the new state (never the number). */
  | { kind: 'callback'; callbackId: string; conversationId: string }
  /** An internal note was written (`handover`: with a change of holder): the holder's consoles load it. Never visitors. */
  | { kind: 'note'; conversationId: string; noteId: string; handover: boolean }
  /** The delivery of a reply on a channel moved: the holder's consoles load its state. */
  | { kind: 'delivery'; conversationId: string; messageId: string }
  /** A counsellor's availability or load limit changed: presence and their consoles follow. */
  | { kind: 'availability'; agentId: string }
  /** A visitor continued on another device (resume code): their other sockets are told and closed. */
  | { kind: 'resumed'; visitorId: string; except: string }
  /** A call was offered, accepted or ended: each process sends its state to the two sides' sockets it holds. */
  | { kind: 'call'; callId: string }
  /**
   * Signalling between the two sides of a call (SDP and ICE candidates hold network addresses):
   * sealed with the installation's key before it reaches Redis, delivered once, never stored.
   */
  | { kind: 'call-signal'; callId: string; to: 'visitor' | 'agent'; targetId: string; sealed: string };

/**
 * What the publishing process already holds in memory for its own deliveries (never sent
 * anywhere): the decrypted message and the rows as they were written.
 */
export interface LocalPayload {
  conversation?: ConversationRow;
  message?: MessageDto;
  delivery?: MessageDeliveryDto;
}

export interface BusEnvelope {
  /** The publishing process. */
  from: string;
  /** Its clock when publishing (ms), for the lag metric. */
  at: number;
  event: BusEvent;
}

export type BusHandler = (event: BusEvent, meta: { from: string; local?: LocalPayload; lagMs?: number }) => void;

/**
 * The port between processes. Publishing delivers to this process's own subscribers at once
 * (with the local payload) and to every other process of the installation (without it).
 * Delivery to other processes is at most once: a process that was away catches up from the
 * database (clients resume by sequence number), never from the bus.
 */
export interface Bus {
  readonly processId: string;
  publish(event: BusEvent, local?: LocalPayload): void;
  subscribe(handler: BusHandler): () => void;
  /** Throws when the bus cannot carry events now (readiness). */
  ping(): Promise<void>;
  /**
   * Called after the bus was interrupted and works again: events of the gap are lost, so whoever
   * holds sockets makes their clients catch up from the database.
   */
  onResumed(handler: () => void): void;
  close(): Promise<void>;
}
