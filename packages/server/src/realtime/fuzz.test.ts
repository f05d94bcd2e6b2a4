import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@direturn/protocol';
import { FrameClient, login, startTestServer, wsUrl, type TestServer } from '../test-support/harness.js';

/**
 * Thousands of malformed, truncated, oversized and type-confused frames and HTTP bodies against a
 * running server: it must answer each with a well-formed error (or a valid reply), never crash,
 * and never leave a partial record. Bounded: fixed seeds, a few thousand cases, well under 60 s.
 */
let t: TestServer;
let cookie: string;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestServer({ logs, env: { DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: '100000', DIRETURN_SITE_CONNECTIONS_PER_MINUTE: '100000', DIRETURN_SITE_NEW_CONVERSATIONS_PER_MINUTE: '100000' } });
  cookie = await login(t);
}, 30_000);
afterAll(async () => {
  await t.stop();
});

const validVisitor = [
  { type: 'hello', site: 'demo', origin: 'ORIGIN', language: 'de' },
  { type: 'send', clientId: 'fuzz-client-1', body: 'Hallo' },
  { type: 'typing', active: true },
  { type: 'read', seq: 1 },
  { type: 'sync', afterSeq: 0 },
  { type: 'language', language: 'ar' },
  { type: 'ping' },
];
const validAgent = [
  { type: 'send', conversationId: '00000000-0000-4000-8000-000000000000', clientId: 'fuzz-agent-1', body: 'Hallo' },
  { type: 'typing', conversationId: 'x', active: false },
  { type: 'read', conversationId: 'x', seq: 3 },
  { type: 'sync', conversationId: 'x', afterSeq: 0 },
];

const weird = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, NaN, 1e308, '', '0', [], {}, '\u0000', '\uD800', 'x'.repeat(LIMITS.messageMaxChars + 1)),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** A valid frame with one field replaced, removed or added; or the raw text truncated or padded. */
function mutatedFrame(valid: Array<Record<string, unknown>>) {
  const obj = fc.tuple(fc.constantFrom(...valid), fc.nat(), weird, fc.constantFrom('replace', 'remove', 'add', 'type')).map(([base, k, value, op]) => {
    const frame: Record<string, unknown> = { ...base, origin: base.origin ? t.origin : undefined };
    const keys = Object.keys(frame);
    const key = keys[k % keys.length]!;
    if (op === 'replace') frame[key] = value;
    else if (op === 'remove') delete frame[key];
    else if (op === 'add') frame['__proto__x' + (k % 3)] = value;
    else frame.type = value;
    return JSON.stringify(frame);
  });
  const truncated = fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([f, n]) => {
    const s = JSON.stringify(f);
    return s.slice(0, n % s.length);
  });
  const oversized = fc.nat({ max: 3 }).map((n) => JSON.stringify({ type: 'send', clientId: 'fuzz-big-001', body: 'y'.repeat(LIMITS.frameMaxBytes + 1 + n * 1000) }));
  const garbage = fc.oneof(fc.string({ maxLength: 200 }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)));
  return fc.oneof({ weight: 5, arbitrary: obj }, { weight: 2, arbitrary: truncated }, { weight: 1, arbitrary: oversized }, { weight: 2, arbitrary: garbage });
}

/** Pings until a pong comes (the frames before may have used up the socket's rate limit). */
async function pong(client: FrameClient): Promise<{ type: string } | { code: number; reason: string }> {
  const deadline = Date.now() + 10_000;
  let closed: { code: number; reason: string } | undefined;
  void client.closed.then((c) => (closed = c));
  for (;;) {
    if (closed) return closed;
    client.send({ type: 'ping' });
    try {
      return await Promise.race([client.next('pong', () => true, 300), client.closed]);
    } catch {
      if (Date.now() > deadline) throw new Error('no pong');
    }
  }
}

