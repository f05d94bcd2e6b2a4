/**
 * The console's connection to `/ws/agent`. Independent of Lit so it can be tested with a fake
 * WebSocket: it reconnects with exponential backoff and full jitter, pings every ~25 s and drops
 * a connection that stays silent, keeps every `send` until the server acknowledges it (resending
 * it with the same clientId after a reconnect, which the server answers with the same ack), asks
 * for missed messages of the open conversation with `sync`, and drops messages it has seen.
 */
import type { AgentDto, AgentFrame, AgentServerFrame, ErrorFrame, MessageDto } from '@direturn/protocol';

export type SocketState = 'connecting' | 'online' | 'offline';

/** The part of the WebSocket API the class uses; the browser's WebSocket satisfies it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

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
export const SESSION_ENDED_CLOSE_CODE = 4401;

const OPEN = 1;
const SEEN_LIMIT = 5000;

export function defaultAgentSocketUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/agent`;
}

/** 8-64 characters of [A-Za-z0-9_-], as the server's schema asks; works outside secure contexts too. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Full jitter: a uniformly random delay between 0 and the exponential cap. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * cap);
}

export class AgentSocket extends EventTarget {
  private readonly url: string;
  private readonly WS: WebSocketConstructor;
  private readonly pingIntervalMs: number;
  private readonly deadAfterMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  private ws: WebSocketLike | null = null;
  private wanted = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<string, PendingSend>();
  private readonly seen = new Set<string>();
  private openConversation: { id: string; lastSeq: number } | null = null;
  private _state: SocketState = 'offline';
  private _agent: AgentDto | null = null;

  constructor(options: AgentSocketOptions = {}) {
    super();
    this.url = options.url ?? defaultAgentSocketUrl();
    this.WS = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor);
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.deadAfterMs = options.deadAfterMs ?? 10_000;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  get state(): SocketState {
    return this._state;
  }

  /** The agent from the latest `ready` frame. */
  get agent(): AgentDto | null {
    return this._agent;
  }

  /** Replies waiting for their ack, oldest first. */
  get outbox(): readonly PendingSend[] {
    return [...this.pending.values()];
  }

  /** How many reconnects in a row have failed so far (0 once `ready` arrives). */
  get failedAttempts(): number {
    return this.attempt;
  }

  connect(): void {
    this.wanted = true;
    if (this.ws || this.reconnectTimer !== undefined) return;
    this.open();
  }

  /** Closes for good (logout); the outbox is kept until `clearOutbox`. */
  disconnect(): void {
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.teardown();
    this.setState('offline');
  }

  clearOutbox(): void {
    this.pending.clear();
    this.emit('outbox', this.outbox);
  }

  /** Queues a reply and sends it when possible; returns the clientId that names it. */
  send(conversationId: string, body: string): PendingSend {
    const item: PendingSend = { conversationId, clientId: newClientId(), body, createdAt: Date.now() };
    this.pending.set(item.clientId, item);
    this.emit('outbox', this.outbox);
    if (this._state === 'online') this.transmit({ type: 'send', conversationId, clientId: item.clientId, body });
    return item;
  }

  /** Typing and read state are only worth sending live; they are dropped while offline. */
  typing(conversationId: string, active: boolean): void {
    if (this._state === 'online') this.transmit({ type: 'typing', conversationId, active });
  }

  read(conversationId: string, seq: number): void {
    if (this._state === 'online') this.transmit({ type: 'read', conversationId, seq });
  }

  /** The conversation on screen: after a reconnect the socket syncs it from `lastSeq`. */
  setOpenConversation(conversationId: string | null, lastSeq = 0): void {
    this.openConversation = conversationId ? { id: conversationId, lastSeq } : null;
  }

  /** Marks messages as already known (e.g. loaded over REST) so the socket will not report them again. */
  markSeen(messages: readonly MessageDto[]): void {
    for (const m of messages) this.remember(m);
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

  private open(): void {
    this.setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = new this.WS(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      // `online` only after the server's `ready`: it authenticates the socket.
      this.armDeadTimer();
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.onData(ev.data);
    };
    ws.onerror = () => {
      /* a close event follows */
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.teardown();
      if (ev?.code === SESSION_ENDED_CLOSE_CODE) {
        this.wanted = false;
        this.setState('offline');
        this.emit('session-ended', null);
        return;
      }
      if (this.wanted) this.scheduleReconnect();
      else this.setState('offline');
    };
  }

  private teardown(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.deadTimer);
    this.pingTimer = undefined;
    this.deadTimer = undefined;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try {
        ws.close(1000);
      } catch {
        /* already closed */
      }
    }
  }

  private scheduleReconnect(): void {
    this.setState('offline');
    const delay = backoffDelay(this.attempt, this.baseDelayMs, this.maxDelayMs, this.random);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wanted) this.open();
    }, delay);
  }

  private armDeadTimer(): void {
    clearTimeout(this.deadTimer);
    this.deadTimer = setTimeout(() => this.onDead(), this.deadAfterMs);
  }

  private onDead(): void {
    // No frame since the last ping (or since open): the connection is gone without a close.
    if (!this.ws) return;
    this.teardown();
    if (this.wanted) this.scheduleReconnect();
  }

  private startPing(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      this.transmit({ type: 'ping' });
      if (this.deadTimer === undefined) this.armDeadTimer();
    }, this.pingIntervalMs);
  }

  private onData(data: unknown): void {
    // Any frame proves the connection is alive.
    clearTimeout(this.deadTimer);
    this.deadTimer = undefined;
    if (typeof data !== 'string') return;
    let frame: AgentServerFrame;
    try {
      frame = JSON.parse(data) as AgentServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return;
    this.handle(frame);
  }

  private handle(frame: AgentServerFrame): void {
    switch (frame.type) {
      case 'ready':
        this._agent = frame.agent;
        this.attempt = 0;
        this.setState('online');
        this.startPing();
        this.emit('ready', frame.agent);
        this.afterReady();
        break;
      case 'message': {
        if (!this.isNew(frame.message)) return;
        this.track(frame.message);
        this.emit('frame', frame);
        this.emit('message', frame.message);
        return;
      }
      case 'synced': {
        const fresh = frame.messages.filter((m) => this.isNew(m));
        for (const m of fresh) this.track(m);
        this.emit('frame', { ...frame, messages: fresh });
        for (const m of fresh) this.emit('message', m);
        return;
      }
      case 'ack': {
        const wasPending = this.pending.delete(frame.clientId);
        if (wasPending) this.emit('outbox', this.outbox);
        const fresh = this.isNew(frame.message);
        if (fresh) this.track(frame.message);
        this.emit('frame', frame);
        this.emit('ack', { clientId: frame.clientId, message: frame.message });
        if (fresh) this.emit('message', frame.message);
        return;
      }
      case 'error': {
        const pending = frame.ref ? this.pending.get(frame.ref) : undefined;
        if (pending) {
          this.pending.delete(pending.clientId);
          this.emit('outbox', this.outbox);
          this.emit('send-error', { pending, error: frame });
        }
        break;
      }
      default:
        break;
    }
    this.emit('frame', frame);
  }

  private afterReady(): void {
    for (const item of this.pending.values()) {
      this.transmit({ type: 'send', conversationId: item.conversationId, clientId: item.clientId, body: item.body });
    }
    const open = this.openConversation;
    if (open) this.transmit({ type: 'sync', conversationId: open.id, afterSeq: open.lastSeq });
  }

  private isNew(message: MessageDto): boolean {
    return !this.seen.has(message.id);
  }

  private track(message: MessageDto): void {
    this.remember(message);
    const open = this.openConversation;
    if (open && open.id === message.conversationId && message.seq > open.lastSeq) open.lastSeq = message.seq;
  }

  private remember(message: MessageDto): void {
    this.seen.add(message.id);
    if (this.seen.size > SEEN_LIMIT) {
      // Sets iterate in insertion order: forget the oldest.
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private transmit(frame: AgentFrame): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      /* the close handler reconnects */
    }
  }

  private setState(state: SocketState): void {
    if (state === this._state) return;
    this._state = state;
    this.emit('state', state);
  }

  private emit<K extends keyof AgentSocketEventMap>(type: K, detail: AgentSocketEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
