/**
 * The reconnecting socket both clients share (the widget's VisitorConnection and the console's
 * AgentSocket extend it): opens, reconnects with full-jitter exponential backoff, pings once the
 * server has accepted the session and drops a connection that stays silent (a mobile network can
 * lose a socket without any close event). What a frame means stays with each client; the core
 * only hands over parsed frames and asks the client whether to reconnect after a close.
 * No DOM and no Lit, so it adds nothing to the host script and little to the chat.
 */
import { CLOSE_CODES, KEEPALIVE } from '../realtime.js';

export type ClientState = 'connecting' | 'online' | 'offline';

/** The part of `WebSocket` the core uses, so tests can inject a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
}
export type SocketConstructor = new (url: string) => SocketLike;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SocketCoreOptions {
  url: string;
  WebSocket?: SocketConstructor | undefined;
  timers?: Timers | undefined;
  /** Random number in [0, 1) for the backoff jitter. */
  random?: (() => number) | undefined;
  /** First reconnect delay cap (ms, default 500); doubles per attempt up to `backoffCapMs` (default 15 s). */
  backoffBaseMs?: number | undefined;
  backoffCapMs?: number | undefined;
  pingIntervalMs?: number | undefined;
  /** A connection with no frame this long after a ping is dead. */
  deadAfterMs?: number | undefined;
}

/** Full jitter: a uniformly random delay between 0 and min(cap, base · 2^attempt) (as `SocketCore.backoffDelay`). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}

/** 28 characters of [0-9a-z] from 128 random bits, as the server's schema asks; works outside secure contexts too (unlike randomUUID). */
export function newClientId(): string {
  return [...crypto.getRandomValues(new Uint32Array(4))].map((n) => n.toString(36).padStart(7, '0')).join('');
}

/**
 * The base both clients extend (events, state and frame meaning are theirs): they implement the
 * four `on…` hooks and call `accepted()` when the server took the session (welcome, ready).
 */
export abstract class SocketCore extends EventTarget {
  state: ClientState = 'offline';
  /** Reconnects in a row that failed so far (0 once the server accepted the session). */
  attempt = 0;
  protected readonly timers: Timers;
  #ws: SocketLike | undefined;
  #wanted: boolean | undefined;
  #reconnectTimer: unknown;
  #pingTimer: unknown;
  #deadTimer: unknown;
  readonly #o: SocketCoreOptions;

  constructor(options: SocketCoreOptions) {
    super();
    this.timers = options.timers ?? browserTimers;
    // Defaults are applied where each option is used (once each): smaller than a normalised copy.
    this.#o = options;
  }

  /** The socket opened (say hello). */
  protected abstract onOpen(): void;
  /** A frame arrived (a parsed JSON object with a string `type`). */
  protected abstract onFrame(frame: { type: string }): void;
  /**
   * The socket closed or was found dead (code 4000). Return false to stay offline, or the
   * least delay before the next attempt (0: the usual backoff).
   */
  protected abstract onClose(code: number): number | false;
  /** The state changed (already set). */
  protected abstract onState(state: ClientState): void;

  connect(): void {
    this.#wanted = true;
    if (this.#ws || this.#reconnectTimer !== undefined) return;
    this.#open();
  }

  /** Closes for good (logout, stop): no reconnect. */
  disconnect(): void {
    this.#wanted = false;
    this.timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#teardown(CLOSE_CODES.normal);
    this.#setState('offline');
  }

  /** Tries again right now, forgetting the backoff (the browser came back online). */
  retryNow(): void {
    if (!this.#wanted || this.#ws) return;
    this.attempt = 0;
    this.#open();
  }

  /** Full-jitter backoff of reconnect attempt number `attempt` (0-based). */
  backoffDelay(attempt: number): number {
    const o = this.#o;
    // attempt stays ≤ 30 (scheduleReconnect), so 2 ** attempt stays finite
    return Math.floor((o.random ?? Math.random)() * Math.min(o.backoffCapMs ?? 15_000, (o.backoffBaseMs ?? 500) * 2 ** attempt));
  }

  /** Sends a frame if the socket is open; false when it could not. */
  protected raw(frame: object): boolean {
    const ws = this.#ws;
    // send() throws only while CONNECTING, which readyState 1 rules out
    if (ws?.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** The server accepted the session (welcome, ready): online, backoff reset, keep-alive on. */
  protected accepted(): void {
    this.attempt = 0;
    this.#setState('online');
    this.#schedulePing();
  }

  #open(): void {
    this.timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#setState('connecting');
    let ws: SocketLike;
    try {
      ws = new (this.#o.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket!)(this.#o.url);
    } catch {
      this.#scheduleReconnect(0);
      return;
    }
    this.#ws = ws;
    ws.onopen = () => this.onOpen();
    ws.onmessage = (ev) => this.#onData(ev.data);
    // (an error event is always followed by a close event)
    ws.onclose = (ev) => this.#closed(ev.code, null);
  }

  #onData(data: unknown): void {
    // Any frame proves the connection is alive.
    this.timers.clearTimeout(this.#deadTimer);
    this.#deadTimer = undefined;
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    // Frames come from our own server; a client ignores a type it does not know.
    if (typeof frame === 'object' && frame !== null) this.onFrame(frame as { type: string });
  }

  /** The socket closed, or is closed here with `closeWith` (dead): ask the client whether to try again. */
  #closed(code: number, closeWith: number | null): void {
    this.#teardown(closeWith);
    const wait = this.#wanted ? this.onClose(code) : false;
    if (wait === false) {
      this.#wanted = false;
      this.#setState('offline');
    } else this.#scheduleReconnect(wait);
  }

  /** Detaches and closes the socket (with `code`, or not at all when it closed itself) and stops the timers. */
  #teardown(code: number | null): void {
    this.timers.clearTimeout(this.#pingTimer);
    this.timers.clearTimeout(this.#deadTimer);
    this.#pingTimer = this.#deadTimer = undefined;
    const ws = this.#ws;
    this.#ws = undefined;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    // close() throws only for codes outside 1000 and 3000–4999; on a closed socket it does nothing
    if (code !== null) ws.close(code);
  }

  #scheduleReconnect(minDelay: number): void {
    this.#setState('offline');
    const delay = Math.max(minDelay, this.backoffDelay(this.attempt));
    this.attempt = Math.min(this.attempt + 1, 30);
    this.#reconnectTimer = this.timers.setTimeout(() => this.#open(), delay);
  }

  #schedulePing(): void {
    this.timers.clearTimeout(this.#pingTimer);
    this.#pingTimer = this.timers.setTimeout(() => {
      if (!this.raw({ type: 'ping' })) return;
      if (this.#deadTimer === undefined) this.armDead();
      this.#schedulePing();
    }, this.#o.pingIntervalMs ?? KEEPALIVE.pingIntervalMs);
  }

  /** Counts silence from now on as a dead connection (after a ping; a client may also call it on open). */
  protected armDead(): void {
    this.timers.clearTimeout(this.#deadTimer);
    this.#deadTimer = this.timers.setTimeout(() => {
      // No frame since the last ping: the connection is gone even if the browser has not noticed.
      if (this.#ws) this.#closed(CLOSE_CODES.pongTimeout, CLOSE_CODES.pongTimeout);
    }, this.#o.deadAfterMs ?? KEEPALIVE.deadAfterMs);
  }

  #setState(state: ClientState): void {
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }
}
