import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { agent, api, login, startTestCluster, visitor, type TestCluster, type TestServer } from '../test-support/harness.js';
import { TestSmtp } from '../test-support/smtp.js';

// Reply notices on two processes (one PostgreSQL, one Redis): the visitor opts in on one, the
// counsellor answers twice at once on the other, both processes poll the outbox: one mail.

let cluster: TestCluster | undefined;
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await cluster?.stop();
  await smtp?.stop();
});

describe.skipIf(TEST_DATABASE !== 'postgres')('reply notices on several processes', () => {
  it('queues one mail per waiting period, whichever process stores the replies and delivers', async () => {
    smtp = await TestSmtp.start();
    cluster = await startTestCluster({
      env: {
        DIRETURN_SMTP_URL: smtp.url,
        DIRETURN_MAIL_FROM: 'DiReturn <noreply@direturn.example.org>',
        DIRETURN_REPLY_NOTICE_DELAY_MINUTES: '0.01',
        DIRETURN_OUTBOX_POLL_SECONDS: '0.05',
      },
    });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const { client: v } = await visitor(a);
    v.send({ type: 'send', clientId: 'cluster-notice-1', body: 'Hallo' });
    const conversationId = (await v.next('ack')).message.conversationId;
    v.send({ type: 'reply-notice-on', email: 'amal@example.org', consent: true });
    expect(await v.next('reply-notice', (f) => f.on)).toMatchObject({ on: true });

    const cookie = await login(b);
    expect((await api(b, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
    const counsellor = await agent(b, cookie);
    for (const clientId of ['cluster-reply-1', 'cluster-reply-2', 'cluster-reply-3']) counsellor.send({ type: 'send', conversationId, clientId, body: 'Eine Antwort.' });
    for (const clientId of ['cluster-reply-1', 'cluster-reply-2', 'cluster-reply-3']) await counsellor.next('ack', (f) => f.clientId === clientId);

    const mail = await smtp.waitFor(1);
    expect(mail.to).toEqual(['amal@example.org']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.mails).toHaveLength(1);
    expect(await b.running.services.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    v.close();
    await counsellor.close();
  }, 60_000);
});
