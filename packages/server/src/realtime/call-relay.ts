import type { WebSocket } from 'ws';
import { callErrorRef, type AgentDto, type CallDto, type CallSignal } from '@direturn/protocol';
import type { AgentCallFrame, VisitorCallFrame } from '@direturn/protocol/schemas';
import type { CallParty, CallService } from '../calls/call.service.js';
import type { CallSide } from '../calls/call.store.js';
import type { Bus, BusEvent } from './bus/bus.js';
import { sendError, sendFrame } from './frames.js';
import { TokenBucket } from './rate-limit.js';
import type { SocketRegistry } from './registry.js';

/** What the relay needs of a connection. */
export interface CallSocket {
  readonly id: string;
  readonly ws: WebSocket;
}

export interface CallRelayDeps {
  calls: CallService;
  bus: Bus;
  registry: SocketRegistry;
  /** Seals signalling for the bus (it holds network addresses): the installation's key, never stored. */
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
  graceMs: number;
  fail(err: unknown): void;
}

/**
 * The calls' side of the WebSocket edge: call frames from both sockets go to the CallService;
 * signalling (SDP and ICE candidates) goes, sealed, over the bus to the other side's sockets on
 * whichever process holds them, and nowhere else (no database, no store, no log). Each process
 * watches the calls its sockets hold: it keeps their side marked present in the shared store and
 * ends a call whose other side has been gone longer than the grace period.
 */
export class CallRelay {
  /** Calls whose media a socket of this process holds, by side. */
  private readonly joined = new Map<string, Record<CallSide, Set<CallSocket>>>();
  /** Signalling per socket, on top of the socket's own limit: a burst of candidates, not a flood. */
  private readonly buckets = new WeakMap<CallSocket, TokenBucket>();
  private readonly timer: NodeJS.Timeout;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly off: () => void;
  private ticking = false;

