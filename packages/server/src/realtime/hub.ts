import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS, type VisitorServerFrame } from '@direturn/protocol';
import type { AuthService } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/auth.middleware.js';
import { hostAllowed } from '../http/hosts.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { ReferralService } from '../referrals/referral.service.js';
import type { CallbackService } from '../callbacks/callback.service.js';
import type { ReplyNoticeService } from '../reply-notices/reply-notice.service.js';
import type { WorkloadService } from '../workload/workload.service.js';
import { counsels } from '../conversations/conversation.policy.js';
import type { Logger } from '../logger.js';
import type { SiteService } from '../sites/site.service.js';
import type { VisitorService } from '../visitors/visitor.service.js';
import type { ResumeCodes } from '../visitors/resume-codes.js';
import type { SettingsService } from '../settings/settings.service.js';
import { addressOfUpgrade, type ClientKeys } from '../security/client-key.js';
import type { Bus, BusEvent } from './bus/bus.js';
import { EventDelivery } from './delivery.js';
import { sendError, sendFrame } from './frames.js';
import { AgentConnection, mustEnrolFirst } from './agent-connection.js';
import { fromOwnOrigin } from './origin.js';
import { Presence } from './presence.js';
import { SocketRegistry } from './registry.js';
import { CLOSE_RATE_LIMITED, CLOSE_REFUSED, VisitorConnection } from './visitor-connection.js';
import type { VisitorLimits } from './visitor-limits.js';
import type { CallService } from '../calls/call.service.js';
import { CallRelay } from './call-relay.js';

/** What the realtime edge reports for /metrics (ops/metrics.ts); every member optional. */
export interface RealtimeObserver {
  /** Socket counts of this process changed. */
  connections?(visitors: number, agents: number): void;
  /** A message frame arrived; the returned function is called when its ack is sent (`stored`: new, not a resend). */
  messageIn?(author: 'visitor' | 'agent'): (stored: boolean) => void;
  /** Message frames written to sockets. */
  messageOut?(recipient: 'visitor' | 'agent'): void;
  busLag?(ms: number): void;
}

export interface HubDeps {
  sites: SiteService;
  visitors: VisitorService;
  conversations: ConversationService;
  auth: AuthService;
  settings: SettingsService;
  limits: VisitorLimits;
  clientKeys: ClientKeys;
  trustProxy: boolean;
  /** DiReturn's own URL (config publicUrl): the origin the chat frame and the console are served from. */
  publicUrl: string;
  /** Host names the server goes by besides loopback ones (http/hosts.ts); other upgrades are refused. */
  allowedHosts: readonly string[];
  logger: Logger;
  /** Between the processes of the installation (LocalBus when there is one). */
  bus: Bus;
  /** Warm referrals: the visitor answers over the socket; changes reach visitor and counsellors. */
  referrals?: ReferralService;
  /** Callback requests: the visitor asks over the socket; changes reach the visitor and every console. */
  callbacks?: CallbackService;
  /** Reply notices by e-mail: turned on and off over the socket; offered only when mail can be sent. */
  replyNotices?: ReplyNoticeService;
  /** Counsellors' availability: presence counts available counsellors only; who is connected is recorded. */
  workload?: WorkloadService;
  /** Resume codes (absent: the visitor socket refuses `resume-code` and ignores `hello.resume`). */
  resumeCodes?: ResumeCodes;
  /**
   * Voice and video calls, with the sealing of their signalling on the bus and the grace before a
   * silent side ends one (absent: both sockets refuse call frames).
   */
  calls?: { service: CallService; seal(plaintext: string, aad: string): string; open(sealed: string, aad: string): string; graceMs: number };
  observer?: RealtimeObserver;
}

/**
 * Hard cap before `ws` closes with 1009. Frames between LIMITS.frameMaxBytes and this are read but
 * answered with a `too_large` error frame only (see decodeFrame), so the client learns why.
 */
