import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '@direturn/protocol';
import { countRows, FrameClient, startTestServer, visitor, wsUrl, type TestServer, type VisitorClient } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.stop();
});

describe('visitor socket: protocol validation', () => {
  it('answers malformed frames with clear errors, keeps the socket usable and writes nothing', async () => {
    const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    client.send('this is not json');
    expect(await client.next('error')).toMatchObject({ code: 'bad_request', message: 'Frame is not valid JSON.' });

    client.send({ type: 'send', clientId: 'client-0001', body: 'hi' });
    expect(await client.next('error')).toMatchObject({ code: 'not_ready', ref: 'client-0001' });

    client.send({ type: 'launch-missiles' });
    expect((await client.next('error')).code).toBe('bad_request');

    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next('error')).toMatchObject({ code: 'bad_request', message: 'Frames must be JSON text.' });

    client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de' });
    await client.next('welcome');

    client.send({ type: 'send', clientId: 'client-0002', body: 'x'.repeat(LIMITS.messageMaxChars + 1) });
    const tooLong = await client.next('error');
    expect(tooLong).toMatchObject({ code: 'bad_request', ref: 'client-0002' });
    expect(tooLong.message).toContain('body');

    client.send({ type: 'send', clientId: 'client-0003', body: '   ' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_request', ref: 'client-0003' });

    client.send({ type: 'send', clientId: 'client-0004', body: 'y'.repeat(LIMITS.frameMaxBytes + 100) });
    expect(await client.next('error')).toMatchObject({ code: 'too_large' });

    client.send({ type: 'send', clientId: 1234, body: { nested: true } });
    expect((await client.next('error')).code).toBe('bad_request');

    expect(await countRows(t, 'messages')).toBe(0);
    expect(await countRows(t, 'conversations')).toBe(0);

    // Still alive after all that.
    client.send({ type: 'send', clientId: 'client-0005', body: 'Hallo' });
    expect((await client.next('ack')).message.body).toBe('Hallo');
    await client.close();
  });

  it('refuses messages of invisible characters only, and acknowledges exactly the text it stored', async () => {
    const { client } = await visitor(t);
    client.send({ type: 'send', clientId: 'invisible-1', body: '\u200B\u200C\u200D\uFEFF' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_request', ref: 'invisible-1', message: expect.stringContaining('visible') });
    expect(await countRows(t, 'messages')).toBe(0);
    // A lone surrogate (valid JSON, not valid UTF-8): stored and acknowledged as U+FFFD alike.
    client.send('{"type":"send","clientId":"surrogate-1","body":"a\\ud800b"}');
    const ack = await client.next('ack');
    expect(ack.message.body).toBe('a\uFFFDb');
    client.send({ type: 'sync', afterSeq: 0 });
    expect((await client.next('synced')).messages.map((m) => m.body)).toEqual([ack.message.body]);
    await client.close();
  });

  it('takes only http(s) page addresses: a javascript: URL is refused, not stored', async () => {
    const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', pageUrl: 'javascript:alert(document.cookie)' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_request', message: expect.stringContaining('pageUrl') });
    expect(await countRows(t, 'visitors')).toBe(0);
    await client.close();
  });

  it('closes a socket whose frame exceeds the hard cap instead of buffering it', async () => {
    const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    client.send('z'.repeat(200 * 1024));
    expect((await client.closed).code).toBe(1009);
  });

  it('rate-limits a flood of frames with an error frame', async () => {
    const { client } = await visitor(t);
    for (let i = 0; i < 40; i++) client.send({ type: 'ping' });
    expect(await client.next('error')).toMatchObject({ code: 'rate_limited' });
    await client.close();
  });

  it('counts malformed and oversized frames too, and answers a flood of them only so far', async () => {
    const { client } = await visitor(t);
    for (let i = 0; i < 150; i++) client.send('{not json');
    for (let i = 0; i < 150; i++) client.send('x'.repeat(LIMITS.frameMaxBytes + 10));
    await new Promise((r) => setTimeout(r, 500));
    // The burst of 20, one rate_limited, and on a slow machine what refilled (5/s) while the flood arrived; not 300.
    expect(client.frames.length).toBeLessThan(50);
    const warnings = client.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
    expect(warnings).toBeGreaterThanOrEqual(1);
    expect(warnings).toBeLessThan(15);
    // Sends over the limit are each told, with their ref, so the widget holds and resends them.
    client.frames.length = 0;
    for (let i = 0; i < 30; i++) client.send({ type: 'send', clientId: `flood-send-${i}`, body: 'Hallo' });
    const answers = () => client.frames.flatMap((f) => (f.type === 'ack' ? [[f.clientId, 'ack']] : f.type === 'error' && f.ref ? [[f.ref, f.code]] : []));
    for (let i = 0; i < 300 && answers().length < 30; i++) await new Promise((r) => setTimeout(r, 10));
    const answered = new Map(answers() as Array<[string, string]>);
    expect(answered.size).toBe(30);
    expect([...answered.values()]).toContain('rate_limited');
    await client.close();
  });
});

describe('visitor socket: sites and origins', () => {
  it('refuses a widget on an origin the site does not allow', async () => {
    const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    client.send({ type: 'hello', site: 'demo', origin: 'https://evil.example', language: 'de' });
    const error = await client.next('error');
    expect(error.code).toBe('origin_not_allowed');
    expect(error.message).toContain('https://evil.example');
    expect((await client.closed).code).toBe(4403);
    expect(await countRows(t, 'visitors')).toBe(0);
  });

  it('refuses an unknown site key', async () => {
    const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    client.send({ type: 'hello', site: 'no-such-site', origin: t.origin, language: 'de' });
    expect((await client.next('error')).code).toBe('unknown_site');
    expect((await client.closed).code).toBe(4403);
  });

  it('serves the chat frame only to allowed origins, with frame-ancestors set to that origin', async () => {
    const ok = await fetch(`${t.url}/widget/frame?site=demo&host=${encodeURIComponent(t.origin)}&lang=ar`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain(`frame-ancestors ${t.origin}`);
    expect(await ok.text()).toContain('<html lang="ar" dir="rtl"');

    const refused = await fetch(`${t.url}/widget/frame?site=demo&host=${encodeURIComponent('https://evil.example')}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('does not allow the widget on <bdi>https://evil.example</bdi>');
    // in the visitor's language, with the texts the widget build ships
    const inFarsi = await fetch(`${t.url}/widget/frame?site=demo&host=${encodeURIComponent('https://evil.example')}`, { headers: { 'Accept-Language': 'fa-IR, fa;q=0.9' } });
    const farsi = await inFarsi.text();
    expect(farsi).toContain('<html lang="fa" dir="rtl">');
    expect(farsi).toContain('<h1 style="font-size:1rem">گفتگو در دسترس نیست</h1>');

    expect((await fetch(`${t.url}/widget/frame?site=nope&host=${encodeURIComponent(t.origin)}`)).status).toBe(404);
  });
});

describe('visitor identity', () => {
  it('gives the same conversation back to the same token, and nothing to another token', async () => {
    const first = await visitor(t);
    first.client.send({ type: 'send', clientId: 'aaaaaaaa-1', body: 'Ich möchte zurück nach Tiflis.' });
    await first.client.next('ack');
    await first.client.close();

    const again = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    again.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token: first.token });
    const welcome = await again.next('welcome');
    expect(welcome.visitorId).toBe(first.visitorId);
    expect(welcome.messages.map((m) => m.body)).toEqual(['Ich möchte zurück nach Tiflis.']);
    await again.close();

    const stranger = await visitor(t);
    expect(stranger.visitorId).not.toBe(first.visitorId);
    stranger.client.send({ type: 'sync', afterSeq: 0 });
    expect((await stranger.client.next('synced')).messages).toEqual([]);
    await stranger.client.close();
  });

  it('does not store the token itself', async () => {
    const { client, token } = await visitor(t);
    await client.close();
    const rows = await t.running.services.db.selectFrom('visitors').select('token_hash').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toBe(token);
  });
});

describe('no lost, no duplicated messages', () => {
  it('acknowledges a resent frame with the stored message instead of writing it twice', async () => {
    const { client, token } = await visitor(t);
    client.send({ type: 'send', clientId: 'resend-0001', body: 'Wer ist für Augsburg zuständig?' });
    const ack = await client.next('ack');
    // The connection drops before the client saw the ack; it reconnects and resends.
    client.ws.terminate();

    const again = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    again.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token, lastSeq: 0 });
    await again.next('welcome');
    again.send({ type: 'send', clientId: 'resend-0001', body: 'Wer ist für Augsburg zuständig?' });
    const second = await again.next('ack');
    expect(second.message.id).toBe(ack.message.id);
    expect(second.message.seq).toBe(1);
    expect(await countRows(t, 'messages')).toBe(1);

    again.send({ type: 'send', clientId: 'resend-0002', body: 'Und für München?' });
    expect((await again.next('ack')).message.seq).toBe(2);
    await again.close();
  });

  it('hands a reconnecting client exactly what it missed', async () => {
    const { client, token } = await visitor(t);
    for (let i = 1; i <= 5; i++) {
      client.send({ type: 'send', clientId: `missed-000${i}`, body: `Nachricht ${i}` });
      await client.next('ack');
    }
    await client.close();
    const again = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    again.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token, lastSeq: 3 });
    const welcome = await again.next('welcome');
    expect(welcome.messages.map((m) => m.seq)).toEqual([4, 5]);
    again.send({ type: 'sync', afterSeq: 1 });
    expect((await again.next('synced')).messages.map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    await again.close();
  });

  it('loses no acknowledged message across a server restart', async () => {
    const { client, token } = await visitor(t);
    const acked: string[] = [];
    for (let i = 0; i < 15; i++) {
      client.send({ type: 'send', clientId: `restart-${String(i).padStart(4, '0')}`, body: `Nachricht ${i}` });
      acked.push((await client.next('ack')).message.id);
    }
    await t.restart();
    expect((await client.closed).code).toBe(1001);

    const again = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    again.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token });
    const welcome = await again.next('welcome');
    expect(welcome.messages.map((m) => m.id)).toEqual(acked);
    await again.close();
  });
});

it('rejects sockets on unknown paths', async () => {
  await expect(FrameClient.open(wsUrl(t.url, '/ws/other'))).rejects.toThrow('HTTP 404');
  const ws = new WebSocket(wsUrl(t.url, '/ws/agent'));
  await new Promise<void>((resolve) => ws.once('unexpected-response', (_req, res) => (expect(res.statusCode).toBe(401), resolve())));
});
