import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { FrameClient, startTestCluster, visitor, wsUrl, type TestCluster, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { RateLimitedError } from '../shared/errors.js';

// Resume codes across two processes on one PostgreSQL and one Redis: the limits are counted in
// Redis (not per process), and the device that was left is signed out wherever its socket is.

let cluster: TestCluster;
afterEach(async () => {
  await cluster?.stop();
});

describe.skipIf(TEST_DATABASE !== 'postgres')('resume codes on several processes', () => {
  it('counts wrong tries of one code on every process together, and closes the old device on the other process', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const phone = await visitor(a);
    phone.client.send({ type: 'send', clientId: 'cluster-resume-1', body: 'Hallo' });
    await phone.client.next('ack');
    phone.client.send({ type: 'resume-code' });
    const { code } = await phone.client.next('resume-code');

    // Five wrong tries of this code (same selector), alternating processes and clients: the sixth is delayed on either.
    const wrong = code.slice(0, 4) + (code.slice(4) === 'ZZZZZZZZ' ? 'YYYYYYYY' : 'ZZZZZZZZ');
    for (let i = 0; i < 5; i++) {
      const node = i % 2 ? b : a;
      await expect(node.running.services.resumeCodes.use('x', wrong, `client-${i}`)).rejects.toMatchObject({ code: 'resume_invalid' });
    }
    await expect(b.running.services.resumeCodes.use('x', wrong, 'client-9')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(a.running.services.resumeCodes.use('x', code, 'client-10')).rejects.toBeInstanceOf(RateLimitedError);
    // Per client too: ten distinct codes from one client, spread over both processes.
    for (let i = 0; i < 10; i++) {
      const node = i % 2 ? b : a;
      await expect(node.running.services.resumeCodes.use('x', `${'23456789AB'[i]}Q${'23456789AB'[i]}QZZZZZZZZ`, 'one-client')).rejects.toMatchObject({ code: 'resume_invalid' });
    }
    await expect(a.running.services.resumeCodes.use('x', 'XQXQZZZZZZZZ', 'one-client')).rejects.toBeInstanceOf(RateLimitedError);

    // A fresh code (renewal also starts a fresh counter), used on the other process.
    phone.client.send({ type: 'resume-code' });
    const renewed = (await phone.client.next('resume-code')).code;
    const library = (await FrameClient.open(wsUrl(b.url, '/ws/visitor'), { origin: b.origin })) as VisitorClient;
    library.send({ type: 'hello', site: 'demo', origin: b.origin, language: 'de', resume: renewed });
    expect((await library.next('welcome')).visitorId).toBe(phone.visitorId);
    await phone.client.next('resumed-elsewhere');
    expect((await phone.client.closed).code).toBe(4409);
    library.close();
  }, 60_000);
});
