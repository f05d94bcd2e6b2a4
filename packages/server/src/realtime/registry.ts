import type { AgentConnection } from './agent-connection.js';
import type { VisitorConnection } from './visitor-connection.js';

/** The sockets this process holds, by visitor and by agent. Nothing else: no rules, no I/O. */
export class SocketRegistry {
  private readonly visitorSockets = new Map<string, Set<VisitorConnection>>();
  private readonly agentSockets = new Map<string, Set<AgentConnection>>();
  private agentConnections = 0;
  private visitorConnections = 0;

  addVisitor(visitorId: string, c: VisitorConnection): void {
    let set = this.visitorSockets.get(visitorId);
    if (!set) this.visitorSockets.set(visitorId, (set = new Set()));
    if (!set.has(c)) this.visitorConnections++;
    set.add(c);
  }

  removeVisitor(visitorId: string, c: VisitorConnection): void {
    const set = this.visitorSockets.get(visitorId);
    if (set?.delete(c)) this.visitorConnections--;
    if (set?.size === 0) this.visitorSockets.delete(visitorId);
  }

  /** Forgets every socket of a visitor (they are being closed). */
  dropVisitor(visitorId: string): void {
    this.visitorConnections -= this.visitorSockets.get(visitorId)?.size ?? 0;
    this.visitorSockets.delete(visitorId);
  }

  addAgent(agentId: string, c: AgentConnection): void {
    let set = this.agentSockets.get(agentId);
    if (!set) this.agentSockets.set(agentId, (set = new Set()));
    if (!set.has(c)) this.agentConnections++;
    set.add(c);
  }

  removeAgent(agentId: string, c: AgentConnection): void {
    const set = this.agentSockets.get(agentId);
    if (set?.delete(c)) this.agentConnections--;
    if (set?.size === 0) this.agentSockets.delete(agentId);
  }

  visitor(visitorId: string): Iterable<VisitorConnection> {
    return this.visitorSockets.get(visitorId) ?? [];
  }

  agent(agentId: string): Iterable<AgentConnection> {
    return this.agentSockets.get(agentId) ?? [];
  }

  *visitors(): Iterable<VisitorConnection> {
    for (const set of this.visitorSockets.values()) yield* set;
  }

  *agents(): Iterable<AgentConnection> {
    for (const set of this.agentSockets.values()) yield* set;
  }

  /** Counsellor sockets open on this process. */
  get agentCount(): number {
    return this.agentConnections;
  }

  get visitorCount(): number {
    return this.visitorConnections;
  }
}
