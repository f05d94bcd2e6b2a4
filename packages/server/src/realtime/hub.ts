import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS, type AgentDto, type AgentServerFrame, type ConversationSummaryDto, type VisitorServerFrame } from '@direturn/protocol';
import type { AuthService } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/auth.middleware.js';
import type { ConversationChange, ConversationService } from '../conversations/conversation.service.js';
import { shouldNotify } from '../conversations/conversation.policy.js';
import { mayPreview } from '../conversations/read-access.js';
import { toVisitorConversationDto } from '../conversations/conversation.presenter.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import { hostAllowed } from '../http/hosts.js';
import type { Logger } from '../logger.js';
import type { SiteService } from '../sites/site.service.js';
import type { VisitorService } from '../visitors/visitor.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { addressOfUpgrade, type ClientKeys } from '../security/client-key.js';
import { sendError, sendFrame } from './frames.js';
import { AgentConnection, mustEnrolFirst } from './agent-connection.js';
import { fromOwnOrigin } from './origin.js';
import { CLOSE_DELETED, CLOSE_RATE_LIMITED, CLOSE_REFUSED, VisitorConnection } from './visitor-connection.js';
import type { VisitorLimits } from './visitor-limits.js';

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
}

/**
 * Hard cap before `ws` closes with 1009. Frames between LIMITS.frameMaxBytes and this are read but
 * answered with a `too_large` error frame only (see decodeFrame), so the client learns why.
 */
const WS_MAX_PAYLOAD = 4 * LIMITS.frameMaxBytes;
/** Also the cadence of the session check: an agent socket outlives an expired session by at most this. */
const HEARTBEAT_MS = 30_000;
/** Changes that move a conversation between lists: every console hears of them (see shouldNotify). */
const STATUS_CHANGES: ReadonlySet<ConversationChange> = new Set(['created', 'claimed', 'closed']);

/**
 * The WebSocket hub: accepts visitor and agent sockets, hands their frames to the connection
 * handlers, and fans domain events out to whoever should see them.
 */
