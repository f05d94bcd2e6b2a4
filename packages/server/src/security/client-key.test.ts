import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, startTestServer, wsUrl, type TestServer } from '../test-support/harness.js';
import { addressOfRequest, addressOfUpgrade } from './client-key.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** What addressOfRequest makes of these headers (no socket behind app.request: no peer address). */
async function requestAddress(headers: Record<string, string>, trustProxy: boolean): Promise<string | undefined> {
  const app = new Hono();
  app.get('/', (c) => c.text(addressOfRequest(c, trustProxy) ?? '(none)'));
  const text = await (await app.request('/', { headers })).text();
  return text === '(none)' ? undefined : text;
}

const upgrade = (headers: IncomingMessage['headers']) => ({ headers, socket: { remoteAddress: '10.0.0.2' } }) as unknown as IncomingMessage;

/** The first buffered frame of one of these types (the harness buffers every frame nobody waits for). */
async function firstOf(client: FrameClient, types: string[]): Promise<{ type: string; code?: unknown }> {
  for (let i = 0; i < 500; i++) {
    const found = client.frames.find((f) => types.includes(f.type));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`none of ${types.join(', ')} arrived`);
}

describe('client address behind a trusted proxy', () => {
  it('is the last X-Forwarded-For entry (the one the proxy appended), not a client-chosen first one', async () => {
    const spoofed = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' };
    expect(await requestAddress(spoofed, true)).toBe('203.0.113.7');
    expect(await requestAddress({ 'x-forwarded-for': ' 203.0.113.7 ' }, true)).toBe('203.0.113.7');
    expect(await requestAddress(spoofed, false)).toBeUndefined();
    expect(addressOfUpgrade(upgrade(spoofed), true)).toBe('203.0.113.7');
    expect(addressOfUpgrade(upgrade({ 'x-forwarded-for': '198.51.100.1,203.0.113.7,' }), true)).toBe('203.0.113.7');
    expect(addressOfUpgrade(upgrade({ 'x-forwarded-for': ['198.51.100.1', '203.0.113.7'] }), true)).toBe('203.0.113.7');
    expect(addressOfUpgrade(upgrade(spoofed), false)).toBe('10.0.0.2');
    expect(addressOfUpgrade(upgrade({}), true)).toBe('10.0.0.2');
  });

  it('keeps a client that invents X-Forwarded-For entries within its connection limit', async () => {
    t = await startTestServer({ env: { DIRETURN_TRUST_PROXY: 'true', DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: '2' } });
    const server = t;
    const hello = async (forwardedFor: string) => {
      const client = await FrameClient.open(wsUrl(server.url, '/ws/visitor'), { 'x-forwarded-for': forwardedFor });
      client.send({ type: 'hello', site: 'demo', origin: server.origin, language: 'de' });
      const frame = await firstOf(client, ['welcome', 'error']);
      await client.close();
      return frame.type === 'error' ? frame.code : frame.type;
    };
    // The proxy appends the real peer (203.0.113.7) to whatever the client sent.
    expect(await hello('198.51.100.1, 203.0.113.7')).toBe('welcome');
    expect(await hello('198.51.100.2, 203.0.113.7')).toBe('welcome');
    expect(await hello('198.51.100.3, 203.0.113.7')).toBe('rate_limited');
    // Another real client is not held back by that one.
    expect(await hello('198.51.100.3, 203.0.113.8')).toBe('welcome');
  });

  it('caps sockets per client at the upgrade, also those that never say hello', async () => {
    t = await startTestServer({ env: { DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: '5' } });
    const server = t;
    const silent = await Promise.all(Array.from({ length: 5 }, () => FrameClient.open(wsUrl(server.url, '/ws/visitor'))));
    const sixth = await FrameClient.open(wsUrl(server.url, '/ws/visitor'));
    expect(await firstOf(sixth, ['error'])).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect((await sixth.closed).code).toBe(4429);
    for (const s of silent) expect(s.ws.readyState).toBe(s.ws.OPEN); // until their hello times out
    await Promise.all(silent.map((s) => s.close()));
  });
});