const WS_MAX_PAYLOAD = 4 * LIMITS.frameMaxBytes;
/** Also the cadence of the session check: an agent socket outlives an expired session by at most this. */
const HEARTBEAT_MS = 30_000;

/**
 * The WebSocket edge of this process: accepts visitor and agent sockets (origin and session
 * checks), keeps them in the registry, and connects the rest: domain events go onto the bus,
 * the bus's events reach the sockets through EventDelivery (the fan-out rule is in fanout.ts),
 * presence counts every process.
 */
export class RealtimeHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false });
  readonly registry = new SocketRegistry();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void>;
  private readonly publicOrigin: string;
  private readonly presence: Presence;
  private readonly delivery: EventDelivery;
  /** Call frames, signalling and the watch over calls held here (absent without calls). */
  readonly calls: CallRelay | undefined;
  private lastSessionCheck = Date.now();
  private accepting = true;

  constructor(readonly deps: HubDeps) {
    this.publicOrigin = new URL(deps.publicUrl).origin;
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
    const { bus } = deps;
    this.presence = new Presence(bus, () => this.availableHere(), () => this.broadcastPresence());
    this.delivery = new EventDelivery(bus, {
      conversations: deps.conversations,
      registry: this.registry,
      fail: (err) => this.fail(err),
      onOther: (event, from) => this.onOther(event, from),
      ...(deps.observer?.busLag ? { onLag: (ms: number) => deps.observer!.busLag!(ms) } : {}),
      ...(deps.observer?.messageOut ? { onSent: (f: { type: string }, recipient: 'visitor' | 'agent') => f.type === 'message' && deps.observer!.messageOut!(recipient) } : {}),
    });
    this.calls = deps.calls
      ? new CallRelay({ calls: deps.calls.service, bus, registry: this.registry, seal: deps.calls.seal, open: deps.calls.open, graceMs: deps.calls.graceMs, fail: (err) => this.fail(err) })
      : undefined;
    // Events published while the bus was down never arrive: every client here reconnects and
    // resumes from its last sequence number (1012: the widget and the console reconnect at once).
    bus.onResumed(() => {
      deps.logger.warn('bus: back after an interruption; clients reconnect to catch up');
      for (const ws of this.wss.clients) ws.close(1012, 'catch up');
    });
    // Domain events become bus events: ids and sequence numbers, plus what this process already
    // holds in memory for its own sockets.
    const { events } = deps.conversations;
    const originId = (o?: object) => (o && 'id' in o && typeof o.id === 'string' ? o.id : undefined);
    this.unsubscribe = [
      events.on('message', (e) => {
        const origin = originId(e.origin);
        const { conversation: c } = e;
        bus.publish(
          { kind: 'message', conversationId: c.id, seq: e.message.seq, visitorId: c.visitor_id, agentId: c.agent_id, waiting: c.status === 'waiting', ...(origin ? { origin } : {}) },
          { conversation: c, message: e.message },
        );
      }),
      events.on('changed', (e) => bus.publish({ kind: 'changed', conversationId: e.conversation.id, change: e.change }, { conversation: e.conversation })),
      events.on('read', (e) =>
        bus.publish({ kind: 'read', conversationId: e.conversation.id, by: e.by, seq: e.seq, withMessage: e.withMessage === true }, { conversation: e.conversation }),
      ),
      events.on('deleted', (e) => bus.publish({ kind: 'deleted', conversationIds: e.conversationIds, ...(e.visitorId ? { visitorId: e.visitorId } : {}) })),
      deps.auth.events.on('revoked', (e) => bus.publish({ kind: 'revoked', ...e })),
      // e.g. 2FA now required: sockets of agents without it close at once, not at their next
      // reconnect (other processes reload on the bus's `settings` event, which emits this there).
      deps.settings.events.on('changed', () => void this.recheckAgents().catch((err) => this.fail(err))),
      ...(deps.referrals ? [deps.referrals.events.on('changed', (e) => bus.publish({ kind: 'referral', ...e }))] : []),
      ...(deps.callbacks ? [deps.callbacks.events.on('changed', (e) => bus.publish({ kind: 'callback', ...e }))] : []),
      events.on('note', (e) => bus.publish({ kind: 'note', conversationId: e.conversation.id, noteId: e.note.id, handover: e.handover === true })),
      events.on('delivery', (e) => bus.publish({ kind: 'delivery', conversationId: e.conversation.id, messageId: e.messageId }, { conversation: e.conversation, delivery: e.delivery })),
      ...(deps.workload ? [deps.workload.events.on('changed', (e) => bus.publish({ kind: 'availability', agentId: e.agentId }))] : []),
    ];
  }

  get limits(): VisitorLimits {
    return this.deps.limits;
  }

  /** Whether a counsellor is connected to any process of the installation. */
  get agentsOnline(): boolean {
    return this.presence.agentsOnline;
  }

  /** Node's 'upgrade' event handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.accepting) return refuse(socket, 503, 'Service Unavailable');
    if (!hostAllowed(req.headers.host, this.deps.allowedHosts)) return refuse(socket, 421, 'Misdirected Request');
    const path = (req.url ?? '').split('?')[0];
    if (path === '/ws/visitor') {
      if (!fromOwnOrigin(req, this.publicOrigin)) {
        // Upgraded and then refused, so the page learns why (the widget does not retry after 4403).
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', () => ws.terminate());
          sendError(ws, 'origin_not_allowed', "The chat socket may only be opened by DiReturn's chat frame.");
          ws.close(CLOSE_REFUSED, 'origin_not_allowed');
        });
        return;
      }
      void this.upgradeVisitor(req, socket, head);
    } else if (path === '/ws/agent') {
      void this.upgradeAgent(req, socket, head);
    } else {
      refuse(socket, 404, 'Not Found');
    }
  }

  private async upgradeVisitor(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const clientKey = this.deps.clientKeys.keyOf(addressOfUpgrade(req, this.deps.trustProxy));
      // Counted at the upgrade: sockets that never say hello are capped per client too.
      const wait = await this.deps.limits.clientConnection(clientKey);
      if (wait > 0) {
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', () => ws.terminate());
          sendError(ws, 'rate_limited', 'The chat is very busy right now. Please try again in a moment.', undefined, wait);
          ws.close(CLOSE_RATE_LIMITED, 'rate_limited');
        });
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, new VisitorConnection(ws, this, clientKey)));
    } catch (err) {
      this.fail(err);
      refuse(socket, 500, 'Internal Server Error');
    }
  }

  private async upgradeAgent(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      // Only the console's own pages may open an agent socket with the cookie (no cross-site hijacking).
      if (!fromOwnOrigin(req, this.publicOrigin)) return refuse(socket, 403, 'Forbidden');
      const auth = await this.deps.auth.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE));
      if (!auth) return refuse(socket, 401, 'Unauthorized');
      if (mustEnrolFirst(auth.agent, this.deps.settings.requireTotp)) return refuse(socket, 403, 'Forbidden');
      // After an admin's password reset: a new password first (the console shows that form).
      if (auth.agent.passwordChangeRequired) return refuse(socket, 403, 'Forbidden');
      // Editors work on the knowledge base, not on conversations: no queue, no presence.
      if (!counsels(auth.agent)) return refuse(socket, 403, 'Forbidden');
      const availability = await this.deps.workload?.status(auth.agent.id);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, new AgentConnection(ws, this, auth.agent, auth.sessionId, availability)));
    } catch (err) {
      this.fail(err);
      refuse(socket, 500, 'Internal Server Error');
    }
  }

  private accept(ws: WebSocket, connection: VisitorConnection | AgentConnection): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('error', () => ws.terminate());
    connection.start();
  }

  // ---- registry (the connections register themselves once they know who they are) ----
  addVisitor(visitorId: string, c: VisitorConnection): void {
    this.registry.addVisitor(visitorId, c);
    this.counted();
  }

  removeVisitor(visitorId: string, c: VisitorConnection): void {
    this.registry.removeVisitor(visitorId, c);
    this.counted();
  }

  addAgent(agentId: string, c: AgentConnection): void {
    this.registry.addAgent(agentId, c);
    this.presence.localChanged();
    this.counted();
    this.seen([agentId]);
  }

  removeAgent(agentId: string, c: AgentConnection): void {
    this.registry.removeAgent(agentId, c);
    this.presence.localChanged();
    this.counted();
    // The away clock of the requeue job starts when the counsellor left.
    this.seen([agentId]);
  }

  /** Counsellors connected here who are available: they make "someone is online" true. */
  private availableHere(): number {
    let n = 0;
    for (const c of this.registry.agents()) if (c.available) n++;
    return n;
  }

  private seen(agentIds: string[]): void {
    if (agentIds.length && this.deps.workload) void this.deps.workload.seen(agentIds).catch((err) => this.fail(err));
  }

  /** Availability changed somewhere: this process's consoles of that counsellor and presence follow. */
  private async availabilityChanged(agentId: string): Promise<void> {
    const here = [...this.registry.agent(agentId)];
    if (!here.length || !this.deps.workload) return;
    const availability = await this.deps.workload.status(agentId);
    for (const c of here) c.availabilityChanged(availability);
    this.presence.localChanged();
  }

  private counted(): void {
    this.deps.observer?.connections?.(this.registry.visitorCount, this.registry.agentCount);
  }

  /** Starts the acknowledgement clock of an incoming message frame (metrics). */
  messageIn(author: 'visitor' | 'agent'): (stored: boolean) => void {
    return this.deps.observer?.messageIn?.(author) ?? noop;
  }

  /** A typing notice for the other side of a conversation, wherever its sockets are. */
  typing(to: 'visitor' | 'agent', targetId: string, conversationId: string, author: 'visitor' | 'agent', active: boolean): void {
    this.deps.bus.publish({ kind: 'typing', to, targetId, conversationId, author, active });
  }

  private broadcastPresence(): void {
    const frame: VisitorServerFrame = { type: 'presence', agentsOnline: this.agentsOnline };
    for (const c of this.registry.visitors()) if (c.ready) sendFrame(c.ws, frame);
  }

  private onOther(event: Exclude<BusEvent, { kind: 'message' | 'changed' | 'read' | 'deleted' | 'typing' | 'note' | 'delivery' }>, from: string): void {
    switch (event.kind) {
      case 'presence':
        return this.presence.handle(event, from);
      case 'revoked':
        // Ended sessions lose their live sockets at once, not at the next reconnect.
        for (const c of this.registry.agents()) {
          if ((event.agentId && c.agent.id === event.agentId) || (event.sessionId && c.sessionId === event.sessionId)) c.endSession();
        }
        return;
      case 'recheck':
        void this.recheckAgents().catch((err) => this.fail(err));
        return;
      case 'settings':
        if (from !== this.deps.bus.processId) void this.deps.settings.reload().catch((err) => this.fail(err));
        return;
      case 'referral':
        void this.deliverReferral(event.referralId).catch((err) => this.fail(err));
        return;
      case 'callback':
        void this.deliverCallback(event.callbackId).catch((err) => this.fail(err));
        return;
      case 'availability':
        void this.availabilityChanged(event.agentId).catch((err) => this.fail(err));
        return;
      case 'resumed':
        // The token these sockets said hello with is void: tell them and close (the widget forgets it).
        for (const c of [...this.registry.visitor(event.visitorId)]) if (c.id !== event.except) c.resumedElsewhere();
        return;
      case 'call':
      case 'call-signal':
        this.calls?.onBus(event);
        return;
    }
  }

  /** The visitor's referral list and the counsellors' view of the changed referral, to the sockets held here. */
  private async deliverReferral(referralId: string): Promise<void> {
    const { referrals } = this.deps;
    const visitorHere = referrals && this.registry.visitorCount > 0;
    if (!referrals || (!visitorHere && this.registry.agentCount === 0)) return;
    const d = await referrals.forDelivery(referralId);
    if (!d) return;
    const frame: VisitorServerFrame = { type: 'referrals', referrals: d.visitor };
    for (const c of this.registry.visitor(d.visitorId)) if (c.ready) sendFrame(c.ws, frame);
    for (const c of this.registry.agents()) {
      if (c.agent.role === 'admin' || d.agentIds.includes(c.agent.id)) sendFrame(c.ws, { type: 'referral', referral: d.agent });
    }
  }

  /** The visitor's callback list and every console's row of the changed callback (no number), to the sockets held here. */
  private async deliverCallback(callbackId: string): Promise<void> {
    const { callbacks } = this.deps;
    if (!callbacks || (this.registry.visitorCount === 0 && this.registry.agentCount === 0)) return;
    const d = await callbacks.forDelivery(callbackId);
    if (!d) return;
    const frame: VisitorServerFrame = { type: 'callbacks', callbacks: d.visitor };
    for (const c of this.registry.visitor(d.visitorId)) if (c.ready) sendFrame(c.ws, frame);
    for (const c of this.registry.agents()) if (counsels(c.agent)) sendFrame(c.ws, { type: 'callback', callback: d.agent });
  }

  /**
   * Slides the sessions of counsellors active on their socket, then closes agent sockets whose
   * session is no longer live: expired by inactivity, or ended in a way no event reported (e.g.
   * revoked while the socket was still being upgraded). Runs with the heartbeat.
   */
  async checkSessions(): Promise<void> {
    const connections = [...this.registry.agents()];
    if (connections.length === 0) return;
    // Work over the socket since the last check keeps the session alive, as requests do.
    const since = this.lastSessionCheck;
    this.lastSessionCheck = Date.now();
    this.seen([...new Set(connections.map((c) => c.agent.id))]);
    await this.deps.auth.extend([...new Set(connections.filter((c) => c.lastActiveAt >= since).map((c) => c.sessionId))]);
    await this.recheckAgents();
  }

  /**
   * Sockets follow every change that would refuse them at connect: a session that ended (logout,
   * revoked, expired, agent disabled) or an agent whose role changed closes with 4401 (the console
   * logs in again); an agent who must now enrol in 2FA first closes with CLOSE_ENROL_FIRST (the
   * console reconnects, is refused, and shows the enrolment). Runs on every settings change and
   * with the heartbeat (changes made outside this process).
   */
  async recheckAgents(): Promise<void> {
    const connections = [...this.registry.agents()];
    if (connections.length === 0) return;
    const live = await this.deps.auth.liveSessions([...new Set(connections.map((c) => c.sessionId))]);
    for (const c of connections) {
      const now = live.get(c.sessionId);
      if (!now || now.id !== c.agent.id || now.role !== c.agent.role) c.endSession();
      else if (mustEnrolFirst(now, this.deps.settings.requireTotp)) c.enrolFirst();
    }
  }

  fail(err: unknown): void {
    const e = err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { message: String(err) };
    this.deps.logger.error({ err: e }, 'realtime error');
  }

  /** Terminates sockets that did not answer the last ping (dead mobile connections). */
  private sweep(): void {
    void this.checkSessions().catch((err) => this.fail(err));
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  /**
   * Draining: refuses new sockets and closes every open one with "going away", so clients
   * reconnect (through the load balancer, to another process) and resume from their last seq.
   */
  async close(): Promise<void> {
    this.accepting = false;
    clearInterval(this.heartbeat);
    for (const off of this.unsubscribe) off();
    this.presence.stop();
    this.delivery.stop();
    this.calls?.stop();
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        for (const ws of this.wss.clients) ws.terminate();
        resolve();
      }, 2000);
      deadline.unref();
      this.wss.close(() => {
        clearTimeout(deadline);
        resolve();
      });
    });
  }
}

const noop = () => undefined;

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...rest] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a malformed %-escape is no session (401), not a server error
    }
  }
  return undefined;
}
