import type { Bus, BusEvent } from './bus/bus.js';

/** How often each process repeats its count; a process silent for three periods counts as gone. */
export const PRESENCE_INTERVAL_MS = 15_000;

/**
 * "A counsellor is online", for the whole installation: this process's counsellor sockets plus
 * what the others last said of theirs. A process that dies without a word drops out after
 * 3 × PRESENCE_INTERVAL_MS.
 */
export class Presence {
  private readonly remote = new Map<string, { agents: number; until: number }>();
  private online = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly bus: Bus,
    private readonly localAgents: () => number,
    /** Called when the installation-wide answer flips. */
    private readonly onFlip: (online: boolean) => void,
  ) {
    this.timer = setInterval(() => this.tick(), PRESENCE_INTERVAL_MS);
    this.timer.unref();
    this.bus.publish({ kind: 'presence', agents: 0, ask: true });
  }

  get agentsOnline(): boolean {
    return this.online;
  }

  /** This process's count changed (a console connected or left). */
  localChanged(): void {
    this.bus.publish({ kind: 'presence', agents: this.localAgents() });
    this.recompute();
  }

  handle(event: Extract<BusEvent, { kind: 'presence' }>, from: string): void {
    if (from === this.bus.processId) return;
    this.remote.set(from, { agents: event.agents, until: Date.now() + 3 * PRESENCE_INTERVAL_MS });
    if (event.ask) this.bus.publish({ kind: 'presence', agents: this.localAgents() });
    this.recompute();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    for (const [id, p] of this.remote) if (p.until < now) this.remote.delete(id);
    this.bus.publish({ kind: 'presence', agents: this.localAgents() });
    this.recompute();
  }

  private recompute(): void {
    let online = this.localAgents() > 0;
    for (const p of this.remote.values()) online ||= p.agents > 0;
    if (online !== this.online) {
      this.online = online;
      this.onFlip(online);
    }
  }
}
