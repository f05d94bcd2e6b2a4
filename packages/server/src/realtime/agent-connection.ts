import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { AgentDto, AgentServerFrame, AvailabilityDto } from '@direturn/protocol';
import { callErrorRef, CLOSE_CODES } from '@direturn/protocol';
import { AgentFrameSchema, type AgentFrame } from '@direturn/protocol/schemas';
import { isDomainError, RateLimitedError } from '../shared/errors.js';
import { decodeFrame, sendError, sendFrame } from './frames.js';
import type { RealtimeHub } from './hub.js';
import { FloodGuard, TokenBucket } from './rate-limit.js';

/** Close code for an agent socket whose session ended (logout, revoked, disabled, expired); the console does not reconnect. */
export const CLOSE_SESSION_ENDED = CLOSE_CODES.sessionEnded;
/** Close code when 2FA became required and this agent has none: the reconnect is refused and the console shows enrolment. */
export const CLOSE_ENROL_FIRST = CLOSE_CODES.refused;

/** What refuses an authenticated agent socket at connect and ends an open one (also checked per frame). */
export const mustEnrolFirst = (agent: AgentDto, requireTotp: boolean): boolean => requireTotp && agent.totpEnabled !== true;

/** The `ref` of an error answering a call frame: the call's id (the conversation's for an offer). */
const callRef = (frame: AgentFrame): string | undefined =>
  frame.type === 'call-offer' ? callErrorRef(frame.conversationId) : 'callId' in frame ? callErrorRef(frame.callId) : undefined;

/** One console socket of an authenticated counsellor. */
export class AgentConnection {
  /** Names this socket on the bus (an event it caused is not echoed to it). */
  readonly id = randomUUID();
  private readonly bucket = new TokenBucket(20, 60);
  private readonly flood = new FloodGuard();
  private queue: Promise<void> = Promise.resolve();

  /**
   * When the counsellor last wrote or typed here: their session slides with it. Frames the console
   * sends by itself (read marks, syncs after reconnects, pings) do not count, or an open tab would
   * never time out while visitors write.
   */
  lastActiveAt = 0;

  /** Conversations this socket said "typing" in, with their visitor: ended when the socket closes. */
  private readonly typingIn = new Map<string, string>();

  constructor(
    readonly ws: WebSocket,
    private readonly hub: RealtimeHub,
    readonly agent: AgentDto,
    readonly sessionId: string,
    /** The counsellor's availability: only available counsellors count as "someone is online". */
    public availability?: AvailabilityDto,
  ) {}

  get available(): boolean {
    return this.availability?.availability !== 'away';
  }

  /** The counsellor's availability changed (any process): presence follows, the console is told. */
  availabilityChanged(availability: AvailabilityDto): void {
    this.availability = availability;
    this.send({ type: 'availability', availability });
  }

  start(): void {
    this.hub.addAgent(this.agent.id, this);
    this.send({ type: 'ready', agent: this.agent, ...(this.availability ? { availability: this.availability } : {}) });
    // The counsellor's call, if one is going on (after a reload, in another tab).
    void this.hub.calls?.greetAgent(this, this.agent.id).catch((err) => this.hub.fail(err));
    this.ws.on('message', (data, isBinary) => {
      if (this.ws.readyState !== this.ws.OPEN) return; // closing (session ended): nothing more is handled
      // Checked on every frame, not only when the settings event arrives: nothing is read after the change.
      if (mustEnrolFirst(this.agent, this.hub.deps.settings.requireTotp)) return this.enrolFirst();
      // Every frame takes a token, malformed and oversized ones too.
      const allowed = this.bucket.take();
      const decoded = decodeFrame(AgentFrameSchema, data, isBinary);
      if (!allowed) {
        const ref = decoded.ok && decoded.frame.type === 'send' ? decoded.frame.clientId : undefined;
        if (this.flood.answer(ref)) sendError(this.ws, 'rate_limited', 'Too many frames at once. Please wait a moment.', ref, this.bucket.retryAfterMs());
        return;
      }
      this.flood.reset();
      if (!decoded.ok) return sendError(this.ws, decoded.code, decoded.message, decoded.ref);
      this.queue = this.queue
        // A frame still queued when the session ended is dropped; the console resends it after logging in again.
        .then(() => (this.ws.readyState === this.ws.OPEN ? this.handle(decoded.frame) : undefined))
        .catch((err) => this.onError(err, decoded.frame));
    });
    this.ws.on('close', () => {
      this.hub.removeAgent(this.agent.id, this);
      this.hub.calls?.left(this);
      for (const [conversationId, visitorId] of this.typingIn) this.hub.typing('visitor', visitorId, conversationId, 'agent', false);
      this.typingIn.clear();
    });
  }

  endSession(): void {
    this.ws.close(CLOSE_SESSION_ENDED, 'session ended');
  }

  enrolFirst(): void {
    this.ws.close(CLOSE_ENROL_FIRST, 'totp_setup_required');
  }

  private send(frame: AgentServerFrame): void {
    sendFrame(this.ws, frame);
  }

  private async handle(frame: AgentFrame): Promise<void> {
    const { conversations } = this.hub.deps;
    switch (frame.type) {
      case 'ping':
        return this.send({ type: 'pong' });
      case 'send': {
        const acked = this.hub.messageIn('agent');
        const result = await conversations.agentSend(this.agent, frame.conversationId, { clientId: frame.clientId, body: frame.body }, this);
        this.lastActiveAt = Date.now();
        this.send({ type: 'ack', clientId: frame.clientId, message: result.message });
        return acked(!result.duplicate);
      }
      case 'typing': {
        const visitorId = await conversations.visitorWrittenToBy(this.agent, frame.conversationId);
        if (visitorId) {
          this.lastActiveAt = Date.now();
          this.hub.typing('visitor', visitorId, frame.conversationId, 'agent', frame.active);
          if (frame.active) this.typingIn.set(frame.conversationId, visitorId);
          else this.typingIn.delete(frame.conversationId);
        }
        return;
      }
      case 'read':
        return conversations.agentRead(this.agent, frame.conversationId, frame.seq);
      case 'sync': {
        const messages = await conversations.messagesAfter(this.agent, frame.conversationId, frame.afterSeq);
        return this.send({ type: 'synced', conversationId: frame.conversationId, messages });
      }
      case 'call-offer':
      case 'call-hangup':
      case 'call-signal':
      case 'call-ice':
      case 'call-join':
        if (!this.hub.calls) return sendError(this.ws, 'bad_request', 'Calls are not available here.', callRef(frame));
        if (frame.type === 'call-offer' || frame.type === 'call-hangup') this.lastActiveAt = Date.now();
        return this.hub.calls.agentFrame(this, this.agent, frame);
    }
  }

  private onError(err: unknown, frame: AgentFrame): void {
    const ref = frame.type === 'send' ? frame.clientId : callRef(frame);
    if (err instanceof RateLimitedError) return sendError(this.ws, err.code, err.message, ref, err.retryAfterMs);
    if (isDomainError(err)) return sendError(this.ws, err.code, err.message, ref);
    this.hub.fail(err);
    sendError(this.ws, 'internal', 'The server could not handle this frame. Please try again.', ref);
  }
}
