import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { SiteDto, VisitorServerFrame } from '@direturn/protocol';
import { callErrorRef, CLOSE_CODES } from '@direturn/protocol';
import { VisitorFrameSchema, type VisitorFrame, type VisitorHello } from '@direturn/protocol/schemas';
import { toVisitorConversationDto } from '../conversations/conversation.presenter.js';
import { isDomainError, RateLimitedError } from '../shared/errors.js';
import type { VisitorRow } from '../visitors/visitor.table.js';
import { decodeFrame, sendError, sendFrame } from './frames.js';
import type { RealtimeHub } from './hub.js';
import { FloodGuard, TokenBucket } from './rate-limit.js';

const HELLO_TIMEOUT_MS = 10_000;
/** Close code for a refused site or origin: the widget shows the error and does not retry. */
export const CLOSE_REFUSED = CLOSE_CODES.refused;
import { CLOSE_DELETED } from './fanout.js';
export { CLOSE_DELETED };
/** Close code when the site or client opens too many sockets: retry later. */
export const CLOSE_RATE_LIMITED = CLOSE_CODES.rateLimited;
/** Close code after the visitor continued on another device with their resume code: this token is void. */
export const CLOSE_RESUMED_ELSEWHERE = CLOSE_CODES.resumedElsewhere;

