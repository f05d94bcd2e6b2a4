import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Storage } from '../db/storage.js';

/** Who wrote a message, or who receives it. */
export type Party = 'visitor' | 'agent';

/** A counter whose one label takes only these values: a typo would otherwise start a new series. */
export interface LabelledCounter<L extends string, V extends string> {
  inc(labels: { [K in L]: V }, value?: number): void;
}

export interface LabelledHistogram<L extends string, V extends string> {
  /** One observation, in seconds. */
  observe(labels: { [K in L]: V }, seconds: number): void;
  /** Starts a clock; calling the returned function observes the seconds since (and returns them). */
  startTimer(labels: { [K in L]: V }): () => number;
}

export interface PlainGauge {
  inc(value?: number): void;
  dec(value?: number): void;
  set(value: number): void;
}

export interface PlainHistogram {
  observe(seconds: number): void;
  startTimer(): () => number;
}

/** 1 ms to 1 s: a message is acknowledged after its COMMIT, a few ms on a healthy disk. */
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Redis fan-out between processes: sub-millisecond on one host, a second is an outage. */
const BUS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The figures GET /metrics serves, in their own registry per server (tests run several servers
 * in one process; prom-client's global registry would mix them). Names follow Prometheus' rules:
 * `direturn_` prefix, base units (seconds), `_total` for counters.
 *
 * Realtime code reports through these members (each call is a few hundred nanoseconds):
 *
 * - `visitorsConnected.inc()` when a visitor socket completed its hello, `.dec()` when it closes
 *   (`agentsConnected` likewise for console sockets); or `.set(n)` from a count.
 * - `messagesIn.inc({ author: 'visitor' | 'agent' })` for each message a socket sent that was
 *   stored (not for a resent frame that was already stored).
 * - `messagesOut.inc({ recipient: 'visitor' | 'agent' }, n)` for message frames written to sockets.
 * - `const done = ackLatency.startTimer({ author })` when a message frame arrives, `done()` when its
 *   `ack` is sent (so it covers validation, the durable write and the bus publish).
 * - `busLag.observe(seconds)` on receiving a bus event: now minus the publisher's timestamp
 *   (`Date.now()` on both sides; processes on one host or NTP-synchronised; negatives count as 0).
 *
 * Database pool use is read from `storage.poolStats()` at scrape time; Node's process figures
 * (CPU, memory, event-loop lag, GC) come from prom-client's default collectors.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly visitorsConnected: PlainGauge;
  readonly agentsConnected: PlainGauge;
  readonly messagesIn: LabelledCounter<'author', Party>;
  readonly messagesOut: LabelledCounter<'recipient', Party>;
  readonly ackLatency: LabelledHistogram<'author', Party>;
  readonly busLag: PlainHistogram;

  constructor(opts: { version: string; storage: Pick<Storage, 'dialect' | 'poolStats'>; processMetrics?: boolean }) {
    const registers = [this.registry];
    this.visitorsConnected = new Gauge({ name: 'direturn_visitors_connected', help: 'Visitor sockets open on this process', registers });
    this.agentsConnected = new Gauge({ name: 'direturn_agents_connected', help: 'Agent console sockets open on this process', registers });
    const messagesIn = new Counter({ name: 'direturn_messages_received_total', help: 'Messages received from sockets and stored, by author', labelNames: ['author'] as const, registers });
    const messagesOut = new Counter({ name: 'direturn_messages_sent_total', help: 'Message frames sent to sockets, by recipient', labelNames: ['recipient'] as const, registers });
    const ackLatency = new Histogram({
      name: 'direturn_message_ack_seconds',
      help: 'From a message frame arriving to its acknowledgement (stored durably), by author',
      labelNames: ['author'] as const,
      buckets: ACK_BUCKETS,
      registers,
    });
    const busLag = new Histogram({ name: 'direturn_bus_lag_seconds', help: 'From publishing an event on the Redis bus to receiving it on this process', buckets: BUS_BUCKETS, registers });
    // Every series exists from the start: a rate() over a series that appears late misses its first increase.
    for (const party of ['visitor', 'agent'] as const) {
      messagesIn.inc({ author: party }, 0);
      messagesOut.inc({ recipient: party }, 0);
      ackLatency.zero({ author: party });
    }
    this.messagesIn = messagesIn;
    this.messagesOut = messagesOut;
    this.ackLatency = ackLatency;
    this.busLag = {
      observe: (seconds) => busLag.observe(Math.max(0, seconds)),
      startTimer: () => busLag.startTimer(),
    };

    const { storage } = opts;
    new Gauge({
      name: 'direturn_db_pool_connections',
      help: 'Database connections of this process, by state (SQLite: one connection)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const s = storage.poolStats();
        this.set({ state: 'busy' }, s.total - s.idle);
        this.set({ state: 'idle' }, s.idle);
      },
    });
    new Gauge({
      name: 'direturn_db_pool_waiting',
      help: 'Queries waiting for a free database connection',
      registers,
      collect() {
        this.set(storage.poolStats().waiting);
      },
    });
    new Gauge({ name: 'direturn_info', help: 'This DiReturn: version and database', labelNames: ['version', 'database'] as const, registers }).set(
      { version: opts.version, database: storage.dialect },
      1,
    );
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
