import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { agent, api, login, startTestCluster, visitor, type TestCluster, type TestServer } from '../test-support/harness.js';

// A call between a visitor on one process and the counsellor on another (one PostgreSQL, one
// Redis): the signalling crosses the bus sealed, the state is shared, a side that is gone ends the
// call whichever process notices.
const REDIS_URL = process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MARK = 'clustersignalmark';
const sdp = (type: string) => `v=0\r\no=- 7 2 IN IP4 198.51.100.9\r\ns=${MARK}-${type}\r\nt=0 0\r\n`;

let cluster: TestCluster | undefined;
let spy: Redis | undefined;
afterEach(async () => {
  await spy?.quit();
  spy = undefined;
  await cluster?.stop();
  cluster = undefined;
});

describe.skipIf(TEST_DATABASE !== 'postgres')('calls across processes', () => {
  it('signals between a visitor on one process and the counsellor on the other, sealed on the bus, and ends when a side is gone', async () => {
    cluster = await startTestCluster({ env: { DIRETURN_CALL_GRACE_SECONDS: '3' } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    // Everything the processes say to each other over Redis, as someone reading along would see it.
    const heard: string[] = [];
    spy = new Redis(REDIS_URL, { lazyConnect: true });
    await spy.connect();
    await spy.subscribe(`${cluster.redisPrefix}:bus`);
    spy.on('message', (_channel: string, raw: string) => heard.push(raw));

    const cookie = await login(b);
    const console = await agent(b, cookie);
    const v = await visitor(a);
    v.client.send({ type: 'send', clientId: 'cluster-call-1', body: 'Bitte rufen Sie mich an' });
    const { conversationId } = (await v.client.next('ack')).message;
    expect((await api(b, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);

    console.send({ type: 'call-offer', conversationId, media: 'video' });
    const call = (await v.client.next('call', (f) => f.call.state === 'offered', 10_000)).call;
    v.client.send({ type: 'call-accept', callId: call.id, media: 'video' });
    await console.next('call', (f) => f.call.state === 'accepted', 10_000);
    v.client.send({ type: 'call-join', callId: call.id });
    console.send({ type: 'call-join', callId: call.id });

    console.send({ type: 'call-signal', callId: call.id, signal: { kind: 'sdp', description: { type: 'offer', sdp: sdp('offer') } } });
    expect((await v.client.next('call-signal', () => true, 10_000)).signal).toEqual({ kind: 'sdp', description: { type: 'offer', sdp: sdp('offer') } });
    v.client.send({ type: 'call-signal', callId: call.id, signal: { kind: 'sdp', description: { type: 'answer', sdp: sdp('answer') } } });
    expect((await console.next('call-signal', () => true, 10_000)).signal).toEqual({ kind: 'sdp', description: { type: 'answer', sdp: sdp('answer') } });
    const candidate = { candidate: 'candidate:1 1 udp 1 198.51.100.9 9 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null };
    console.send({ type: 'call-signal', callId: call.id, signal: { kind: 'ice', candidates: [candidate] } });
    expect((await v.client.next('call-signal', () => true, 10_000)).signal).toEqual({ kind: 'ice', candidates: [candidate] });

    // Three grace periods with both sides connected to different processes: the call stands.
    await new Promise((r) => setTimeout(r, 9_500));
    expect(console.frames.some((f) => f.type === 'call' && f.call.state === 'ended')).toBe(false);

    // The visitor's tab closes on process A; process B (holding the counsellor) ends the call.
    await v.client.close();
    expect((await console.next('call', (f) => f.call.state === 'ended', 20_000)).call).toMatchObject({ endReason: 'lost', endedBy: 'system' });
    const record = (await console.next('message', (f) => f.message.body.startsWith('call:video:'), 10_000)).message;
    expect(record.author).toBe('system');

    // What crossed Redis: call ids and sealed signalling, never a description, a candidate or an address.
    expect(heard.some((raw) => raw.includes('"call-signal"'))).toBe(true);
    expect(heard.join('\n')).not.toContain(MARK);
    expect(heard.join('\n')).not.toContain('198.51.100.9');
    // Nor the store: the call's keys hold ids and times only.
    const reader = new Redis(REDIS_URL);
    try {
      const keys = await reader.keys(`${cluster.redisPrefix}:call*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(String(await reader.get(key).catch(() => ''))).not.toContain(MARK);
    } finally {
      await reader.quit();
    }
    await console.close();
  });
});
