import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCallRecord, type CallDto } from '@direturn/protocol';
import { agent, api, FrameClient, login, startTestServer, visitor, wsUrl, type AgentClient, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { rawDataFiles } from '../test-support/raw-files.js';

// Calls between a visitor and the counsellor holding their conversation, on a real server (SQLite
// and PostgreSQL): who may offer, accept, signal and end; TURN credentials; the grace period; what
// is recorded (kind and length) and what is not (anything the browsers said to each other).

const SECRET = 'turn shared secret for tests';
/** Short for a test, long enough that a reconnect on a busy machine is within it. */
const GRACE_S = 3;
const logs: string[] = [];
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    logs,
    env: { DIRETURN_CALL_GRACE_SECONDS: String(GRACE_S), DIRETURN_STUN_URLS: 'stun:127.0.0.1:3478', DIRETURN_TURN_URLS: 'turn:127.0.0.1:3478?transport=udp', DIRETURN_TURN_SECRET: SECRET, DIRETURN_TURN_TTL_SECONDS: '600' },
  });
});
afterAll(() => t?.stop());

/** Marks what the browsers say to each other, to look for it wherever something is kept. */
const MARK = 'privatesignalmark';
const sdp = (type: string) => `v=0\r\no=- 46 2 IN IP4 192.0.2.7\r\ns=${MARK}-${type}\r\nt=0 0\r\n`;

