import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, wsUrl, type TestServer } from '../test-support/harness.js';
import { hostName } from './hosts.js';

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});

/** The status of a GET with this Host header (fetch does not let one set Host). */
function statusFor(path: string, host: string): Promise<number> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, connection: 'close' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function upgradeStatus(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(t.url, path), { headers: { host } });
    ws.once('open', () => (ws.close(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('host allow-list (DNS rebinding)', () => {
  it('answers only the public URL’s host, DIRETURN_ALLOWED_HOSTS and loopback names; /healthz any', async () => {
    t = await startTestServer({ env: { DIRETURN_PUBLIC_URL: 'https://chat.example.org', DIRETURN_ALLOWED_HOSTS: 'direturn.lan' } });
    const port = new URL(t.url).port;
    for (const host of ['evil.example', `evil.example:${port}`, 'chat.example.org.evil.example', '10.0.0.5']) {
      for (const path of ['/api/me', '/console/', '/widget/frame?site=demo', '/demo/']) expect(await statusFor(path, host), `${host} ${path}`).toBe(421);
      expect(await upgradeStatus('/ws/visitor', host), host).toBe(421);
      expect(await upgradeStatus('/ws/agent', host), host).toBe(421);
      expect(await statusFor('/healthz', host)).toBe(200);
    }
    for (const host of ['chat.example.org', 'CHAT.example.org:443', 'direturn.lan', `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect(await statusFor('/api/me', host), host).toBe(401);
      expect(await upgradeStatus('/ws/visitor', host), host).toBe(101);
    }
  });

  it('reads host names with ports and IPv6 brackets', () => {
    expect(hostName('Example.ORG:8080')).toBe('example.org');
    expect(hostName('[::1]:8080')).toBe('[::1]');
    expect(hostName('')).toBeUndefined();
    expect(hostName(undefined)).toBeUndefined();
  });
});