export class RealtimeHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false });
  private readonly visitorSockets = new Map<string, Set<VisitorConnection>>();
  private readonly agentSockets = new Map<string, Set<AgentConnection>>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void>;
  private readonly publicOrigin: string;
  private lastSessionCheck = Date.now();

  constructor(readonly deps: HubDeps) {
    this.publicOrigin = new URL(deps.publicUrl).origin;
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
    const { events } = deps.conversations;
    this.unsubscribe = [
      events.on('message', (e) => void this.onMessage(e.conversation, e.message, e.origin).catch((err) => this.fail(err))),
      events.on('changed', (e) => void this.onChanged(e.conversation, e.change).catch((err) => this.fail(err))),
      events.on('read', (e) => void this.onRead(e.conversation, e.by, e.seq, e.withMessage === true).catch((err) => this.fail(err))),
      events.on('deleted', (e) => this.onDeleted(e.conversationIds, e.visitorId)),
      deps.auth.events.on('revoked', (e) => this.onRevoked(e.agentId, e.sessionId)),
      // e.g. 2FA now required: sockets of agents without it close at once, not at their next reconnect
      deps.settings.events.on('changed', () => void this.recheckAgents().catch((err) => this.fail(err))),
    ];
  }

  get limits(): VisitorLimits {
    return this.deps.limits;
  }

  get agentsOnline(): boolean {
    return this.agentSockets.size > 0;
  }

  /** Node's 'upgrade' event handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
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
      const clientKey = this.deps.clientKeys.keyOf(addressOfUpgrade(req, this.deps.trustProxy));
      // Counted at the upgrade: sockets that never say hello are capped per client too.
      const wait = this.deps.limits.clientConnection(clientKey);
      if (wait > 0) {
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', () => ws.terminate());
          sendError(ws, 'rate_limited', 'The chat is very busy right now. Please try again in a moment.', undefined, wait);
          ws.close(CLOSE_RATE_LIMITED, 'rate_limited');
        });
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, new VisitorConnection(ws, this)));
    } else if (path === '/ws/agent') {
      void this.upgradeAgent(req, socket, head);
    } else {
      refuse(socket, 404, 'Not Found');
    }
  }

  private async upgradeAgent(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      // Only the console's own pages may open an agent socket with the cookie (no cross-site hijacking).
      if (!fromOwnOrigin(req, this.publicOrigin)) return refuse(socket, 403, 'Forbidden');
      const auth = await this.deps.auth.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE));
      if (!auth) return refuse(socket, 401, 'Unauthorized');
      if (mustEnrolFirst(auth.agent, this.deps.settings.requireTotp)) return refuse(socket, 403, 'Forbidden');
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, new AgentConnection(ws, this, auth.agent, auth.sessionId)));
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

  // ---- registry ----
  addVisitor(visitorId: string, c: VisitorConnection): void {
    let set = this.visitorSockets.get(visitorId);
    if (!set) this.visitorSockets.set(visitorId, (set = new Set()));
    set.add(c);
  }

  removeVisitor(visitorId: string, c: VisitorConnection): void {
    const set = this.visitorSockets.get(visitorId);
    set?.delete(c);
    if (set?.size === 0) this.visitorSockets.delete(visitorId);
  }

  addAgent(agentId: string, c: AgentConnection): void {
    const wasOnline = this.agentsOnline;
    let set = this.agentSockets.get(agentId);
    if (!set) this.agentSockets.set(agentId, (set = new Set()));
    set.add(c);
    if (!wasOnline) this.broadcastPresence();
  }

  removeAgent(agentId: string, c: AgentConnection): void {
    const set = this.agentSockets.get(agentId);
    set?.delete(c);
    if (set?.size === 0) this.agentSockets.delete(agentId);
    if (!this.agentsOnline) this.broadcastPresence();
  }

  toVisitor(visitorId: string, frame: VisitorServerFrame, except?: object): void {
    for (const c of this.visitorSockets.get(visitorId) ?? []) if (c !== except) sendFrame(c.ws, frame);
  }

  toAgent(agentId: string, frame: AgentServerFrame, except?: object): void {
    for (const c of this.agentSockets.get(agentId) ?? []) if (c !== except) sendFrame(c.ws, frame);
  }

  private toAgentsWhere(predicate: (agent: AgentDto) => boolean, frame: AgentServerFrame | ((agent: AgentDto) => AgentServerFrame)): void {
    for (const set of this.agentSockets.values()) {
      for (const c of set) if (predicate(c.agent)) sendFrame(c.ws, typeof frame === 'function' ? frame(c.agent) : frame);
    }
  }

  private broadcastPresence(): void {
    const frame: VisitorServerFrame = { type: 'presence', agentsOnline: this.agentsOnline };
    for (const set of this.visitorSockets.values()) for (const c of set) if (c.ready) sendFrame(c.ws, frame);
  }

  // ---- fan-out of domain events ----
  private async onMessage(conversation: ConversationRow, message: import('@direturn/protocol').MessageDto, origin?: object): Promise<void> {
    this.toVisitor(conversation.visitor_id, { type: 'message', message }, origin);
    if (conversation.agent_id) this.toAgent(conversation.agent_id, { type: 'message', message }, origin);
    if (this.agentSockets.size > 0) {
      const summary = await this.deps.conversations.summary(conversation.id);
      this.toAgentsAs((a) => shouldNotify(a, conversation, false), summary);
    }
  }

  private async onChanged(conversation: ConversationRow, change: ConversationChange): Promise<void> {
    const agentName = await this.deps.conversations.agentNameOf(conversation);
    this.toVisitor(conversation.visitor_id, { type: 'conversation', conversation: toVisitorConversationDto(conversation, agentName) });
    if (this.agentSockets.size > 0) {
      const summary = await this.deps.conversations.summary(conversation.id);
      const statusChanged = STATUS_CHANGES.has(change);
      // Who is told is decided on the summary just read, not on the event's (maybe older) row; what
      // they see of it by read-access (counsellors another took it from learn only that it left the queue).
      const current = { status: summary.status, agent_id: summary.agentId };
      this.toAgentsAs((a) => shouldNotify(a, current, statusChanged), summary);
    }
  }

  /** A `conversation` frame to the agents `predicate` picks, each with as much as they may preview. */
  private toAgentsAs(predicate: (agent: AgentDto) => boolean, summary: ConversationSummaryDto): void {
    const full: AgentServerFrame = { type: 'conversation', conversation: summary };
    const bare: AgentServerFrame = { type: 'conversation', conversation: { ...summary, firstMessage: null, pageUrl: null } };
    const current = { status: summary.status, agent_id: summary.agentId };
    this.toAgentsWhere(predicate, (a) => (mayPreview(a, current) ? full : bare));
  }

  private async onRead(conversation: ConversationRow, by: 'visitor' | 'agent', seq: number, withMessage: boolean): Promise<void> {
    const frame = { type: 'read', conversationId: conversation.id, by, seq } as const;
    if (by === 'agent') this.toVisitor(conversation.visitor_id, frame);
    if (conversation.agent_id) {
      this.toAgent(conversation.agent_id, frame);
      // After an answer the summary of the `message` event already carries the new read mark.
      if (by === 'agent' && !withMessage) {
        const summary = await this.deps.conversations.summary(conversation.id);
        this.toAgent(conversation.agent_id, { type: 'conversation', conversation: summary });
      }
    }
  }

  /** Deleted conversations leave every console list; a deleted visitor's sockets are told and closed. */
  private onDeleted(conversationIds: string[], visitorId?: string): void {
    for (const conversationId of conversationIds) {
      const frame: AgentServerFrame = { type: 'conversation-deleted', conversationId };
      for (const set of this.agentSockets.values()) for (const c of set) sendFrame(c.ws, frame);
    }
    if (visitorId) {
      for (const c of this.visitorSockets.get(visitorId) ?? []) {
        sendFrame(c.ws, { type: 'deleted' } satisfies VisitorServerFrame);
        c.ws.close(CLOSE_DELETED, 'deleted');
      }
      this.visitorSockets.delete(visitorId);
    }
  }

  /** Ended sessions lose their live sockets at once, not at the next reconnect. */
  private onRevoked(agentId?: string, sessionId?: string): void {
    for (const set of this.agentSockets.values()) {
      for (const c of set) if ((agentId && c.agent.id === agentId) || (sessionId && c.sessionId === sessionId)) c.endSession();
    }
  }

  /**
   * Slides the sessions of counsellors active on their socket, then closes agent sockets whose
   * session is no longer live: expired by inactivity, or ended in a way no event reported (e.g.
   * revoked while the socket was still being upgraded). Runs with the heartbeat.
   */
  async checkSessions(): Promise<void> {
    const connections = [...this.agentSockets.values()].flatMap((set) => [...set]);
    if (connections.length === 0) return;
    // Work over the socket since the last check keeps the session alive, as requests do.
    const since = this.lastSessionCheck;
    this.lastSessionCheck = Date.now();
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
    const connections = [...this.agentSockets.values()].flatMap((set) => [...set]);
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

  /** Closes every socket with "going away" so clients reconnect to the next server. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const off of this.unsubscribe) off();
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
