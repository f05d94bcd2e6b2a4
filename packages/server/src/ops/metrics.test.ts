import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { Metrics } from './metrics.js';
import { isLoopback, metricsAccess, type MetricsAccess } from './metrics-access.js';
import { Readiness } from './readiness.js';

const storage = { dialect: 'postgres' as const, poolStats: () => ({ total: 7, idle: 3, waiting: 2 }) };

/** The value of one sample line, e.g. `direturn_messages_received_total{author="visitor"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Metrics', () => {
  it('reports what realtime code counts, in the Prometheus text format', async () => {
    const m = new Metrics({ version: '9.9.9', storage, processMetrics: false });
    m.visitorsConnected.inc();
    m.visitorsConnected.inc();
    m.visitorsConnected.dec();
    m.agentsConnected.set(4);
    m.messagesIn.inc({ author: 'visitor' });
    m.messagesIn.inc({ author: 'visitor' });
    m.messagesOut.inc({ recipient: 'agent' }, 3);
    m.ackLatency.observe({ author: 'visitor' }, 0.003);
    m.ackLatency.observe({ author: 'visitor' }, 0.2);
    m.busLag.observe(0.002);
    m.busLag.observe(-0.5); // a publisher's clock ahead of ours
    const text = await m.text();
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'direturn_visitors_connected')).toBe(1);
    expect(sample(text, 'direturn_agents_connected')).toBe(4);
    expect(sample(text, 'direturn_messages_received_total{author="visitor"}')).toBe(2);
    // Series exist before their first increase.
    expect(sample(text, 'direturn_messages_received_total{author="agent"}')).toBe(0);
    expect(sample(text, 'direturn_messages_sent_total{recipient="agent"}')).toBe(3);
    expect(sample(text, 'direturn_message_ack_seconds_bucket{le="0.001",author="visitor"}')).toBe(0);
    expect(sample(text, 'direturn_message_ack_seconds_bucket{le="0.005",author="visitor"}')).toBe(1);
    expect(sample(text, 'direturn_message_ack_seconds_bucket{le="1",author="visitor"}')).toBe(2);
    expect(sample(text, 'direturn_message_ack_seconds_count{author="agent"}')).toBe(0);
    expect(sample(text, 'direturn_bus_lag_seconds_bucket{le="0.0005"}')).toBe(1);
    expect(sample(text, 'direturn_bus_lag_seconds_count')).toBe(2);
    expect(sample(text, 'direturn_db_pool_connections{state="busy"}')).toBe(4);
    expect(sample(text, 'direturn_db_pool_connections{state="idle"}')).toBe(3);
    expect(sample(text, 'direturn_db_pool_waiting')).toBe(2);
    expect(sample(text, 'direturn_info{version="9.9.9",database="postgres"}')).toBe(1);
    expect(text).not.toContain('process_cpu_seconds_total');
  });

  it('reads the pool at every scrape, and several servers in one process keep apart', async () => {
    let idle = 1;
    const a = new Metrics({ version: '1', storage: { dialect: 'sqlite', poolStats: () => ({ total: 1, idle, waiting: 0 }) } });
    const b = new Metrics({ version: '1', storage });
    a.messagesIn.inc({ author: 'agent' });
    expect(sample(await a.text(), 'direturn_db_pool_connections{state="idle"}')).toBe(1);
    idle = 0;
    const text = await a.text();
    expect(sample(text, 'direturn_db_pool_connections{state="busy"}')).toBe(1);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(sample(await b.text(), 'direturn_messages_received_total{author="agent"}')).toBe(0);
  });
});

describe('metricsAccess', () => {
  const token = 'x'.repeat(40);
  /** A request as the Node adapter would pass it: the peer address comes from the socket. */
  async function ask(rules: MetricsAccess, peer: string, headers: Record<string, string> = {}): Promise<string> {
    const app = new Hono();
    app.get('/metrics', (c) => c.text(metricsAccess(c, rules)));
    const res = await app.request('/metrics', { headers }, { incoming: { socket: { remoteAddress: peer } } });
    return res.text();
  }

  it('answers a local client that talks to the process directly, and nobody else by default', async () => {
    const local: MetricsAccess = { access: 'local', token: undefined };
    expect(await ask(local, '127.0.0.1')).toBe('allowed');
    expect(await ask(local, '::1')).toBe('allowed');
    expect(await ask(local, '::ffff:127.0.0.1')).toBe('allowed');
    expect(await ask(local, '192.0.2.7')).toBe('refused');
    expect(await ask(local, '::ffff:192.0.2.7')).toBe('refused');
    // A reverse proxy on the same host connects from loopback on behalf of anyone.
    expect(await ask(local, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe('refused');
    expect(await ask(local, '127.0.0.1', { forwarded: 'for=203.0.113.9' })).toBe('refused');
    expect(await ask(local, '127.0.0.1', { 'x-real-ip': '203.0.113.9' })).toBe('refused');
  });

  it('answers the bearer token from anywhere, and nothing when off', async () => {
    const withToken: MetricsAccess = { access: 'local', token };
    expect(await ask(withToken, '192.0.2.7', { authorization: `Bearer ${token}` })).toBe('allowed');
    expect(await ask(withToken, '127.0.0.1', { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' })).toBe('allowed');
    expect(await ask(withToken, '192.0.2.7', { authorization: `Bearer ${token}y` })).toBe('refused');
    expect(await ask(withToken, '192.0.2.7', { authorization: token })).toBe('refused');
    expect(await ask({ access: 'off', token }, '127.0.0.1', { authorization: `Bearer ${token}` })).toBe('off');
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('1270.0.0.1')).toBe(false);
    expect(isLoopback('::2')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

describe('Readiness', () => {
  const logger = createLogger('silent');

  it('is ready when every check answers in time, and names the one that does not', async () => {
    const r = new Readiness(logger, 100);
    r.add('database', async () => undefined);
    expect(await r.check()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    r.add('redis', () => Promise.reject(new Error('ECONNREFUSED')));
    expect(await r.check()).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'failed' } });
    r.add('redis', () => new Promise(() => undefined)); // hangs
    const started = Date.now();
    expect(await r.check()).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'failed' } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('logs a failing check once, and again when it recovers', async () => {
    const lines: string[] = [];
    const r = new Readiness(createLogger('info', { write: (l: string) => void lines.push(l) }), 100);
    let up = false;
    r.add('redis', async () => {
      if (!up) throw new Error('down');
    });
    await r.check();
    await r.check();
    up = true;
    await r.check();
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['readiness check failed', 'readiness check passes again']);
  });

  it('reports draining, also to a probe that was under way when draining began', async () => {
    const r = new Readiness(logger, 1000);
    r.add('database', () => new Promise((resolve) => setTimeout(resolve, 50)));
    const probe = r.check();
    r.startDraining();
    expect(await probe).toMatchObject({ status: 'draining' });
    expect(await r.check()).toEqual({ status: 'draining', checks: {} });
  });
});