/** One visitor socket: hello first, then messages of that visitor only. */
export class VisitorConnection {
  /** Where this socket last said "typing" (ended when the socket closes). */
  private typingTo: { agentId: string; conversationId: string } | undefined;
  /** Names this socket on the bus (an event it caused is not echoed to it). */
  readonly id = randomUUID();
  private visitor: VisitorRow | undefined;
  private site: SiteDto | undefined;
  private pageUrl: string | undefined;
  private readonly bucket = new TokenBucket(5, 20);
  private readonly flood = new FloodGuard();
  /** Frames are handled one after another, so a send's ack never overtakes an earlier one. */
  private queue: Promise<void> = Promise.resolve();
  /** Fires when the site's opening period ends while this visitor is connected (the away notice). */
  private closingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ws: WebSocket,
    private readonly hub: RealtimeHub,
    /** Salted address key of the client (per-client limits on resume codes). */
    private readonly clientKey = 'unknown',
  ) {}

  get ready(): boolean {
    return this.visitor !== undefined;
  }

  start(): void {
    const helloTimer = setTimeout(() => {
      if (!this.visitor) this.ws.close(CLOSE_CODES.helloExpected, 'hello expected');
    }, HELLO_TIMEOUT_MS);
    helloTimer.unref();
    this.ws.on('message', (data, isBinary) => {
      // Every frame takes a token, malformed and oversized ones too.
      const allowed = this.bucket.take();
      const decoded = decodeFrame(VisitorFrameSchema, data, isBinary);
      if (!allowed) {
        const ref = decoded.ok && decoded.frame.type === 'send' ? decoded.frame.clientId : undefined;
        if (this.flood.answer(ref)) sendError(this.ws, 'rate_limited', 'Too many messages at once. Please wait a moment.', ref, this.bucket.retryAfterMs());
        return;
      }
      this.flood.reset();
      if (!decoded.ok) return sendError(this.ws, decoded.code, decoded.message, decoded.ref);
      this.queue = this.queue.then(() => this.handle(decoded.frame)).catch((err) => this.onError(err, decoded.frame));
    });
    this.ws.on('close', () => {
      clearTimeout(helloTimer);
      clearTimeout(this.closingTimer);
      if (this.visitor) this.hub.removeVisitor(this.visitor.id, this);
      this.hub.calls?.left(this);
      // "Is typing" ends with the socket that said it, not 30 s later on the other screen.
      if (this.typingTo) this.hub.typing('agent', this.typingTo.agentId, this.typingTo.conversationId, 'visitor', false);
      this.typingTo = undefined;
    });
  }

  /** The visitor continued on another device: this socket's token is void. Told, then closed. */
  resumedElsewhere(): void {
    const visitor = this.visitor;
    if (!visitor) return;
    this.visitor = undefined;
    this.hub.removeVisitor(visitor.id, this);
    this.send({ type: 'resumed-elsewhere' });
    this.ws.close(CLOSE_RESUMED_ELSEWHERE, 'resumed elsewhere');
  }

  private send(frame: VisitorServerFrame): void {
    sendFrame(this.ws, frame);
  }

  private async handle(frame: VisitorFrame): Promise<void> {
    if (frame.type === 'ping') return this.send({ type: 'pong' });
    if (frame.type === 'hello') return this.hello(frame);
    const visitor = this.visitor;
    if (!visitor) return sendError(this.ws, 'not_ready', 'Send hello first.', frame.type === 'send' ? frame.clientId : undefined);
    const { conversations, visitors } = this.hub.deps;
    switch (frame.type) {
      case 'send': {
        const acked = this.hub.messageIn('visitor');
        const siteId = visitor.site_id;
        const result = await conversations.visitorSend(
          visitor,
          {
            clientId: frame.clientId,
            body: frame.body,
            pageUrl: this.pageUrl,
            language: visitor.language as VisitorHello['language'],
            context: frame.context,
            // Per-site limit on new conversations: a flood from one partner page cannot bury the queue.
            admitNew: () => this.hub.limits.newConversation(siteId),
          },
          this,
        );
        this.send({ type: 'ack', clientId: frame.clientId, message: result.message });
        return acked(!result.duplicate);
      }
      case 'typing': {
        const conversation = await conversations.current(visitor.id);
        if (conversation?.agent_id && conversation.status === 'active') {
          this.hub.typing('agent', conversation.agent_id, conversation.id, 'visitor', frame.active);
          this.typingTo = frame.active ? { agentId: conversation.agent_id, conversationId: conversation.id } : undefined;
        }
        return;
      }
      case 'read':
        return conversations.visitorRead(visitor.id, frame.seq);
      case 'sync': {
        const view = await conversations.visitorView(visitor.id, frame.afterSeq);
        return this.send({ type: 'synced', conversationId: view.conversation?.id ?? null, messages: view.messages });
      }
      case 'language':
        this.visitor = { ...visitor, language: frame.language };
        await visitors.setLanguage(visitor.id, frame.language);
        return conversations.visitorLanguage(visitor.id, frame.language);
      case 'referral': {
        const { referrals } = this.hub.deps;
        if (!referrals) return sendError(this.ws, 'bad_request', 'Referrals are not available here.');
        return referrals.visitorAnswer(visitor.id, frame);
      }
      case 'callback': {
        const { callbacks } = this.hub.deps;
        if (!callbacks || !this.site) return sendError(this.ws, 'bad_request', 'Callbacks are not available here.', frame.requestId);
        const siteId = visitor.site_id;
        const list = await callbacks.request(visitor, this.site, frame, {
          clientKey: this.clientKey,
          pageUrl: this.pageUrl,
          admitNew: () => this.hub.limits.newConversation(siteId),
        });
        return this.send({ type: 'callbacks', callbacks: list });
      }
      case 'reply-notice-on':
      case 'reply-notice-off': {
        const { replyNotices } = this.hub.deps;
        if (!replyNotices?.available) return sendError(this.ws, 'reply_notice_unavailable', 'E-mail notices are not available here.', 'reply-notice');
        return this.send(frame.type === 'reply-notice-on' ? await replyNotices.turnOn(visitor, frame) : await replyNotices.turnOff(visitor.id));
      }
      case 'resume-code': {
        const { resumeCodes } = this.hub.deps;
        if (!resumeCodes) return sendError(this.ws, 'bad_request', 'Resume codes are not available here.');
        const issued = await resumeCodes.issue(visitor.id);
        return this.send({ type: 'resume-code', code: issued.code, createdAt: issued.createdAt });
      }
      case 'call-accept':
      case 'call-decline':
      case 'call-hangup':
      case 'call-signal':
      case 'call-ice':
      case 'call-join':
        if (!this.hub.calls) return sendError(this.ws, 'bad_request', 'Calls are not available here.', callErrorRef(frame.callId));
        return this.hub.calls.visitorFrame(this, visitor.id, frame);
      case 'delete':
        // The hub answers `deleted` on every socket of this visitor and closes them (CLOSE_DELETED).
        this.visitor = undefined;
        await conversations.deleteVisitor(visitor.id);
        return;
    }
  }

  private async hello(frame: VisitorHello): Promise<void> {
    if (this.visitor) return sendError(this.ws, 'bad_request', 'hello was sent already.');
    const { sites, visitors, conversations, settings } = this.hub.deps;
    try {
      this.site = await sites.resolveEmbed(frame.site, frame.origin);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      sendError(this.ws, err.code, err.message);
      this.ws.close(CLOSE_REFUSED, err.code);
      return;
    }
    const wait = await this.hub.limits.siteConnection(this.site.id);
    if (wait > 0) {
      sendError(this.ws, 'rate_limited', 'The chat is very busy right now. Please try again in a moment.', undefined, wait);
      this.ws.close(CLOSE_RATE_LIMITED, 'rate_limited');
      return;
    }
    const resumed = frame.resume ? await this.resume(this.site.id, frame.resume, frame.language) : undefined;
    const { visitor, token } = resumed ?? (await visitors.identify(this.site.id, frame.token, frame.language));
    // A returning visitor may come back in another language (reload after switching): same rule as `language`.
    if (frame.token || resumed) await conversations.visitorLanguage(visitor.id, frame.language);
    this.visitor = visitor;
    this.pageUrl = frame.pageUrl;
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.hub.addVisitor(visitor.id, this);
    // The device that held the old token loses it: its sockets close wherever they are.
    if (resumed) this.hub.deps.bus.publish({ kind: 'resumed', visitorId: visitor.id, except: this.id });
    const view = await conversations.visitorView(visitor.id, frame.lastSeq ?? 0);
    this.send({
      type: 'welcome',
      token,
      visitorId: visitor.id,
      conversation: view.conversation ? toVisitorConversationDto(view.conversation, view.agentName) : null,
      messages: view.messages,
      agentsOnline: this.hub.agentsOnline,
      ...(this.site ? { away: sites.awayNotice(this.site, visitor.language as VisitorHello['language']) } : {}),
      privacy: settings.privacyNotice(this.site.id, visitor.language as VisitorHello['language']),
    });
    this.tellWhenClosing(visitor.language as VisitorHello['language']);
    // Proposals waiting for an answer, and what became of consented ones (after a reload too).
    const referrals = view.conversation && this.hub.deps.referrals ? await this.hub.deps.referrals.visitorList(visitor.id) : [];
    if (referrals.length) this.send({ type: 'referrals', referrals });
    // Callback requests: received, and when they were handled (after a reload too). A request
    // always comes with a conversation: a visitor without one has none (no query for them).
    const callbacks = view.conversation && this.hub.deps.callbacks ? await this.hub.deps.callbacks.visitorList(visitor.id) : [];
    if (callbacks.length) this.send({ type: 'callbacks', callbacks });
    // Reply notices by e-mail, only where mail can be sent: the widget offers them when told.
    if (this.hub.deps.replyNotices?.available) this.send(await this.hub.deps.replyNotices.state(visitor.id));
    // A call offered or going on in the conversation (after a reload, a reconnect, another tab).
    await this.hub.calls?.greetVisitor(this, visitor.id, view.conversation?.id);
  }

  /**
   * A hello with a resume code: the code's visitor with a fresh token, or undefined after an error
   * frame (wrong code, too many attempts), and the hello goes on as without the code.
   */
  private async resume(siteId: string, typed: string, language: VisitorHello['language']) {
    const { resumeCodes, visitors } = this.hub.deps;
    if (!resumeCodes) return undefined;
    try {
      const visitorId = await resumeCodes.use(siteId, typed, this.clientKey);
      return await visitors.resume(visitorId, language);
    } catch (err) {
      if (err instanceof RateLimitedError) sendError(this.ws, err.code, err.message, undefined, err.retryAfterMs);
      else if (isDomainError(err)) sendError(this.ws, err.code, err.message);
      else throw err;
      return undefined;
    }
  }

  /** Open now: at the end of the period, a presence frame with the away notice (within a day; a reconnect sets it again). */
  private tellWhenClosing(language: VisitorHello['language']): void {
    const site = this.site;
    const closesAt = site ? this.hub.deps.sites.closesAt(site) : undefined;
    if (!site || closesAt === undefined || closesAt - Date.now() > 86_400_000) return;
    clearTimeout(this.closingTimer);
    this.closingTimer = setTimeout(() => {
      const away = this.hub.deps.sites.awayNotice(site, language);
      if (away && this.ws.readyState === this.ws.OPEN) this.send({ type: 'presence', agentsOnline: this.hub.agentsOnline, away });
    }, Math.max(0, closesAt - Date.now()) + 1000);
    this.closingTimer.unref();
  }

  private onError(err: unknown, frame: VisitorFrame): void {
    const ref =
      frame.type === 'send'
        ? frame.clientId
        : frame.type === 'callback'
          ? frame.requestId
          : frame.type === 'reply-notice-on' || frame.type === 'reply-notice-off'
            ? 'reply-notice'
            : 'callId' in frame
              ? callErrorRef(frame.callId)
              : undefined;
    if (err instanceof RateLimitedError) return sendError(this.ws, err.code, err.message, ref, err.retryAfterMs);
    if (isDomainError(err)) {
      sendError(this.ws, err.code, err.message, ref, undefined, err.issues);
      // The visitor was deleted meanwhile: the widget forgets its token, as after `deleted`.
      if (err.code === 'gone') this.ws.close(CLOSE_DELETED, 'deleted');
      return;
    }
    this.hub.fail(err);
    sendError(this.ws, 'internal', 'The server could not handle this frame. Please try again.', ref);
  }
}
