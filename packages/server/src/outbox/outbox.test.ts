import { afterEach, describe, expect, it } from 'vitest';
import { api, login, startTestCluster, startTestServer, type TestServer } from '../test-support/harness.js';
import { TEST_DATABASE } from '../test-support/databases.js';
import { describeFailure, PermanentFailure, type Outbox } from './outbox.service.js';

// The durable outbox on the project's database: stored with the producer's transaction, delivered
// with retries, failed visibly, kept across restarts, delivered once across processes.

const FAST = { DIRETURN_OUTBOX_RETRY_SECONDS: '0.05', DIRETURN_OUTBOX_POLL_SECONDS: '0.05', DIRETURN_OUTBOX_MAX_ATTEMPTS: '3' };
const servers: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function server(env: Record<string, string> = {}): Promise<TestServer> {
  const t = await startTestServer({ env: { ...FAST, ...env } });
  servers.push(t);
  return t;
}

const until = async (check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function enqueue(outbox: Outbox, t: TestServer, payload: unknown, subject?: string): Promise<string> {
  const id = await t.running.services.db.transaction().execute((trx) => outbox.enqueue(trx, 'test', payload, subject ? { subject } : {}));
  outbox.kick();
  return id;
}

describe('outbox', () => {
  it('delivers what was stored, and nothing when the producing transaction rolled back', async () => {
    const t = await server();
    const { outbox, db } = t.running.services;
    const got: unknown[] = [];
    outbox.register<{ n: number }>('test', { deliver: async (p) => void got.push(p.n) });
    await enqueue(outbox, t, { n: 1 });
    await db
      .transaction()
      .execute(async (trx) => {
        await outbox.enqueue(trx, 'test', { n: 2 });
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    await until(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([1]);
    expect(await outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('retries with backoff until it works, then marks failed after the last attempt and tells the handler', async () => {
    const t = await server();
    const { outbox } = t.running.services;
    const attempts: number[] = [];
    const failures: string[] = [];
    outbox.register<{ ok: number }>('test', {
      deliver: async (p, a) => {
        attempts.push(a.attempt);
        if (a.attempt < p.ok) throw Object.assign(new Error('421 try later for office@example.org'), { responseCode: 421 });
      },
      failed: async (_p, error) => void failures.push(error),
    });
    await enqueue(outbox, t, { ok: 2 });
    await until(() => attempts.length === 2 && attempts[1] === 2);
    await until(async () => (await outbox.counts()).pending === 0);

    attempts.length = 0;
    const id = await enqueue(outbox, t, { ok: 99 }, 'thing:1');
    await until(() => failures.length === 1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(failures[0]).toBe('421 try later for <address>'); // no address in the outbox or the log
    const admin = await login(t);
    const failed = await api(t, admin, 'GET', '/outbox?status=failed');
    expect(failed.json.entries).toMatchObject([{ id, kind: 'test', subject: 'thing:1', status: 'failed', attempts: 3, lastError: '421 try later for <address>' }]);
    expect(failed.json.counts).toEqual({ pending: 0, failed: 1 });

    // An admin retries it after fixing the cause.
    attempts.length = 0;
    expect((await api(t, admin, 'POST', `/outbox/${id}/retry`)).status).toBe(200);
    await until(() => failures.length === 2);
    expect(attempts).toEqual([1, 2, 3]);
    expect((await api(t, admin, 'POST', `/outbox/${crypto.randomUUID()}/retry`)).status).toBe(404);
    const counsellorRes = await api(t, undefined, 'GET', '/outbox');
    expect(counsellorRes.status).toBe(401);
  });

  it('holds a row enqueued with notBefore until then, also across a restart', async () => {
    const t = await server();
    const got: number[] = [];
    const handler = { deliver: async () => void got.push(Date.now()) };
    t.running.services.outbox.register('test', handler);
    const due = Date.now() + 700;
    await t.running.services.db.transaction().execute((trx) => t.running.services.outbox.enqueue(trx, 'test', {}, { notBefore: due }));
    t.running.services.outbox.kick();
    await new Promise((r) => setTimeout(r, 250));
    expect(got).toEqual([]);
    await t.restart();
    t.running.services.outbox.register('test', handler);
    await until(() => got.length === 1);
    expect(got[0]).toBeGreaterThanOrEqual(due);
    // A time in the past is "now", not earlier than the row was made.
    const row = await t.running.services.db.transaction().execute((trx) => t.running.services.outbox.enqueue(trx, 'test', {}, { notBefore: 0 }));
    t.running.services.outbox.kick();
    await until(() => got.length === 2);
    expect(await t.running.services.outbox.find(row)).toBeUndefined();
  });

  it('does not retry a permanent failure', async () => {
    const t = await server();
    const { outbox } = t.running.services;
    let calls = 0;
    const failures: string[] = [];
    outbox.register('test', {
      deliver: async () => {
        calls++;
        throw new PermanentFailure('550 no such mailbox');
      },
      failed: async (_p, e) => void failures.push(e),
    });
    await enqueue(outbox, t, {});
    await until(() => failures.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
    expect(failures).toEqual(['550 no such mailbox']);
  });

  it('keeps undelivered work across a restart', async () => {
    const t = await server();
    let down = true;
    const got: string[] = [];
    const handler = {
      deliver: async (p: { n: string }) => {
        if (down) throw new Error('ECONNREFUSED');
        got.push(p.n);
      },
    };
    t.running.services.outbox.register('test', handler);
    await enqueue(t.running.services.outbox, t, { n: 'kept' });
    await until(async () => (await t.running.services.db.selectFrom('outbox').select('attempts').executeTakeFirstOrThrow()).attempts >= 1);
    await t.restart();
    down = false;
    t.running.services.outbox.register('test', handler);
    t.running.services.outbox.kick();
    await until(() => got.length === 1);
    expect(got).toEqual(['kept']);
  });

  it('masks addresses in failure texts', () => {
    expect(describeFailure(Object.assign(new Error('Recipient <a.b@example.org> rejected'), { code: 'EENVELOPE', responseCode: 550 }))).toBe('EENVELOPE 550 Recipient <<address>> rejected');
  });
});

describe.runIf(TEST_DATABASE === 'postgres')('outbox across processes', () => {
  it('delivers every row exactly once while two processes poll the same table', async () => {
    const cluster = await startTestCluster({ env: FAST });
    servers.push(cluster);
    const delivered = new Map<number, string[]>();
    cluster.nodes.forEach((node, i) =>
      node.running.services.outbox.register<{ n: number }>('test', {
        deliver: async (p) => {
          delivered.set(p.n, [...(delivered.get(p.n) ?? []), `node${i}`]);
          await new Promise((r) => setTimeout(r, 5));
        },
      }),
    );
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    await a.running.services.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 60; n++) await a.running.services.outbox.enqueue(trx, 'test', { n });
    });
    a.running.services.outbox.kick();
    b.running.services.outbox.kick();
    await until(() => delivered.size === 60, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect([...delivered.values()].every((by) => by.length === 1)).toBe(true);
    const byNode = [...delivered.values()].flat();
    expect(new Set(byNode).size).toBe(2); // both processes took part
  });
});