  constructor(private readonly deps: CallRelayDeps) {
    this.off = deps.calls.events.on('changed', (e) => deps.bus.publish({ kind: 'call', callId: e.call.id }));
    this.timer = setInterval(() => void this.tick(), Math.max(250, Math.floor(deps.graceMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    this.off();
    clearInterval(this.timer);
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }

  // ---- frames from the sockets ----

  async visitorFrame(socket: CallSocket, visitorId: string, frame: VisitorCallFrame): Promise<void> {
    const party: CallParty = { side: 'visitor', visitorId };
    const { calls } = this.deps;
    switch (frame.type) {
      case 'call-accept':
        await calls.accept(visitorId, frame.callId, frame.media);
        return this.join(socket, frame.callId, 'visitor');
      case 'call-decline':
        return calls.decline(visitorId, frame.callId, frame.reason);
      default:
        return this.common(socket, party, frame);
    }
  }

  async agentFrame(socket: CallSocket, agent: AgentDto, frame: AgentCallFrame): Promise<void> {
    if (frame.type === 'call-offer') {
      const call = await this.deps.calls.offer(agent, frame.conversationId, frame.media);
      return this.join(socket, call.id, 'agent');
    }
    return this.common(socket, { side: 'agent', agent }, frame);
  }

  private async common(socket: CallSocket, party: CallParty, frame: Exclude<VisitorCallFrame | AgentCallFrame, { type: 'call-offer' | 'call-accept' | 'call-decline' }>): Promise<void> {
    const { calls } = this.deps;
    switch (frame.type) {
      case 'call-hangup':
        return calls.hangup(party, frame.callId, frame.reason);
      case 'call-join':
        await calls.authorize(party, frame.callId);
        return this.join(socket, frame.callId, party.side);
      case 'call-ice':
        return sendFrame(socket.ws, { type: 'call-ice', callId: frame.callId, ice: await calls.iceFor(party, frame.callId) });
      case 'call-signal': {
        let bucket = this.buckets.get(socket);
        if (!bucket) this.buckets.set(socket, (bucket = new TokenBucket(10, 40)));
        if (!bucket.take()) return sendError(socket.ws, 'rate_limited', 'Too much signalling at once.', callErrorRef(frame.callId), bucket.retryAfterMs());
        const { record } = await calls.authorize(party, frame.callId, { accepted: true });
        const to: CallSide = party.side === 'visitor' ? 'agent' : 'visitor';
        const sealed = this.deps.seal(JSON.stringify(frame.signal), `call-signal:${frame.callId}`);
        this.deps.bus.publish({ kind: 'call-signal', callId: frame.callId, to, targetId: to === 'agent' ? record.agentId : record.visitorId, sealed });
        return;
      }
    }
  }

  /** A socket went away: its side may come back within the grace period, else the call ends. */
  left(socket: CallSocket): void {
    for (const [callId, sides] of this.joined) {
      for (const side of ['visitor', 'agent'] as const) {
        if (!sides[side].delete(socket) || sides[side].size > 0) continue;
        const t = setTimeout(() => {
          this.pending.delete(t);
          void this.deps.calls.check(callId).catch((err) => this.deps.fail(err));
        }, this.deps.graceMs + 1000);
        t.unref();
        this.pending.add(t);
      }
      if (sides.visitor.size === 0 && sides.agent.size === 0) this.joined.delete(callId);
    }
  }

  /** A visitor said hello: a call of their conversation that is not over is shown again. */
  async greetVisitor(socket: CallSocket, visitorId: string, conversationId: string | undefined): Promise<void> {
    if (!conversationId) return;
    const loaded = await this.deps.calls.ofConversation(conversationId);
    if (loaded && loaded.record.visitorId === visitorId) sendFrame(socket.ws, { type: 'call', call: loaded.dto });
  }

  /** A console connected: the counsellor's call that is not over is shown again. */
  async greetAgent(socket: CallSocket, agentId: string): Promise<void> {
    const loaded = await this.deps.calls.ofAgent(agentId);
    if (loaded) sendFrame(socket.ws, { type: 'call', call: loaded.dto });
  }

  // ---- the bus ----

  onBus(event: Extract<BusEvent, { kind: 'call' | 'call-signal' }>): void {
    if (event.kind === 'call') {
      void this.deliverState(event.callId).catch((err) => this.deps.fail(err));
      return;
    }
    const { registry } = this.deps;
    const sockets = event.to === 'visitor' ? [...registry.visitor(event.targetId)] : [...registry.agent(event.targetId)];
    if (sockets.length === 0) return;
    let signal: CallSignal;
    try {
      signal = JSON.parse(this.deps.open(event.sealed, `call-signal:${event.callId}`)) as CallSignal;
    } catch (err) {
      return this.deps.fail(err);
    }
    // Every socket of that side: the one holding the call takes it, the others ignore it.
    for (const c of sockets) sendFrame(c.ws, { type: 'call-signal', callId: event.callId, signal });
  }

  private async deliverState(callId: string): Promise<void> {
    const { registry } = this.deps;
    const loaded = await this.deps.calls.load(callId);
    if (!loaded) return;
    const { record, dto } = loaded;
    const frame: { type: 'call'; call: CallDto } = { type: 'call', call: dto };
    for (const c of registry.visitor(record.visitorId)) if (c.ready) sendFrame(c.ws, frame);
    for (const c of registry.agent(record.agentId)) sendFrame(c.ws, frame);
    if (dto.state === 'ended') this.joined.delete(callId);
  }

  // ---- presence ----

  private async join(socket: CallSocket, callId: string, side: CallSide): Promise<void> {
    let sides = this.joined.get(callId);
    if (!sides) this.joined.set(callId, (sides = { visitor: new Set(), agent: new Set() }));
    sides[side].add(socket);
    await this.deps.calls.present(callId, side);
  }

  /** Marks this process's sides of its calls present, and ends what should end (calls.check). */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const [callId, sides] of [...this.joined]) {
        for (const side of ['visitor', 'agent'] as const) {
          if ([...sides[side]].some((s) => s.ws.readyState === s.ws.OPEN)) await this.deps.calls.present(callId, side);
        }
        if (!(await this.deps.calls.check(callId))) this.joined.delete(callId);
      }
    } catch (err) {
      this.deps.fail(err);
    } finally {
      this.ticking = false;
    }
  }
}
