/**
 * The visitor's side of the WebSocket protocol, independent of any UI: connects, says hello with
 * the stored token, keeps an outbox of unacknowledged messages in storage (so a reload or crash
 * never loses what the visitor sent), reconnects with backoff and catches up with `sync`.
 * Reconnect, keep-alive, outbox, dedupe and sequence tracking come from the client core it shares
 * with the console (`@direturn/protocol/client`).
 */
import type {
  AwayNoticeDto,
  CallbackRequestInput,
  CallDto,
  VisitorCallFrame,
  CaseContextInput,
  ErrorCode,
  ErrorFrame,
  LanguageCode,
  MessageDto,
  PrivacyNoticeDto,
  VisitorConversationDto,
  VisitorFrame,
  VisitorServerFrame,
  VisitorReferralDto,
  VisitorCallbackDto,
} from '@direturn/protocol';
import { CLOSE_CODES, LIMITS, TYPING } from '@direturn/protocol';
import { Outbox, SeenIds, SeqTracker, SocketCore, newClientId, type SocketCoreOptions } from '@direturn/protocol/client';
import { openFrameStorage, type StorageLike } from './storage.js';

export type { SocketConstructor, SocketLike, Timers } from '@direturn/protocol/client';
export type { StorageLike };
export { newClientId };

