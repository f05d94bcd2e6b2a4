import { afterEach, expect, it } from 'vitest';
import { agent, api, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});

const scrape = async () => (await fetch(`${t.url}/metrics`)).text();
const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

it('counts sockets, stored messages, message frames sent and acknowledgement times as the realtime edge works', async () => {
  t = await startTestServer();
  const cookie = await login(t);
  const console = await agent(t, cookie);
  const v = await visitor(t);
  v.client.send({ type: 'send', clientId: 'metric-0001', body: 'Hallo' });
  const { message } = await v.client.next('ack');
  v.client.send({ type: 'send', clientId: 'metric-0001', body: 'Hallo' }); // a resend: acknowledged, not counted
  await v.client.next('ack');
  await api(t, cookie, 'POST', `/conversations/${message.conversationId}/claim`);
  console.send({ type: 'send', conversationId: message.conversationId, clientId: 'metric-0002', body: 'Guten Tag' });
  await console.next('ack');
  await v.client.next('message', (f) => f.message.author === 'agent');

  const text = await scrape();
  expect(value(text, 'direturn_visitors_connected')).toBe(1);
  expect(value(text, 'direturn_agents_connected')).toBe(1);
  expect(value(text, 'direturn_messages_received_total{author="visitor"}')).toBe(1);
  expect(value(text, 'direturn_messages_received_total{author="agent"}')).toBe(1);
  expect(value(text, 'direturn_message_ack_seconds_count{author="visitor"}')).toBe(2);
  // visitor: the system message "claimed" and the answer; agent: the system message
  expect(value(text, 'direturn_messages_sent_total{recipient="visitor"}')).toBe(2);
  expect(value(text, 'direturn_messages_sent_total{recipient="agent"}')).toBeGreaterThanOrEqual(1);
  await Promise.all([v.client.close(), console.close()]);
  await expect.poll(async () => value(await scrape(), 'direturn_visitors_connected')).toBe(0);
});
