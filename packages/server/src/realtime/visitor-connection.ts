import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { SiteDto, VisitorServerFrame } from '@direturn/protocol';
import { VisitorFrameSchema, type VisitorFrame, type VisitorHello } from '@direturn/protocol/schemas';
import { toVisitorConversationDto } from '../conversations/conversation.presenter.js';
import { isDomainError, RateLimitedError } from '../shared/errors.js';
import type { VisitorRow } from '../visitors/visitor.table.js';
import { decodeFrame, sendError, sendFrame } from './frames.js';
import type { RealtimeHub } from './hub.js';
import { FloodGuard, TokenBucket } from './rate-limit.js';

const HELLO_TIMEOUT_MS = 10_000;
/** Close code for a refused site or origin: the widget shows the error and does not retry. */
export const CLOSE_REFUSED = 4403;
import { CLOSE_DELETED } from './fanout.js';
export { CLOSE_DELETED };
/** Close code when the site or client opens too many sockets: retry later. */
export const CLOSE_RATE_LIMITED = 4429;

/** One visitor socket: hello first, then messages of that visitor only. */
export class VisitorConnection {
  /** Names this socket on the bus (an event it caused is not echoed to it). */
  readonly id = randomUUID();
  private visitor: VisitorRow | undefined;
  private site: SiteDto | undefined;
  private pageUrl: string | undefined;
  private readonly bucket = new TokenBucket(5, 20);
  private readonly flood = new FloodGuard();
  /** Frames are handled one after another, so a send's ack never overtakes an earlier one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    private readonly hub: RealtimeHub,
  ) {}

  get ready(): boolean {
    return this.visitor !== undefined;
  }

  start(): void {
    const helloTimer = setTimeout(() => {
      if (!this.visitor) this.ws.close(4408, 'hello expected');
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
      if (this.visitor) this.hub.removeVisitor(this.visitor.id, this);
    });
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
    const { visitor, token } = await visitors.identify(this.site.id, frame.token, frame.language);
    // A returning visitor may come back in another language (reload after switching): same rule as `language`.
    if (frame.token) await conversations.visitorLanguage(visitor.id, frame.language);
    this.visitor = visitor;
    this.pageUrl = frame.pageUrl;
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.hub.addVisitor(visitor.id, this);
    const view = await conversations.visitorView(visitor.id, frame.lastSeq ?? 0);
    this.send({
      type: 'welcome',
      token,
      visitorId: visitor.id,
      conversation: view.conversation ? toVisitorConversationDto(view.conversation, view.agentName) : null,
      messages: view.messages,
      agentsOnline: this.hub.agentsOnline,
      privacy: settings.privacyNotice(this.site.id, visitor.language as VisitorHello['language']),
    });
    // Proposals waiting for an answer, and what became of consented ones (after a reload too).
    const referrals = view.conversation && this.hub.deps.referrals ? await this.hub.deps.referrals.visitorList(visitor.id) : [];
    if (referrals.length) this.send({ type: 'referrals', referrals });
  }

  private onError(err: unknown, frame: VisitorFrame): void {
    const ref = frame.type === 'send' ? frame.clientId : undefined;
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