/** The core's options (url `ws(s)://host/ws/visitor`, WebSocket, timers, random, backoff, keep-alive) and the visitor's. */
export interface VisitorConnectionOptions extends SocketCoreOptions {
  site: string;
  /** Origin of the partner page. */
  origin: string;
  language: LanguageCode;
  pageUrl?: string;
  storage?: StorageLike;
  /** Target of `online` events (window); null to not listen. */
  onlineTarget?: EventTarget | null;
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
/** Close codes of the visitor socket (docs/api.md). */
export const CLOSE_REFUSED = CLOSE_CODES.refused;
export const CLOSE_DELETED = CLOSE_CODES.deleted;
export const CLOSE_RATE_LIMITED = CLOSE_CODES.rateLimited;
export const CLOSE_RESUMED_ELSEWHERE = CLOSE_CODES.resumedElsewhere;
/** Wait this long after `rate_limited` when the server did not say how long. */
const DEFAULT_RETRY_MS = 5_000;

export function wsUrlFor(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/visitor`;
}

/**
 * Events (all plain `Event`s; read the state from the instance):
 * - `change`: anything visible changed (messages, outbox, state, presence, typing, conversation).
 * - `message` (`MessageEvent`-like `CustomEvent<MessageDto>`): a message that was not known before.
 * - `error` (`CustomEvent<ErrorFrame>`): an error frame from the server.
 * - `deleted`: the visitor's data was deleted on the server and forgotten here ("delete my data"),
 *   or the conversation moved to another device (`movedAway`).
 * - `resume` (`CustomEvent<{ ok: boolean; code?: ErrorCode; retryAfterMs?: number }>`): the answer
 *   to `resumeWith`.
 */
export class VisitorConnection extends SocketCore {
  conversation: VisitorConversationDto | null = null;
  /**
   * The counsellor's read mark per conversation of this session: it only ever rises, also for an
   * earlier conversation after the visitor wrote again and a new one began.
   */
  readonly readMarks = new Map<string, number>();
  /** Known messages of this session, ordered. */
  messages: MessageDto[] = [];
  agentsOnline = true;
  /** Outside the site's opening hours: the away message and when counsellors are back (from the server). */
  away: AwayNoticeDto | null = null;
  agentTyping = false;
  /** Set when the server refused this site/origin; the connection gives up. */
  fatalError: ErrorCode | null = null;
  /** Sends the server refused for good (too large, bad request, closed conversation…). */
  failed: FailedItem[] = [];
  /** The privacy notice from the last welcome (what is stored, for how long, who reads it). */
  privacy: PrivacyNoticeDto | null = null;
  /** Referrals of the current conversation: proposals to answer, and what became of consented ones. */
  referrals: VisitorReferralDto[] = [];
  /** The visitor's callback requests, newest first: received, and when they were handled. */
  callbacks: VisitorCallbackDto[] = [];
  /** E-mail notices of a waiting reply: null when the server does not offer them (no mail). */
  replyNotice: { on: boolean; since: number | null } | null = null;
  /** "Delete my data" was asked for and the server has not confirmed it yet. */
  deleting = false;
  /**
   * The visitor's data was deleted: nothing is stored and no socket is open. Writing again
   * (`send`) starts a new anonymous identity.
   */
  deleted = false;
  /** The server refused a new socket (too many for this site or client); waiting to try again. */
  throttled = false;
  /** The visitor's resume code as the server issued it (kept beside the token: the server has only its hash). */
  resumeCode: { code: string; createdAt: number } | null = null;
  /** The conversation continues on another device (its resume code was used there): forgotten here. */
  movedAway = false;
  /** A call of the current conversation that is offered, going on or just ended (the call view handles it). */
  call: CallDto | null = null;
  /** A code typed here, sent with the next hello. */
  private pendingResume: string | null = null;

  private readonly opts: Pick<VisitorConnectionOptions, 'site' | 'origin' | 'language' | 'pageUrl'> & { storage: StorageLike; onlineTarget: EventTarget | null };
  private welcomed = false;
  private stopped = true;
  private typingTimer: unknown;
  /** While set, sends wait: the server said `rate_limited` for a send. */
  private holdTimer: unknown;
  private held = new Set<string>();
  private retryAfterMs = 0;
  private readonly box: Outbox<OutboxItem>;
  private readonly seen = new SeenIds();
  /** Highest seq received in the current conversation, without gaps. */
  private readonly seq = new SeqTracker();

  constructor(options: VisitorConnectionOptions) {
    super(options);
    this.opts = {
      ...options,
      storage: options.storage ?? openFrameStorage().storage,
      onlineTarget: options.onlineTarget === undefined ? (typeof window === 'undefined' ? null : window) : options.onlineTarget,
    };
    this.box = new Outbox(this.loadOutbox(), (items) => this.write(this.outboxKey, items.length ? JSON.stringify(items) : null));
    try {
      this.resumeCode = JSON.parse(this.read(this.resumeKey) ?? 'null') as VisitorConnection['resumeCode'];
    } catch {
      this.resumeCode = null;
    }
  }

  get resumeKey(): string {
    return `direturn:v1:resume:${this.opts.site}`;
  }

  /** Asks for a new resume code (the old one stops working); false while offline. */
  requestResumeCode(): boolean {
    return this.welcomed && this.raw({ type: 'resume-code' });
  }

  /**
   * Continues the conversation of another device: reconnects with `code` in the hello. On success
   * this device holds that visitor's new token (the other device is signed out); the `resume`
   * event says how it went.
   */
  resumeWith(code: string): void {
    this.pendingResume = code;
    this.messages = [];
    this.seen.clear();
    this.conversation = null;
    this.referrals = [];
    this.callbacks = [];
    this.seq.reset();
    this.deleted = this.movedAway = false;
    this.close();
    this.connect();
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
  /** Messages sent but not yet acknowledged by the server, oldest first. */
  get outbox(): readonly OutboxItem[] {
    return this.box.items;
  }

  // ---- lifecycle ----
  override connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts.onlineTarget?.addEventListener('online', this.onOnline);
    super.connect();
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.stopped = true;
    this.opts.onlineTarget?.removeEventListener('online', this.onOnline);
    this.clearTimers();
    this.welcomed = false;
    this.disconnect();
  }

  /** Back online: try now instead of waiting out the backoff (a no-op while a socket is open or after close()). */
  private onOnline = () => this.retryNow();

  /** The socket opened: say hello. */
  protected onOpen(): void {
    const token = this.read(this.tokenKey);
    const hello: VisitorFrame = {
      type: 'hello',
      site: this.opts.site,
      origin: this.opts.origin,
      language: this.opts.language,
      lastSeq: this.seq.last,
      ...(token ? { token } : {}),
      ...(this.pendingResume ? { resume: this.pendingResume } : {}),
      ...(this.opts.pageUrl ? { pageUrl: this.opts.pageUrl } : {}),
    };
    this.raw(hello);
  }

  /** The socket closed (or was found dead): whether and how soon the core tries again. */
  protected onClose(code: number): number | false {
    this.welcomed = false;
    this.clearTimers();
    this.agentTyping = false;
    if (this.stopped) return false;
    if (code === CLOSE_DELETED) {
      this.forget();
      return false;
    }
    if (code === CLOSE_RESUMED_ELSEWHERE) {
      this.forget(true);
      return false;
    }
    if (code === CLOSE_REFUSED) this.fatalError ??= 'origin_not_allowed';
    if (this.fatalError) {
      this.stopped = true;
      return false;
    }
    // 4429: never sooner than the server asked; otherwise the usual backoff
    const wait = code === CLOSE_RATE_LIMITED ? this.retryAfterMs || DEFAULT_RETRY_MS : 0;
    if (wait) this.throttled = true;
    this.retryAfterMs = 0;
    return wait;
  }

  private clearTimers(): void {
    this.timers.clearTimeout(this.typingTimer);
    this.timers.clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held.clear();
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
    this.box.add(item);
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

  /**
   * Asks for a call back (the callback view checked it first; the server checks again). Not queued:
   * the visitor waits for the answer, a `callbacks` frame or an `error` whose `ref` is the returned
   * request id. Null while offline.
   */
  requestCallback(input: CallbackRequestInput): string | null {
    if (!this.welcomed) return null;
    const requestId = newClientId();
    return this.raw({ type: 'callback', requestId, ...input, topic: input.topic ?? '' } as VisitorFrame) ? requestId : null;
  }

  /** Turns e-mail notices on (`email`) or off (null). Answered with `reply-notice` or an error whose ref is `reply-notice`; false while offline. */
  setReplyNotice(email: string | null, consent = false): boolean {
    return this.welcomed && this.raw(email === null ? { type: 'reply-notice-off' } : { type: 'reply-notice-on', email, consent });
  }

  /** Forgets everything of this visitor, here and in storage, and stays offline. */
  private forget(movedAway = false): void {
    this.close();
    this.write(this.tokenKey, null);
    this.write(this.resumeKey, null);
    this.resumeCode = null;
    this.movedAway = movedAway;
    this.box.clear();
    this.messages = [];
    this.seen.clear();
    this.failed = [];
    this.conversation = null;
    this.readMarks.clear();
    this.referrals = [];
    this.callbacks = [];
    this.replyNotice = null;
    this.call = null;
    this.seq.reset();
    this.agentTyping = this.deleting = this.throttled = false;
    this.deleted = !movedAway;
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

  /** A call frame (the call view's); false while offline. */
  sendCall(frame: VisitorCallFrame): boolean {
    return this.welcomed && this.raw(frame);
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
    this.timers.clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held.clear();
    for (const item of this.box.items) {
      if (!this.raw(sendFrame(item))) return;
    }
  }

  // ---- incoming ----
  protected onFrame(frame: VisitorServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame);
        break;
      case 'deleted':
        this.forget();
        break;
      case 'resumed-elsewhere':
        this.forget(true);
        break;
      case 'resume-code':
        this.resumeCode = { code: frame.code, createdAt: frame.createdAt };
        this.write(this.resumeKey, JSON.stringify(this.resumeCode));
        this.changed();
        break;
      case 'ack':
        this.box.remove(frame.clientId);
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
          this.conversation = this.adopt({ ...this.conversation, agentReadSeq: frame.seq });
          this.changed();
        }
        break;
      case 'conversation':
        this.setConversation(frame.conversation);
        this.changed();
        break;
      case 'presence':
        this.agentsOnline = frame.agentsOnline;
        if (frame.away !== undefined) this.away = frame.away;
        this.changed();
        break;
      case 'referrals':
        this.referrals = frame.referrals;
        this.changed();
        break;
      case 'callbacks':
        this.callbacks = frame.callbacks;
        this.changed();
        break;
      case 'reply-notice':
        this.replyNotice = { on: frame.on, since: frame.since };
        this.changed();
        break;
      case 'call':
        this.call = frame.call;
        this.changed();
      // falls through: the call view listens for every call frame
      case 'call-signal':
      case 'call-ice':
        this.dispatchEvent(new CustomEvent('call', { detail: frame }));
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
    this.timers.clearTimeout(this.typingTimer);
    // never show "typing" forever if the stop frame got lost
    if (active) this.typingTimer = this.timers.setTimeout(() => this.setAgentTyping(false), TYPING.expiryMs);
    this.changed();
  }

  private onWelcome(frame: Extract<VisitorServerFrame, { type: 'welcome' }>): void {
    this.write(this.tokenKey, frame.token);
    if (this.pendingResume) {
      // No error came first: the code worked, and it stays this visitor's code until renewed.
      this.resumeCode = { code: this.pendingResume, createdAt: Date.now() };
      this.write(this.resumeKey, JSON.stringify(this.resumeCode));
      this.pendingResume = null;
      this.dispatchEvent(new CustomEvent('resume', { detail: { ok: true } }));
    }
    this.agentsOnline = frame.agentsOnline;
    this.away = frame.away ?? null;
    if (frame.privacy) this.privacy = frame.privacy;
    this.throttled = false;
    this.retryAfterMs = 0;
    if (frame.conversation) this.setConversation(frame.conversation);
    this.welcomed = true;
    this.syncRequestedFor = -1;
    this.addMessages(frame.messages);
    this.requestMissing();
    this.accepted();
    if (this.deleting) this.raw({ type: 'delete' });
    else this.flushOutbox();
    this.changed();
  }

  /** A conversation as the server sent it, with a read mark that never goes backwards. */
  private adopt(conversation: VisitorConversationDto): VisitorConversationDto {
    const mark = Math.max(this.readMarks.get(conversation.id) ?? 0, conversation.agentReadSeq);
    this.readMarks.set(conversation.id, mark);
    return mark === conversation.agentReadSeq ? conversation : { ...conversation, agentReadSeq: mark };
  }

  private setConversation(conversation: VisitorConversationDto): void {
    if (this.conversation && this.conversation.id !== conversation.id) {
      this.seq.reset();
      // E-mail notices belong to a conversation: a new one starts without.
      if (this.replyNotice) this.replyNotice = { on: false, since: null };
    }
    this.conversation = this.adopt(conversation);
    this.requestMissing();
  }

  private onError(frame: ErrorFrame): void {
    if (FATAL.includes(frame.code)) {
      this.fatalError = frame.code;
      this.stopped = true;
      this.opts.onlineTarget?.removeEventListener('online', this.onOnline);
    }
    if (frame.code === 'gone') return this.forget();
    if (this.pendingResume && !frame.ref && (frame.code === 'resume_invalid' || frame.code === 'rate_limited')) {
      // The hello goes on as without the code (the welcome follows); only the resume failed.
      this.pendingResume = null;
      this.dispatchEvent(new CustomEvent('resume', { detail: { ok: false, code: frame.code, retryAfterMs: frame.retryAfterMs } }));
      return;
    }
    if (frame.code === 'rate_limited') this.retryAfterMs = frame.retryAfterMs ?? DEFAULT_RETRY_MS;
    if (frame.ref) {
      const item = this.box.items.find((i) => i.clientId === frame.ref);
      if (item && frame.code === 'rate_limited') {
        // keep it; it (and whatever the visitor writes meanwhile) goes out in order once the wait is over
        this.held.add(item.clientId);
        this.timers.clearTimeout(this.holdTimer);
        this.holdTimer = this.timers.setTimeout(() => this.releaseHeld(), this.retryAfterMs);
      } else if (item) {
        this.box.remove(item.clientId);
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
    for (const item of this.box.items) if (held.has(item.clientId) && !this.raw(sendFrame(item))) return;
  }

  /** True while sends wait because the server said the visitor writes too fast. */
  get holding(): boolean {
    return this.holdTimer !== undefined;
  }

  private addMessages(messages: readonly MessageDto[]): void {
    let added = false;
    for (const message of messages) {
      if (!message || typeof message.id !== 'string' || !this.seen.fresh(message.id)) continue;
      if (message.clientId) this.box.remove(message.clientId);
      // a message of a conversation we have not heard of yet starts a new one
      if (!this.conversation || this.conversation.id !== message.conversationId) {
        if (this.conversation && this.conversation.id !== message.conversationId) this.seq.reset();
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
      this.seq.add(message.seq);
      added = true;
      this.dispatchEvent(new CustomEvent<MessageDto>('message', { detail: message }));
    }
    if (!added) return;
    this.messages.sort((a, b) => (a.conversationId === b.conversationId ? a.seq - b.seq : a.createdAt - b.createdAt));
    this.requestMissing();
    this.changed();
  }

  private syncRequestedFor = -1;
  /** Asks for what is missing when the conversation is ahead of what we hold. */
  private requestMissing(): void {
    if (!this.welcomed || !this.conversation) return;
    const highest = Math.max(this.conversation.lastSeq, this.seq.top);
    if (highest > this.seq.last && this.syncRequestedFor !== this.seq.last) {
      this.syncRequestedFor = this.seq.last;
      this.raw({ type: 'sync', afterSeq: this.seq.last });
    }
  }

  /** Highest seq of the current conversation the client holds without gaps. */
  get highestSeq(): number {
    return this.seq.last;
  }

  protected onState(): void {
    this.dispatchEvent(new Event('state'));
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
