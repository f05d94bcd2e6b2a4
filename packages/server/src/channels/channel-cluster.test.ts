import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { agent, api, countRows, login, startTestCluster, type TestCluster, type TestServer } from '../test-support/harness.js';
import { TelegramStandIn } from '../test-support/telegram-stand-in.js';
import { connectTelegram, FAST_OUTBOX, postUpdate, telegramText, until } from '../test-support/channels.js';

// Two processes on one PostgreSQL and Redis: Telegram posts to one, the counsellor works on the other.

let cluster: TestCluster | undefined;
let standIn: TelegramStandIn | undefined;
afterEach(async () => {
  await cluster?.stop();
  await standIn?.close();
});

describe.skipIf(TEST_DATABASE !== 'postgres')('a channel across processes', () => {
  it('a webhook handled on one process reaches the console on the other; the reply from there is sent once and its delivery shown there', async () => {
    standIn = await TelegramStandIn.start();
    cluster = await startTestCluster({ env: { ...FAST_OUTBOX, DIRETURN_TELEGRAM_API_URL: standIn.url } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookieB = await login(b);
    const account = await connectTelegram(b, cookieB, standIn);
    const consoleB = await agent(b, cookieB);

    // Telegram posts the same update to both processes at once (a retry racing the first): one message.
    const update = telegramText(9001, 7770001, 'Здравствуйте! Я хочу вернуться в Грузию.', 'ru');
    const answers = await Promise.all([postUpdate(a, account.id, account.secret, update), postUpdate(b, account.id, account.secret, update)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const listed = await consoleB.next('conversation', (f) => f.conversation.firstMessage === 'Здравствуйте! Я хочу вернуться в Грузию.');
    expect(listed.conversation).toMatchObject({ channel: 'telegram', language: 'ru' });
    expect(await countRows(a, 'messages')).toBe(1);

    const id = listed.conversation.id;
    expect((await api(b, cookieB, 'POST', `/conversations/${id}/claim`)).status).toBe(200);
    standIn.fail('sendMessage', { status: 500 });
    consoleB.send({ type: 'send', conversationId: id, clientId: 'cluster-reply-1', body: 'Здравствуйте! Чем могу помочь?' });
    const ack = await consoleB.next('ack', (f) => f.clientId === 'cluster-reply-1');
    await consoleB.next('delivery', (f) => f.messageId === ack.message.id && f.delivery.status === 'sent', 15_000);
    // Both processes poll the outbox: the reply reached Telegram once after the failed try.
    await until(async () => (await a.running.services.outbox.counts()).pending === 0);
    expect(standIn.of('sendMessage').filter((c) => c.params.text === 'Здравствуйте! Чем могу помочь?')).toHaveLength(2);

    // The person writes again, to the other process: the same conversation, live on b.
    await postUpdate(a, account.id, account.secret, telegramText(9002, 7770001, 'Спасибо!', 'ru'));
    const next = await consoleB.next('message', (f) => f.message.body === 'Спасибо!');
    expect(next.message.conversationId).toBe(id);
    await consoleB.close();
  });
});