/** A clear answer: `internal` means a handler threw, which bad input must never make it do. */
function wellFormed(frame: { type: string; [k: string]: unknown }): boolean {
  if (frame.type === 'error') return typeof frame.code === 'string' && frame.code !== 'internal' && typeof frame.message === 'string' && (frame.message as string).length > 0;
  return ['welcome', 'ack', 'synced', 'pong', 'message', 'conversation', 'presence', 'typing', 'read', 'deleted', 'ready', 'conversation-deleted'].includes(frame.type);
}

async function checkIntegrity(): Promise<void> {
  const { db } = t.running.services;
  // Every conversation's last_seq equals its number of messages, seqs without gaps.
  const bad = await sql<{ id: string }>`
    SELECT c.id FROM conversations c
    WHERE c.last_seq != (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id)
       OR c.last_seq != COALESCE((SELECT MAX(seq) FROM messages m WHERE m.conversation_id = c.id), 0)`.execute(db);
  expect(bad.rows).toEqual([]);
  const empty = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM conversations c WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)`.execute(db);
  expect(Number(empty.rows[0]!.n)).toBe(0);
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  // No handler threw, not even where no frame tells (event fan-out, HTTP 500s): nothing logged at error level.
  const errors = logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  logs.length = 0;
  expect(errors.map((line) => line.slice(0, 500))).toEqual([]);
}

describe('fuzzing a running server', () => {
  it('answers malformed visitor frames with clear errors and never writes partial records', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedFrame(validVisitor), { minLength: 1, maxLength: 25 }), fc.boolean(), async (frames, greet) => {
        const client = await FrameClient.open(wsUrl(t.url, '/ws/visitor'));
        if (greet) {
          client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de' });
          await client.next('welcome');
        }
        for (const f of frames) client.send(f);
        sent += frames.length;
        const alive = await pong(client);
        // The socket either still answers or was closed on purpose (hard size cap 1009, refused 4403).
        if (!('type' in alive)) expect([1009, 4403, 4429]).toContain(alive.code);
        for (const f of client.frames) expect(wellFormed(f), JSON.stringify(f)).toBe(true);
        await client.close();
      }),
      { numRuns: 200, seed: 20261201 },
    );
    expect(sent).toBeGreaterThan(1000);
    await checkIntegrity();
  }, 60_000);

  it('answers malformed agent frames and HTTP bodies with clear errors', async () => {
    const socket = await FrameClient.open(wsUrl(t.url, '/ws/agent'), { cookie, origin: t.origin });
    await socket.next('ready');
    await fc.assert(
      fc.asyncProperty(mutatedFrame(validAgent), async (f) => {
        socket.send(f);
      }),
      { numRuns: 600, seed: 7 },
    );
    expect(await pong(socket)).toEqual({ type: 'pong' });
    for (const f of socket.frames) expect(wellFormed(f), JSON.stringify(f)).toBe(true);
    await socket.close();

    const routes: Array<[string, string]> = [
      ['POST', '/auth/login'],
      ['POST', '/auth/login/totp'],
      ['POST', '/sites'],
      ['POST', '/agents'],
      ['PATCH', '/settings'],
      ['PUT', '/privacy-notices'],
      ['POST', '/me/totp/enable'],
    ];
    const body = fc.oneof(
      fc.json(),
      fc.string({ maxLength: 100 }),
      fc.dictionary(fc.constantFrom('email', 'password', 'name', 'allowedOrigins', 'role', 'languages', 'retentionDays', 'requireTotp', 'siteId', 'language', 'text', 'links', 'code', 'challenge'), weird, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
      fc.constant('x'.repeat(LIMITS.httpBodyMaxBytes + 10)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path], text) => {
        const res = await fetch(`${t.url}/api${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: text });
        const json = (await res.json()) as { error?: { code: string; message: string } };
        // Garbage can be a valid request by chance (settings patch with {}); otherwise a clear 4xx.
        if (res.status >= 400) {
          expect(res.status, `${method} ${path} ${text.slice(0, 80)}`).toBeLessThan(500);
          expect(json.error?.message).toBeTruthy();
        }
      }),
      { numRuns: 700, seed: 42 },
    );
    await checkIntegrity();
  }, 60_000);
});