let n = 0;
/** A visitor with a conversation a new counsellor holds, and that counsellor's console. */
async function held(): Promise<{ v: VisitorClient; visitorId: string; token: string; console: AgentClient; cookie: string; conversationId: string }> {
  const email = `counsellor${++n}@example.org`;
  await t.running.services.agents.create({ email, name: `Counsellor ${n}`, password: 'a long counsellor password', role: 'counsellor', languages: ['de'] });
  const cookie = await login(t, email, 'a long counsellor password');
  const console = await agent(t, cookie);
  const { client: v, visitorId, token } = await visitor(t);
  v.send({ type: 'send', clientId: `call-test-${++n}-x`, body: 'Können wir telefonieren?' });
  const { conversationId } = (await v.next('ack')).message;
  expect((await api(t, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
  return { v, visitorId, token, console, cookie, conversationId };
}

async function offered(s: Awaited<ReturnType<typeof held>>, media: 'voice' | 'video' = 'video'): Promise<CallDto> {
  s.console.send({ type: 'call-offer', conversationId: s.conversationId, media });
  const mine = (await s.console.next('call', (f) => f.call.state === 'offered')).call;
  const theirs = (await s.v.next('call', (f) => f.call.id === mine.id)).call;
  expect(theirs).toEqual(mine);
  return mine;
}

async function accepted(s: Awaited<ReturnType<typeof held>>, media: 'voice' | 'video' = 'video'): Promise<CallDto> {
  const call = await offered(s, 'video');
  s.v.send({ type: 'call-accept', callId: call.id, media });
  await s.v.next('call', (f) => f.call.state === 'accepted');
  return (await s.console.next('call', (f) => f.call.state === 'accepted')).call;
}

describe('calls', () => {
  it('a video call offered, accepted, signalled both ways, hung up: recorded as kind and length only', async () => {
    const s = await held();
    const call = await offered(s);
    expect(call).toMatchObject({ conversationId: s.conversationId, media: 'video', state: 'offered' });
    expect(call.id).toMatch(/^[A-Za-z0-9_-]{16}$/);

    s.v.send({ type: 'call-accept', callId: call.id, media: 'video' });
    const visitorSees = (await s.v.next('call', (f) => f.call.state === 'accepted')).call;
    expect(visitorSees).toMatchObject({ acceptedMedia: 'video' });
    await s.console.next('call', (f) => f.call.state === 'accepted');

    // Both sides get ICE servers with credentials computed as coturn's use-auth-secret checks them.
    for (const side of [s.v, s.console] as const) {
      side.send({ type: 'call-join', callId: call.id });
      side.send({ type: 'call-ice', callId: call.id });
      const { ice } = await (side as VisitorClient).next('call-ice');
      expect(ice.iceTransportPolicy).toBe('all');
      expect(ice.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
      const turn = ice.iceServers[1]!;
      expect(turn.urls).toEqual(['turn:127.0.0.1:3478?transport=udp']);
      const [expiry] = turn.username!.split(':');
      expect(Number(expiry) * 1000).toBe(ice.expiresAt);
      expect(Math.abs(Number(expiry) - (Date.now() / 1000 + 600))).toBeLessThan(30);
      expect(turn.credential).toBe(createHmac('sha1', SECRET).update(turn.username!).digest('base64'));
    }

    s.console.send({ type: 'call-signal', callId: call.id, signal: { kind: 'sdp', description: { type: 'offer', sdp: sdp('offer') } } });
    expect((await s.v.next('call-signal')).signal).toEqual({ kind: 'sdp', description: { type: 'offer', sdp: sdp('offer') } });
    s.v.send({ type: 'call-signal', callId: call.id, signal: { kind: 'sdp', description: { type: 'answer', sdp: sdp('answer') } } });
    expect((await s.console.next('call-signal')).signal).toMatchObject({ kind: 'sdp', description: { type: 'answer' } });
    const candidate = { candidate: `candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host ${MARK}`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'frag' };
    s.v.send({ type: 'call-signal', callId: call.id, signal: { kind: 'ice', candidates: [candidate] } });
    expect((await s.console.next('call-signal')).signal).toEqual({ kind: 'ice', candidates: [candidate] });
    s.v.send({ type: 'call-signal', callId: call.id, signal: { kind: 'media', audio: false, video: true } });
    expect((await s.console.next('call-signal')).signal).toEqual({ kind: 'media', audio: false, video: true });

    s.v.send({ type: 'call-hangup', callId: call.id });
    const ended = (await s.console.next('call', (f) => f.call.state === 'ended')).call;
    expect(ended).toMatchObject({ endReason: 'hangup', endedBy: 'visitor' });
    expect((await s.v.next('call', (f) => f.call.state === 'ended')).call.endReason).toBe('hangup');

    // The conversation records the call: a system message with the kind and the seconds, nothing else.
    const record = (await s.v.next('message', (f) => f.message.author === 'system' && f.message.body.startsWith('call:'))).message;
    expect(parseCallRecord(record.body)).toMatchObject({ media: 'video' });
    const detail = await api(t, s.cookie, 'GET', `/conversations/${s.conversationId}`);
    expect(detail.json.messages.map((m: { body: string }) => m.body)).toContain(record.body);
    // The audit log says who offered and how it ended, without anything said.
    const audit = (await api(t, await login(t), 'GET', `/audit?conversationId=${s.conversationId}`)).json.entries as Array<{ action: string; details: Record<string, unknown> }>;
    expect(audit.find((e) => e.action === 'call.offered')?.details).toEqual({ media: 'video' });
    expect(audit.find((e) => e.action === 'call.ended')?.details).toMatchObject({ media: 'video', reason: 'hangup', by: 'visitor', accepted: true });

    // Nothing the browsers said is kept: no table, no database file, no log line holds it.
    const { db } = t.running.services;
    for (const table of await db.introspection.getTables()) {
      const rows = await db.selectFrom(table.name as 'messages').selectAll().execute();
      expect(JSON.stringify(rows), table.name).not.toContain(MARK);
      expect(JSON.stringify(rows), table.name).not.toContain('192.0.2.7');
    }
    if (t.database === 'sqlite') for (const [name, bytes] of rawDataFiles(t.dataDir)) expect(bytes.includes(MARK), name).toBe(false);
    expect(logs.join('\n')).not.toContain(MARK);
    await Promise.all([s.v.close(), s.console.close()]);
  });

  it('relays signalling only between the two sides: another visitor or counsellor can neither send into the call nor hear it', async () => {
    const s = await held();
    const call = await accepted(s);
    const other = await visitor(t);
    await t.running.services.agents.create({ email: `other${++n}@example.org`, name: 'Other', password: 'another long password', role: 'counsellor', languages: ['de'] });
    const colleague = await agent(t, await login(t, `other${n}@example.org`, 'another long password'));

    const signal = { kind: 'media', audio: true, video: true };
    other.client.send({ type: 'call-signal', callId: call.id, signal });
    expect(await other.client.next('error')).toMatchObject({ code: 'not_found', ref: `call:${call.id}` });
    colleague.send({ type: 'call-signal', callId: call.id, signal });
    expect(await colleague.next('error')).toMatchObject({ code: 'not_found' });
    for (const c of [other.client, colleague] as const) {
      c.send({ type: 'call-ice', callId: call.id });
      expect(await (c as VisitorClient).next('error')).toMatchObject({ code: 'not_found' });
    }
    colleague.send({ type: 'call-hangup', callId: call.id });
    expect(await colleague.next('error')).toMatchObject({ code: 'not_found' });
    // Only the holder offers: a colleague cannot call the visitor of someone else's conversation.
    colleague.send({ type: 'call-offer', conversationId: s.conversationId, media: 'voice' });
    expect(await colleague.next('error')).toMatchObject({ code: 'not_found', ref: `call:${s.conversationId}` });

    s.console.send({ type: 'call-signal', callId: call.id, signal });
    expect((await s.v.next('call-signal')).signal).toEqual(signal);
    expect(other.client.frames.some((f) => f.type === 'call-signal' || f.type === 'call')).toBe(false);
    expect(colleague.frames.some((f) => f.type === 'call-signal' || f.type === 'call')).toBe(false);

    // Free data does not ride along, and descriptions stay within their size.
    s.v.send({ type: 'call-signal', callId: call.id, signal: { kind: 'note', text: 'hallo' } });
    expect(await s.v.next('error')).toMatchObject({ code: 'bad_request' });
    s.v.send({ type: 'call-signal', callId: call.id, signal: { kind: 'sdp', description: { type: 'offer', sdp: `v=0\r\n${'a'.repeat(20_000)}` } } });
    expect((await s.v.next('error')).code).toMatch(/^(too_large|bad_request)$/);
    s.console.send({ type: 'call-hangup', callId: call.id });
    await s.v.next('call', (f) => f.call.state === 'ended');
    // A call that is over relays nothing.
    s.console.send({ type: 'call-signal', callId: call.id, signal });
    expect(await s.console.next('error')).toMatchObject({ code: 'not_found' });
    await Promise.all([s.v.close(), s.console.close(), other.client.close(), colleague.close()]);
  });

  it('one call at a time; a voice answer to a video offer; declining, withdrawing and an offer nobody answers', async () => {
    const s = await held();
    const call = await offered(s);
    s.console.send({ type: 'call-offer', conversationId: s.conversationId, media: 'voice' });
    expect(await s.console.next('error')).toMatchObject({ code: 'call_busy' });
    s.v.send({ type: 'call-decline', callId: call.id, reason: 'blocked' });
    expect((await s.console.next('call', (f) => f.call.state === 'ended')).call).toMatchObject({ endReason: 'blocked', endedBy: 'visitor' });

    const second = await offered(s);
    s.console.send({ type: 'call-hangup', callId: second.id });
    expect((await s.v.next('call', (f) => f.call.id === second.id && f.call.state === 'ended')).call.endReason).toBe('cancelled');

    const third = await offered(s);
    s.v.send({ type: 'call-accept', callId: third.id, media: 'voice' });
    expect((await s.console.next('call', (f) => f.call.state === 'accepted')).call).toMatchObject({ media: 'video', acceptedMedia: 'voice' });
    s.console.send({ type: 'call-hangup', callId: third.id });
    await s.console.next('call', (f) => f.call.id === third.id && f.call.state === 'ended');
    const record = (await s.v.next('message', (f) => f.message.body.startsWith('call:'))).message;
    expect(parseCallRecord(record.body)?.media).toBe('voice');

    const fourth = await offered(s);
    await t.running.services.calls.check(fourth.id, Date.now() + 61_000);
    expect((await s.v.next('call', (f) => f.call.id === fourth.id && f.call.state === 'ended')).call).toMatchObject({ endReason: 'unanswered', endedBy: 'system' });
    // Declined, withdrawn or unanswered calls took no place: only the one accepted is in the conversation.
    const detail = await api(t, s.cookie, 'GET', `/conversations/${s.conversationId}`);
    expect(detail.json.messages.filter((m: { body: string }) => m.body.startsWith('call:'))).toHaveLength(1);
    await Promise.all([s.v.close(), s.console.close()]);
  });

  it('ends when a side is gone longer than the grace period, not when it reconnects within it; and with its conversation', async () => {
    const s = await held();
    const call = await accepted(s);
    s.console.send({ type: 'call-join', callId: call.id });
    // The visitor's network changes: the socket drops, a new one joins the call within the grace period.
    await s.v.close();
    const back = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    back.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token: s.token });
    await back.next('welcome');
    // A call going on is shown again after the hello.
    expect((await back.next('call')).call).toMatchObject({ id: call.id, state: 'accepted' });
    back.send({ type: 'call-join', callId: call.id });
    // Two grace periods later the call still stands: both sides are there.
    await new Promise((r) => setTimeout(r, 2 * GRACE_S * 1000 + 500));
    expect(s.console.frames.some((f) => f.type === 'call' && f.call.state === 'ended')).toBe(false);
    expect((await t.running.services.calls.load(call.id))?.dto.state).toBe('accepted');

    // The visitor closes the tab: no socket holds the call any more, and it ends after the grace period.
    await back.close();
    expect((await s.console.next('call', (f) => f.call.state === 'ended', 15_000)).call).toMatchObject({ endReason: 'lost', endedBy: 'system' });

    // A counsellor's console that goes away ends the call for the visitor just the same.
    const v2 = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    v2.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token: s.token });
    await v2.next('welcome');
    const s2 = { ...s, v: v2 };
    const second = await accepted(s2);
    v2.send({ type: 'call-join', callId: second.id });
    await s.console.close();
    expect((await v2.next('call', (f) => f.call.id === second.id && f.call.state === 'ended', 15_000)).call.endReason).toBe('lost');

    // Closing the conversation ends its call, and the call that took place is still recorded.
    const console2 = await agent(t, s.cookie);
    const s3 = { ...s2, console: console2 };
    const third = await accepted(s3);
    expect((await api(t, s.cookie, 'POST', `/conversations/${s.conversationId}/close`)).status).toBe(200);
    expect((await v2.next('call', (f) => f.call.id === third.id && f.call.state === 'ended')).call).toMatchObject({ endReason: 'closed', endedBy: 'system' });
    await v2.next('message', (f) => f.message.body.startsWith('call:video:'));
    await Promise.all([v2.close(), console2.close()]);
  });

  it('refuses calls in conversations that are not held and active', async () => {
    const cookie = await login(t);
    const console = await agent(t, cookie);
    const { client: v } = await visitor(t);
    v.send({ type: 'send', clientId: `call-test-${++n}-w`, body: 'Hallo' });
    const { conversationId } = (await v.next('ack')).message;
    console.send({ type: 'call-offer', conversationId, media: 'voice' });
    expect(await console.next('error')).toMatchObject({ code: 'forbidden', ref: `call:${conversationId}` });
    // A conversation that came through a messenger has no browser to call.
    const s = await held();
    await t.running.services.db.updateTable('conversations').set({ channel: 'telegram' }).where('id', '=', s.conversationId).execute();
    s.console.send({ type: 'call-offer', conversationId: s.conversationId, media: 'voice' });
    expect(await s.console.next('error')).toMatchObject({ code: 'bad_request', ref: `call:${s.conversationId}` });
    await Promise.all([s.v.close(), s.console.close()]);
    // A visitor cannot offer, and nothing was created.
    v.send({ type: 'call-offer', conversationId, media: 'voice' });
    expect(await v.next('error')).toMatchObject({ code: 'bad_request' });
    expect(v.frames.some((f) => f.type === 'call')).toBe(false);
    await Promise.all([v.close(), console.close()]);
  });

  it('lets only the documents that hold a call use camera and microphone, and the pages embedding the chat hand them on', async () => {
    const policy = async (path: string) => (await fetch(`${t.url}${path}`, { redirect: 'manual' })).headers.get('permissions-policy');
    expect(await policy(`/widget/frame?site=demo&host=${encodeURIComponent(t.origin)}`)).toBe('camera=(self), microphone=(self), geolocation=(), payment=()');
    expect(await policy('/console/')).toBe('camera=(self), microphone=(self), geolocation=(), payment=()');
    expect(await policy('/api/privacy?site=demo')).toBe('camera=(), microphone=(), geolocation=(), payment=()');
    // The demo partner page (served on 127.0.0.1, another origin than the chat's): to DiReturn's frame only.
    const demo = await fetch(`${t.url.replace('localhost', '127.0.0.1')}/demo/`);
    expect(demo.headers.get('permissions-policy')).toBe(`camera=(self "${t.origin}"), microphone=(self "${t.origin}"), geolocation=(), payment=()`);
  });
});
