import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { checkNginx, freePort, renderNginx, startNginx } from '../support/nginx.js';
import { ROOT, startServerProcess, type ServerProcess } from '../support/server.js';

// The e2e package has no WebSocket client of its own: borrow the server's `ws` (as visitor-client.ts does).
const require = createRequire(join(ROOT, 'packages/server/package.json'));
interface Ws {
  send(data: string): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'unexpected-response', listener: (req: unknown, res: { statusCode: number }) => void): void;
}
const WebSocket = require('ws') as new (url: string, opts: { headers: Record<string, string> }) => Ws;

const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

/** A visitor socket through nginx: the first frame after hello (welcome, or an error). */
function hello(url: string, origin: string, headers: Record<string, string>): Promise<{ type: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', site: 'demo', origin, language: 'de' })));
    ws.on('message', (data) => {
      resolve(JSON.parse(String(data)) as { type: string; code?: string });
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

it('docs/deploy/nginx.conf passes nginx -t', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'direturn-nginx-t-'));
  try {
    const main = renderNginx(dir, { upstreams: ['127.0.0.1:8081', '127.0.0.1:8082'], port: await freePort() });
    expect(await checkNginx(main, dir)).toContain('test is successful');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('in front of DiReturn: serves pages and sockets, skips a dead process, keeps /metrics inside, and sets the client address itself', async () => {
  const deadPort = await freePort(); // a second process that has died
  const live: ServerProcess = await startServerProcess({
    DIRETURN_LOG_LEVEL: 'warn',
    DIRETURN_TRUST_PROXY: 'true',
    DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: '3',
  });
  stops.push(() => live.stop());
  const nginx = await startNginx([`127.0.0.1:${live.port}`, `127.0.0.1:${deadPort}`]);
  stops.push(() => nginx.stop());

  // Every request is answered although one of the two upstreams refuses connections.
  for (let i = 0; i < 6; i++) expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${nginx.url}/console/`)).status).toBe(200);
  expect(nginx.errors()).toMatch(/connect\(\) failed \(111: Connection refused\)/);

  // Prometheus scrapes the process itself; from outside, nginx refuses.
  expect((await fetch(`${nginx.url}/metrics`)).status).toBe(403);
  expect((await fetch(`http://127.0.0.1:${live.port}/metrics`)).status).toBe(200);

  // The WebSocket upgrade passes, with the Host the browser sent: DiReturn compares it with the Origin.
  const ws = nginx.url.replace('http:', 'ws:') + '/ws/visitor';
  const origin = `http://127.0.0.1:${live.port}`; // the demo site allows its own server's origin
  expect(await hello(ws, origin, { origin: nginx.url, 'x-forwarded-for': '198.51.100.1' })).toMatchObject({ type: 'welcome' });
  // nginx replaces what the client claims with the address it saw: a fresh claim per socket does
  // not escape the per-client limit (3 a minute here).
  expect(await hello(ws, origin, { 'x-forwarded-for': '198.51.100.2' })).toMatchObject({ type: 'welcome' });
  expect(await hello(ws, origin, { 'x-forwarded-for': '198.51.100.3' })).toMatchObject({ type: 'welcome' });
  expect(await hello(ws, origin, { 'x-forwarded-for': '198.51.100.4' })).toMatchObject({ type: 'error', code: 'rate_limited' });
});
