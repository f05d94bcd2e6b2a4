import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});
async function server(env: Record<string, string> = {}): Promise<TestServer> {
  const t = await startTestServer({ env });
  servers.push(t);
  return t;
}

/** An address of this machine that is not loopback: a request to it arrives from a non-loopback peer. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** GET over a fresh connection to `host` (fetch cannot choose the address the request leaves from). */
function get(host: string, port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/healthz and /readyz', () => {
  it('say the process lives and its database answers; a failing dependency makes it unready', async () => {
    const t = await server();
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toBe('no-store');
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });

    // What the Redis bus will plug in; a dependency that is down turns the process unready, not dead.
    t.running.ops.readiness.add('redis', () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')));
    const down = await fetch(`${t.url}/readyz`);
    expect(down.status).toBe(503);
    const body = await down.text();
    expect(JSON.parse(body)).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'failed' } });
    expect(body).not.toContain('ECONNREFUSED'); // public: no internals
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('answers 503 draining to a probe under way when the server starts closing, which waits for it', async () => {
    const t = await server();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    t.running.ops.readiness.add('slow', () => held);
    const probe = get('127.0.0.1', Number(new URL(t.url).port), '/readyz');
    await new Promise((r) => setTimeout(r, 100));
    const closed = t.running.close();
    expect(t.running.ops.readiness.draining).toBe(true);
    release();
    const res = await probe;
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'draining' });
    await closed;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow(); // no longer listening
  });
});

describe('/metrics', () => {
  it('answers a local scraper in the Prometheus format, with the database pool and process figures', async () => {
    const t = await server();
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain(`direturn_info{version="0.1.0",database="${t.database}"} 1`);
    expect(text).toMatch(/^direturn_db_pool_connections\{state="idle"\} \d+$/m);
    expect(text).toMatch(/^direturn_visitors_connected 0$/m);
    expect(text).toMatch(/^direturn_message_ack_seconds_bucket\{le="0.001",author="visitor"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('refuses a request that came through a reverse proxy, and everything when off', async () => {
    const t = await server();
    const proxied = await fetch(`${t.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).not.toContain('direturn_');
    const off = await server({ DIRETURN_METRICS: 'off' });
    expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
  });

  it.skipIf(!external)('refuses a client on another machine unless it brings the token', async () => {
    const token = 'metrics-token-0123456789abcdef0123456789';
    // The machine's address must be a name the server answers to (host allow-list), as a LAN name would be.
    const t = await server({ HOST: '0.0.0.0', DIRETURN_METRICS_TOKEN: token, DIRETURN_ALLOWED_HOSTS: external! });
    const port = Number(new URL(t.url).port);
    const anon = await get(external!, port, '/metrics');
    expect(anon.status).toBe(403);
    expect(anon.body).not.toContain('direturn_');
    expect((await get(external!, port, '/metrics', { authorization: 'Bearer wrong-token-0123456789abcdef01234567' })).status).toBe(403);
    const scraper = await get(external!, port, '/metrics', { authorization: `Bearer ${token}` });
    expect(scraper.status).toBe(200);
    expect(scraper.body).toContain('direturn_messages_received_total{author="visitor"} 0');
    // The same process still answers its own machine without the token.
    expect((await get('127.0.0.1', port, '/metrics')).status).toBe(200);
  });
});
