/**
 * The visitor's side of the WebSocket protocol, independent of any UI: connects, says hello with
 * the stored token, keeps an outbox of unacknowledged messages in storage (so a reload or crash
 * never loses what the visitor sent), reconnects with backoff and catches up with `sync`.
 */
import type {
  CaseContextInput,
  ConnectionState,
  ErrorCode,
  ErrorFrame,
  LanguageCode,
  MessageDto,
  PrivacyNoticeDto,
  VisitorConversationDto,
  VisitorFrame,
  VisitorServerFrame,
  VisitorReferralDto,
} from '@direturn/protocol';
import { LIMITS } from '@direturn/protocol';

/** The part of `WebSocket` the connection uses, so tests can inject a fake. */
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
import { openFrameStorage, type StorageLike } from './storage.js';

export type { StorageLike };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface VisitorConnectionOptions {
  /** `ws(s)://host/ws/visitor` */
  url: string;
  site: string;
  /** Origin of the partner page. */
  origin: string;
  language: LanguageCode;
  pageUrl?: string;
  WebSocket?: SocketConstructor;
  storage?: StorageLike;
  timers?: Timers;
  /** Random number in [0, 1) for the backoff jitter. */
  random?: () => number;
  /** Target of `online` events (window); null to not listen. */
  onlineTarget?: EventTarget | null;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

export interface OutboxItem {
  clientId: string;
  body: string;
  createdAt: number;
  /** What the visitor was reading when they wrote (an article); the server checks and completes it. */
  context?: ContextInput;
}

/** An article the visitor asks about, or the orientation check's answers ("send to a counsellor"): VisitorSendSchema's `context`. */
export type ContextInput = { kind: 'article'; articleId: string; language: LanguageCode } | CaseContextInput;

const sendFrame = (item: OutboxItem): VisitorFrame => ({ type: 'send', clientId: item.clientId, body: item.body, ...(item.context ? { context: item.context } : {}) });

export interface FailedItem extends OutboxItem {
  code: ErrorCode;
}

/** Errors after which reconnecting cannot help. */
const FATAL: readonly ErrorCode[] = ['unknown_site', 'origin_not_allowed'];
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const OPEN = 1;
/** Close codes of the visitor socket (docs/api.md). */
export const CLOSE_REFUSED = 4403;
export const CLOSE_DELETED = 4410;
export const CLOSE_RATE_LIMITED = 4429;
/** Wait this long after `rate_limited` when the server did not say how long. */
const DEFAULT_RETRY_MS = 5_000;

export function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID().replace(/-/g, '');
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function wsUrlFor(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/visitor`;
}

/**
 * Events (all plain `Event`s; read the state from the instance):
 * - `change`: anything visible changed (messages, outbox, state, presence, typing, conversation).
 * - `message` (`MessageEvent`-like `CustomEvent<MessageDto>`): a message that was not known before.
 * - `error` (`CustomEvent<ErrorFrame>`): an error frame from the server.
 * - `deleted`: the visitor's data was deleted on the server and forgotten here ("delete my data").
 */
export class VisitorConnection extends EventTarget {
  state: ConnectionState = 'offline';
  conversation: VisitorConversationDto | null = null;
  /** Known messages of this session, ordered. */
  messages: MessageDto[] = [];
  agentsOnline = true;
  agentTyping = false;
  /** Set when the server refused this site/origin; the connection gives up. */
  fatalError: ErrorCode | null = null;
  /** Sends the server refused for good (too large, bad request, closed conversation…). */
  failed: FailedItem[] = [];
  /** The privacy notice from the last welcome (what is stored, for how long, who reads it). */
  privacy: PrivacyNoticeDto | null = null;
  /** Referrals of the current conversation: proposals to answer, and what became of consented ones. */
  referrals: VisitorReferralDto[] = [];
  /** "Delete my data" was asked for and the server has not confirmed it yet. */
  deleting = false;
  /**
   * The visitor's data was deleted: nothing is stored and no socket is open. Writing again
   * (`send`) starts a new anonymous identity.
   */
  deleted = false;
  /** The server refused a new socket (too many for this site or client); waiting to try again. */
  throttled = false;

  private readonly opts: Required<Omit<VisitorConnectionOptions, 'pageUrl' | 'onlineTarget'>> & {
    pageUrl?: string;
    onlineTarget: EventTarget | null;
  };
  private socket: SocketLike | null = null;
  private welcomed = false;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: unknown;
  private pingTimer: unknown;
  private pongTimer: unknown;
  private typingTimer: unknown;
  /** While set, sends wait: the server said `rate_limited` for a send. */
  private holdTimer: unknown;
  private held = new Set<string>();
  private retryAfterMs = 0;
  private outboxItems: OutboxItem[];
  private readonly ids = new Set<string>();
  /** Highest seq received in the current conversation, without gaps. */
  private lastSeq = 0;

  constructor(options: VisitorConnectionOptions) {
    super();
    const g = globalThis as typeof globalThis & { WebSocket?: SocketConstructor };
    this.opts = {
      ...options,
      WebSocket: options.WebSocket ?? (g.WebSocket as SocketConstructor),
      storage: options.storage ?? openFrameStorage().storage,
      timers: options.timers ?? {
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      },
      random: options.random ?? Math.random,
      onlineTarget: options.onlineTarget === undefined ? (typeof window === 'undefined' ? null : window) : options.onlineTarget,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffCapMs: options.backoffCapMs ?? 15_000,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
    } as typeof this.opts;
    this.outboxItems = this.loadOutbox();
  }

  // ---- storage ----
  get tokenKey(): string {
    return `direturn:v1:token:${this.opts.site}`;
  }
  get outboxKey(): string {
    return `direturn:v1:outbox:${this.opts.site}`;
  }

  private read(key: string): string | null {
    try {
      return this.opts.storage.getItem(key);
    } catch {
      return null; // storage blocked (private mode, third-party storage off)
    }
  }
  private write(key: string, value: string | null): void {
    try {
      if (value === null) this.opts.storage.removeItem(key);
      else this.opts.storage.setItem(key, value);
    } catch {
      /* keep working in memory */
    }
  }

  private loadOutbox(): OutboxItem[] {
    try {
      const raw = JSON.parse(this.read(this.outboxKey) ?? '[]') as unknown;
      if (!Array.isArray(raw)) return [];
      return raw.filter(
        (i): i is OutboxItem =>
          typeof i === 'object' && i !== null && typeof i.clientId === 'string' && CLIENT_ID.test(i.clientId) && typeof i.body === 'string',
      );
    } catch {
      return [];
    }
  }
  private saveOutbox(): void {
    this.write(this.outboxKey, this.outboxItems.length ? JSON.stringify(this.outboxItems) : null);
  }

  /** Messages sent but not yet acknowledged by the server, oldest first. */
  get outbox(): readonly OutboxItem[] {
    return this.outboxItems;
  }

  // ---- lifecycle ----
  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts.onlineTarget?.addEventListener('online', this.onOnline);
    this.open();
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.stopped = true;
    this.opts.onlineTarget?.removeEventListener('online', this.onOnline);
    this.clearTimers();
    this.opts.timers.clearTimeout(this.reconnectTimer);
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      s.close(1000);
    }
    this.setState('offline');
  }

  private onOnline = () => {
    if (this.stopped || this.fatalError || this.state === 'online') return;
    if (this.state === 'connecting' && this.socket) return;
    this.opts.timers.clearTimeout(this.reconnectTimer);
    this.attempt = 0;
    this.open();
  };

  private open(): void {
    this.setState('connecting');
    this.welcomed = false;
    let socket: SocketLike;
    try {
      socket = new this.opts.WebSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.sendHello();
    socket.onmessage = (ev) => this.onFrame(ev.data);
    socket.onerror = () => {
      /* a close event follows */
    };
    socket.onclose = (ev) => this.onClose(ev.code);
  }

  private sendHello(): void {
    const token = this.read(this.tokenKey);
    const hello: VisitorFrame = {
      type: 'hello',
      site: this.opts.site,
      origin: this.opts.origin,
      language: this.opts.language,
      lastSeq: this.lastSeq,
      ...(token ? { token } : {}),
      ...(this.opts.pageUrl ? { pageUrl: this.opts.pageUrl } : {}),
    };
    this.raw(hello);
  }

  private onClose(code: number): void {
    this.socket = null;
    this.welcomed = false;
    this.clearTimers();
    if (this.agentTyping) this.agentTyping = false;
    if (this.stopped) {
      this.setState('offline');
      return;
    }
    if (code === CLOSE_DELETED) return this.forget();
    if (code === CLOSE_REFUSED) this.fatalError ??= 'origin_not_allowed';
    if (this.fatalError) {
      this.stopped = true;
      this.setState('offline');
      return;
    }
    if (code === CLOSE_RATE_LIMITED) this.throttled = true;
    this.setState('offline');
    // 4429: never sooner than the server asked; otherwise the usual backoff
    this.scheduleReconnect(code === CLOSE_RATE_LIMITED ? this.retryAfterMs || DEFAULT_RETRY_MS : 0);
    this.retryAfterMs = 0;
  }

  /** Full-jitter exponential backoff: random in [0, min(cap, base * 2^attempt)). */
  backoffDelay(attempt: number): number {
    const ceiling = Math.min(this.opts.backoffCapMs, this.opts.backoffBaseMs * 2 ** attempt);
    return Math.floor(this.opts.random() * ceiling);
  }

  private scheduleReconnect(minDelay = 0): void {
    if (this.stopped) return;
    this.setState('offline');
    const delay = Math.max(minDelay, this.backoffDelay(this.attempt));
    this.attempt = Math.min(this.attempt + 1, 30);
    this.opts.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.opts.timers.setTimeout(() => this.open(), delay);
  }

  private clearTimers(): void {
    this.opts.timers.clearTimeout(this.pingTimer);
    this.opts.timers.clearTimeout(this.pongTimer);
    this.opts.timers.clearTimeout(this.typingTimer);
    this.opts.timers.clearTimeout(this.holdTimer);
    this.pongTimer = this.holdTimer = undefined;
    this.held.clear();
  }

  private schedulePing(): void {
    this.opts.timers.clearTimeout(this.pingTimer);
    this.pingTimer = this.opts.timers.setTimeout(() => {
      if (!this.raw({ type: 'ping' })) return;
      this.opts.timers.clearTimeout(this.pongTimer);
      this.pongTimer = this.opts.timers.setTimeout(() => this.dropDeadSocket(), this.opts.pongTimeoutMs);
      this.schedulePing();
    }, this.opts.pingIntervalMs);
  }

  /** No pong in time: the socket is dead even if the browser has not noticed. */
  private dropDeadSocket(): void {
    const s = this.socket;
    if (!s) return;
    s.onclose = s.onmessage = s.onerror = s.onopen = null;
    try {
      s.close(4000, 'pong timeout');
    } catch {
      /* ignore */
    }
    this.onClose(4000);
  }

  private raw(frame: VisitorFrame): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return false;
    try {
      s.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  // ---- outgoing ----
  /** Queues a message; it is sent now if online, otherwise after the next welcome. Returns its clientId. */
  send(body: string, context?: ContextInput): string {
    const item: OutboxItem = { clientId: newClientId(), body, createdAt: Date.now(), ...(context ? { context } : {}) };
    const frame = sendFrame(item);
    // The server could not even read the clientId of a frame this big: refuse it here.
    if (body.length > LIMITS.messageMaxChars || new TextEncoder().encode(JSON.stringify(frame)).length > LIMITS.frameMaxBytes) {
      this.failed = [...this.failed, { ...item, code: 'too_large' }];
      this.changed();
      return item.clientId;
    }
    this.outboxItems.push(item);
    this.saveOutbox();
    if (this.deleted) {
      // writing again after "delete my data": a fresh identity
      this.deleted = false;
      this.connect();
    } else if (this.holdTimer) this.held.add(item.clientId);
    else if (this.welcomed) this.raw(frame);
    this.changed();
    return item.clientId;
  }

  /**
   * "Delete my data": asks the server to delete the visitor's conversations, messages and
   * identity (sent as soon as the connection is up). When the server confirms, token, outbox and
   * messages are forgotten here too, `deleted` turns true and the `deleted` event fires.
   */
  deleteData(): void {
    if (this.deleted || this.deleting) return;
    this.deleting = true;
    if (this.welcomed) this.raw({ type: 'delete' });
    else if (this.stopped && !this.fatalError) this.connect();
    this.changed();
  }

  /**
   * Answers a proposed referral (consent with an optional contact and transcript, or decline) or
   * takes back a consent. Not queued: the visitor decides while online; false when offline.
   */
  answerReferral(answer: { referralId: string; answer: 'consent' | 'decline' | 'withdraw'; contact?: { kind: 'phone' | 'email'; value: string } | null; includeTranscript?: boolean }): boolean {
    return this.welcomed && this.raw({ type: 'referral', includeTranscript: false, contact: null, ...answer } as VisitorFrame);
  }

  /** Forgets everything of this visitor, here and in storage, and stays offline. */
  private forget(): void {
    this.close();
    this.write(this.tokenKey, null);
    this.outboxItems = [];
    this.saveOutbox();
    this.messages = [];
    this.ids.clear();
    this.failed = [];
    this.conversation = null;
    this.referrals = [];
    this.lastSeq = 0;
    this.agentTyping = this.deleting = this.throttled = false;
    this.deleted = true;
    this.dispatchEvent(new Event('deleted'));
    this.changed();
  }

  /** Sends a failed message again (with a new clientId, as the old one was refused). */
  retry(clientId: string): void {
    const index = this.failed.findIndex((f) => f.clientId === clientId);
    if (index < 0) return;
    const [item] = this.failed.splice(index, 1);
    if (item) this.send(item.body, item.context);
  }

  /** Forgets a failed message. */
  dismiss(clientId: string): void {
    this.failed = this.failed.filter((f) => f.clientId !== clientId);
    this.changed();
  }

  setTyping(active: boolean): void {
    if (this.welcomed) this.raw({ type: 'typing', active });
  }

  /** Tells the server the visitor has seen everything up to `seq`. */
  markRead(seq: number): void {
    if (this.welcomed && seq > 0) this.raw({ type: 'read', seq });
  }

  setLanguage(language: LanguageCode): void {
    this.opts.language = language;
    if (this.welcomed) this.raw({ type: 'language', language });
  }

  private flushOutbox(): void {
    this.opts.timers.clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held.clear();
    for (const item of this.outboxItems) {
      if (!this.raw(sendFrame(item))) return;
    }
  }

  // ---- incoming ----
  private onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: VisitorServerFrame;
    try {
      frame = JSON.parse(data) as VisitorServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    // any frame proves the socket is alive
    this.opts.timers.clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame);
        break;
      case 'deleted':
        this.forget();
        break;
      case 'ack':
        this.removeFromOutbox(frame.clientId);
        this.addMessages([frame.message]);
        break;
      case 'message':
        if (frame.message.author === 'agent') this.agentTyping = false;
        this.addMessages([frame.message]);
        break;
      case 'synced':
        this.addMessages(frame.messages);
        break;
      case 'typing':
        if (frame.author === 'agent' && this.isCurrent(frame.conversationId)) this.setAgentTyping(frame.active);
        break;
      case 'read':
        if (frame.by === 'agent' && this.conversation && this.isCurrent(frame.conversationId)) {
          this.conversation = { ...this.conversation, agentReadSeq: Math.max(this.conversation.agentReadSeq, frame.seq) };
          this.changed();
        }
        break;
      case 'conversation':
        this.setConversation(frame.conversation);
        this.changed();
        break;
      case 'presence':
        this.agentsOnline = frame.agentsOnline;
        this.changed();
        break;
      case 'referrals':
        this.referrals = frame.referrals;
        this.changed();
        break;
      case 'error':
        this.onError(frame);
        break;
      case 'pong':
        break;
    }
  }

  private isCurrent(conversationId: string): boolean {
    return !this.conversation || this.conversation.id === conversationId;
  }

  private setAgentTyping(active: boolean): void {
    this.agentTyping = active;
    this.opts.timers.clearTimeout(this.typingTimer);
    // never show "typing" forever if the stop frame got lost
    if (active) this.typingTimer = this.opts.timers.setTimeout(() => this.setAgentTyping(false), 15_000);
    this.changed();
  }

  private onWelcome(frame: Extract<VisitorServerFrame, { type: 'welcome' }>): void {
    this.write(this.tokenKey, frame.token);
    this.agentsOnline = frame.agentsOnline;
    if (frame.privacy) this.privacy = frame.privacy;
    this.throttled = false;
    this.retryAfterMs = 0;
    if (frame.conversation) this.setConversation(frame.conversation);
    this.welcomed = true;
    this.attempt = 0;
    this.syncRequestedFor = -1;
    this.addMessages(frame.messages);
    this.requestMissing();
    this.setState('online');
    if (this.deleting) this.raw({ type: 'delete' });
    else this.flushOutbox();
    this.schedulePing();
    this.changed();
  }

  private setConversation(conversation: VisitorConversationDto): void {
    if (this.conversation && this.conversation.id !== conversation.id) this.lastSeq = 0;
    this.conversation = conversation;
    this.requestMissing();
  }

  private onError(frame: ErrorFrame): void {
    if (FATAL.includes(frame.code)) {
      this.fatalError = frame.code;
      this.stopped = true;
      this.opts.onlineTarget?.removeEventListener('online', this.onOnline);
    }
    if (frame.code === 'gone') return this.forget();
    if (frame.code === 'rate_limited') this.retryAfterMs = frame.retryAfterMs ?? DEFAULT_RETRY_MS;
    if (frame.ref) {
      const item = this.outboxItems.find((i) => i.clientId === frame.ref);
      if (item && frame.code === 'rate_limited') {
        // keep it; it (and whatever the visitor writes meanwhile) goes out in order once the wait is over
        this.held.add(item.clientId);
        this.opts.timers.clearTimeout(this.holdTimer);
        this.holdTimer = this.opts.timers.setTimeout(() => this.releaseHeld(), this.retryAfterMs);
      } else if (item) {
        this.removeFromOutbox(item.clientId);
        this.failed = [...this.failed, { ...item, code: frame.code }];
      }
    }
    this.dispatchEvent(new CustomEvent<ErrorFrame>('error', { detail: frame }));
    this.changed();
  }

  private releaseHeld(): void {
    const held = this.held;
    this.holdTimer = undefined;
    this.held = new Set();
    for (const item of this.outboxItems) if (held.has(item.clientId) && !this.raw(sendFrame(item))) return;
  }

  /** True while sends wait because the server said the visitor writes too fast. */
  get holding(): boolean {
    return this.holdTimer !== undefined;
  }

  private removeFromOutbox(clientId: string): void {
    const before = this.outboxItems.length;
    this.outboxItems = this.outboxItems.filter((i) => i.clientId !== clientId);
    if (this.outboxItems.length !== before) this.saveOutbox();
  }

  private addMessages(messages: readonly MessageDto[]): void {
    let added = false;
    for (const message of messages) {
      if (!message || typeof message.id !== 'string' || this.ids.has(message.id)) continue;
      this.ids.add(message.id);
      if (message.clientId) this.removeFromOutbox(message.clientId);
      // a message of a conversation we have not heard of yet starts a new one
      if (!this.conversation || this.conversation.id !== message.conversationId) {
        if (this.conversation && this.conversation.id !== message.conversationId) this.lastSeq = 0;
        this.conversation = {
          id: message.conversationId,
          status: 'waiting',
          language: this.opts.language,
          lastSeq: message.seq,
          agentReadSeq: 0,
          agentName: message.agentName,
        };
      }
      this.messages.push(message);
      added = true;
      this.dispatchEvent(new CustomEvent<MessageDto>('message', { detail: message }));
    }
    if (!added) return;
    this.messages.sort((a, b) => (a.conversationId === b.conversationId ? a.seq - b.seq : a.createdAt - b.createdAt));
    this.advanceLastSeq();
    this.requestMissing();
    this.changed();
  }

  private advanceLastSeq(): void {
    const id = this.conversation?.id;
    const seqs = new Set(this.messages.filter((m) => m.conversationId === id).map((m) => m.seq));
    while (seqs.has(this.lastSeq + 1)) this.lastSeq++;
  }

  private syncRequestedFor = -1;
  /** Asks for what is missing when the conversation is ahead of what we hold. */
  private requestMissing(): void {
    if (!this.welcomed || !this.conversation) return;
    const id = this.conversation.id;
    const highest = Math.max(this.conversation.lastSeq, ...this.messages.filter((m) => m.conversationId === id).map((m) => m.seq));
    if (highest > this.lastSeq && this.syncRequestedFor !== this.lastSeq) {
      this.syncRequestedFor = this.lastSeq;
      this.raw({ type: 'sync', afterSeq: this.lastSeq });
    }
  }

  /** Highest seq of the current conversation the client holds without gaps. */
  get highestSeq(): number {
    return this.lastSeq;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new Event('state'));
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
