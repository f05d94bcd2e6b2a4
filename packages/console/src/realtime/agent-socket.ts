/**
 * The console's connection to `/ws/agent`, an adapter of the shared client core
 * (`@direturn/protocol/client`: reconnect with full-jitter backoff, keep-alive, outbox, seen ids,
 * sequence tracking). Independent of Lit so it can be tested with a fake WebSocket: it keeps
 * every `send` until the server acknowledges it (resending it with the same clientId after a
 * reconnect, which the server answers with the same ack), asks for missed messages of the open
 * conversation with `sync`, and drops messages it has seen.
 */
import { CLOSE_CODES } from '@direturn/protocol';
import type { AgentCallFrame, AgentDto, AgentFrame, AgentServerFrame, ErrorFrame, MessageDto } from '@direturn/protocol';
import { Outbox, SeenIds, SeqTracker, SocketCore, newClientId, type ClientState, type SocketConstructor, type SocketLike } from '@direturn/protocol/client';

export { backoffDelay, newClientId } from '@direturn/protocol/client';

export type SocketState = ClientState;

/** The part of the WebSocket API the class uses; the browser's WebSocket satisfies it. */
export type WebSocketLike = SocketLike;
export type WebSocketConstructor = SocketConstructor;

export interface AgentSocketOptions {
  /** Absolute ws(s) URL; defaults to `/ws/agent` on the page's origin. */
  url?: string;
  WebSocket?: WebSocketConstructor;
  /** Interval of application-level pings (ms). */
  pingIntervalMs?: number;
  /** A connection with no frame this long after a ping is considered dead (ms). */
  deadAfterMs?: number;
  /** First reconnect delay cap (ms); doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Source of randomness for the jitter, in [0, 1). */
  random?: () => number;
}

/** A reply that has not been acknowledged yet. */
export interface PendingSend {
  conversationId: string;
  clientId: string;
  body: string;
  createdAt: number;
}

export interface AgentSocketEventMap {
  state: CustomEvent<SocketState>;
  ready: CustomEvent<AgentDto>;
  /** Every frame after dedupe of messages (message, synced and ack frames carry only new messages). */
  frame: CustomEvent<AgentServerFrame>;
  /** A message not seen before, from a `message`, `synced` or `ack` frame. */
  message: CustomEvent<MessageDto>;
  ack: CustomEvent<{ clientId: string; message: MessageDto }>;
  /** The server refused a `send` (ErrorFrame with `ref`); it is dropped from the outbox. */
  'send-error': CustomEvent<{ pending: PendingSend; error: ErrorFrame }>;
  outbox: CustomEvent<readonly PendingSend[]>;
  /** The server closed the socket with 4401 (logout elsewhere, revoked, disabled): no reconnect. */
  'session-ended': CustomEvent<null>;
}

/** Close code of a socket whose session ended. */
export const SESSION_ENDED_CLOSE_CODE = CLOSE_CODES.sessionEnded;

