import { afterAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server.js';
import { ResendingVisitor } from '../support/visitor-client.js';

let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
});

const until = async (cond: () => boolean, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

it('keeps every acknowledged message exactly once across SIGKILL, and clients resend the rest', async () => {
  server = await startServerProcess({ DIRETURN_LOG_LEVEL: 'warn' });
  const origin = server.url;
  const visitors = Array.from({ length: 5 }, (_, i) => new ResendingVisitor(server!.url, origin, `v${i}`));
  for (const v of visitors) v.connect();
  await until(() => visitors.every((v) => v.token), 5000, 'welcomes');

  // Everyone writes steadily; kill the server mid-stream, with messages in flight.
  const writer = setInterval(() => visitors.forEach((v) => v.write()), 120);
  await until(() => visitors.reduce((n, v) => n + v.acked.size, 0) >= 40, 15_000, '40 acks');
  await server.kill('SIGKILL');
  const ackedAtKill = new Map(visitors.map((v) => [v.name, new Map(v.acked)]));
  await new Promise((r) => setTimeout(r, 300)); // a few writes pile up while the server is down
  clearInterval(writer);
  const inFlight = visitors.reduce((n, v) => n + v.outbox.length, 0);
  await server.restart();

  await until(() => visitors.every((v) => v.outbox.length === 0), 20_000, 'resends to be acknowledged');
  for (const v of visitors) v.stop();
  expect(inFlight).toBeGreaterThan(0);

  for (const v of visitors) {
    const stored = await ResendingVisitor.fetchAll(server.url, origin, v.token!);
    const ids = stored.filter((m) => m.author === 'visitor').map((m) => m.clientId);
    // Every message the client ever wrote is there exactly once, in the order written.
    expect(ids, v.name).toEqual(v.sentEver);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    // What was acknowledged before the kill is unchanged (same id, same seq).
    for (const [clientId, m] of ackedAtKill.get(v.name)!) {
      expect(stored.find((s) => s.clientId === clientId)).toMatchObject({ id: m.id, seq: m.seq, body: m.body });
    }
  }
}, 60_000);