export function defaultAgentSocketUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/agent`;
}

export class AgentSocket extends SocketCore {
  private readonly pending = new Outbox<PendingSend>([], (items) => this.emit('outbox', items));
  private readonly seen = new SeenIds();
  private readonly seq = new SeqTracker();
  private openConversation: string | null = null;
  private _agent: AgentDto | null = null;

  constructor(options: AgentSocketOptions = {}) {
    super({
      url: options.url ?? defaultAgentSocketUrl(),
      WebSocket: options.WebSocket,
      random: options.random,
      backoffBaseMs: options.baseDelayMs ?? 1_000,
      backoffCapMs: options.maxDelayMs ?? 30_000,
      pingIntervalMs: options.pingIntervalMs,
      deadAfterMs: options.deadAfterMs,
    });
  }

  protected onOpen(): void {
    // `online` only after the server's `ready`, which authenticates the socket: wait for it no longer than for a pong.
    this.armDead();
  }

  protected onClose(code: number): number | false {
    if (code !== SESSION_ENDED_CLOSE_CODE) return 0;
    this.emit('session-ended', null);
    return false;
  }

  protected onState(state: SocketState): void {
    this.emit('state', state);
  }

  /** The agent from the latest `ready` frame. */
  get agent(): AgentDto | null {
    return this._agent;
  }

  /** Replies waiting for their ack, oldest first. */
  get outbox(): readonly PendingSend[] {
    return this.pending.items;
  }

  /** How many reconnects in a row have failed so far (0 once `ready` arrives). */
  get failedAttempts(): number {
    return this.attempt;
  }

  clearOutbox(): void {
    this.pending.clear();
  }

  /** Queues a reply and sends it when possible; returns the clientId that names it. */
  send(conversationId: string, body: string): PendingSend {
    const item: PendingSend = { conversationId, clientId: newClientId(), body, createdAt: Date.now() };
    this.pending.add(item);
    if (this.state === 'online') this.transmit({ type: 'send', conversationId, clientId: item.clientId, body });
    return item;
  }

  /** Typing and read state are only worth sending live; they are dropped while offline. */
  typing(conversationId: string, active: boolean): void {
    if (this.state === 'online') this.transmit({ type: 'typing', conversationId, active });
  }

  read(conversationId: string, seq: number): void {
    if (this.state === 'online') this.transmit({ type: 'read', conversationId, seq });
  }

  /** A call frame (calls are live only: dropped while offline); false when it could not be sent. */
  sendCall(frame: AgentCallFrame): boolean {
    return this.state === 'online' && this.raw(frame);
  }

  /** The conversation on screen: after a reconnect the socket syncs it from `lastSeq`. */
  setOpenConversation(conversationId: string | null, lastSeq = 0): void {
    this.openConversation = conversationId;
    this.seq.reset(lastSeq);
  }

  /** Marks messages as already known (e.g. loaded over REST) so the socket will not report them again. */
  markSeen(messages: readonly MessageDto[]): void {
    for (const m of messages) this.seen.fresh(m.id);
  }

  override addEventListener<K extends keyof AgentSocketEventMap>(
    type: K,
    listener: (ev: AgentSocketEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof AgentSocketEventMap>(
    type: K,
    listener: (ev: AgentSocketEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  // ---- internals ----

  protected onFrame(frame: AgentServerFrame): void {
    switch (frame.type) {
      case 'ready':
        this._agent = frame.agent;
        this.accepted();
        this.emit('ready', frame.agent);
        this.afterReady();
        break;
      case 'message': {
        if (!this.track(frame.message)) return;
        this.emit('frame', frame);
        this.emit('message', frame.message);
        return;
      }
      case 'synced': {
        const fresh = frame.messages.filter((m) => this.track(m));
        this.emit('frame', { ...frame, messages: fresh });
        for (const m of fresh) this.emit('message', m);
        return;
      }
      case 'ack': {
        this.pending.remove(frame.clientId);
        const fresh = this.track(frame.message);
        this.emit('frame', frame);
        this.emit('ack', { clientId: frame.clientId, message: frame.message });
        if (fresh) this.emit('message', frame.message);
        return;
      }
      case 'error': {
        const pending = frame.ref ? this.pending.remove(frame.ref) : undefined;
        if (pending) this.emit('send-error', { pending, error: frame });
        break;
      }
      default:
        break;
    }
    this.emit('frame', frame);
  }

  private afterReady(): void {
    for (const item of this.pending.items) {
      this.transmit({ type: 'send', conversationId: item.conversationId, clientId: item.clientId, body: item.body });
    }
    const open = this.openConversation;
    if (open) this.transmit({ type: 'sync', conversationId: open, afterSeq: this.seq.last });
  }

  /** Remembers a message; false when it was seen before. */
  private track(message: MessageDto): boolean {
    if (!this.seen.fresh(message.id)) return false;
    // A console stays open all day: remember the latest 5,000 ids only (Sets iterate oldest first).
    if (this.seen.size > 5000) this.seen.delete(this.seen.values().next().value!);
    if (message.conversationId === this.openConversation) this.seq.add(message.seq);
    return true;
  }

  private transmit(frame: AgentFrame): void {
    this.raw(frame);
  }

  private emit<K extends keyof AgentSocketEventMap>(type: K, detail: AgentSocketEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
