import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { AgentSocket, login } from '../support/agent-client.js';
import { launchChromium } from '../support/browser.js';
import { socketsPerNode, startCluster, type Cluster } from '../support/cluster.js';
import { ADMIN, type ServerProcess } from '../support/server.js';
import { ResendingVisitor } from '../support/visitor-client.js';

// Two DiReturn processes on PostgreSQL + Redis behind nginx (docs/deploy/nginx.conf), as
// docs/deploy.md describes. Which process holds a socket is read from each process's /metrics.

let cluster: Cluster;
let browser: Browser;
beforeAll(async () => {
  [cluster, browser] = await Promise.all([startCluster(), launchChromium()]);
}, 180_000); // two processes started one after the other, each up to a minute on a busy machine
afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

const COUNSELLOR_PASSWORD = 'counsellor password that is long';
/** Everything the visitors and counsellors of this file wrote: no process may log any of it. */
const written: string[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The index of the process holding exactly `n` sockets of the kind more than `before` did. */
async function holderOf(kind: 'visitors' | 'agents', before: Array<{ visitors: number; agents: number }>, n = 1): Promise<number> {
  return until(`a ${kind} socket on one process`, async () => {
    const now = await socketsPerNode(cluster.nodes);
    const grown = now.map((s, i) => s[kind] - before[i]![kind]);
    const i = grown.findIndex((g) => g === n);
    return i >= 0 && grown.reduce((a, b) => a + b, 0) === n ? i : undefined;
  });
}

async function openWidget(page: Page): Promise<{ frame: Frame; write(text: string): Promise<void> }> {
  await page.goto(`${cluster.url}/demo/`);
  // The demo page is the partner page on another origin (127.0.0.1), the chat frame on nginx's.
  expect(new URL(page.url()).host).toBe(`127.0.0.1:${cluster.nginx.port}`);
  await page.locator('direturn-chat').locator('[part="launcher"]').click();
  const composer = page.frameLocator('direturn-chat iframe').locator('textarea');
  await composer.waitFor();
  const frame = await until('the chat frame', () => page.frames().find((f) => f.url().includes('/widget/frame')));
  return {
    frame,
    async write(text: string) {
      written.push(text);
      await composer.fill(text);
      await composer.press('Enter');
    },
  };
}

/** The visitor's own messages as the widget shows them: text and state (sending, sent, read). */
function shownToVisitor(page: Page): Promise<Array<{ text: string; state: string }>> {
  return page
    .frameLocator('direturn-chat iframe')
    .locator('[part~="message-visitor"]')
    .evaluateAll((rows) =>
      rows.map((r) => ({
        text: r.querySelector('[part="bubble"]')?.textContent?.trim() ?? '',
        state: ['sending', 'sent', 'read', 'failed'].find((s) => r.classList.contains(s)) ?? '',
      })),
    );
}
const acknowledged = (s: { state: string }) => s.state === 'sent' || s.state === 'read';

it('visitor on one process, counsellor on the other, both directions', async () => {
  const visitorContext = await browser.newContext({ locale: 'de-DE' });
  const agentContext = await browser.newContext({ locale: 'de-DE' });
  try {
    const before = await socketsPerNode(cluster.nodes);
    const visitor = await openWidget(await visitorContext.newPage());
    const visitorPage = visitorContext.pages()[0]!;
    const v = await holderOf('visitors', before);

    // The console through nginx: least_conn sends its socket to the process without the visitor's.
    const agentPage = await agentContext.newPage();
    await agentPage.goto(`${cluster.url}/console/`);
    await agentPage.getByLabel(/e-mail/i).fill(ADMIN.email);
    await agentPage.getByLabel(/passwort|password/i).fill(ADMIN.password);
    await agentPage.getByRole('button', { name: /anmelden|log in/i }).click();
    let c = await holderOf('agents', before);
    for (let tries = 0; c === v && tries < 4; tries++) {
      await agentPage.reload();
      c = await holderOf('agents', before);
    }
    expect(c, 'the counsellor socket landed on the visitor’s process every time').not.toBe(v);
    const visitorNode = cluster.nodes[v]!;
    const agentNode = cluster.nodes[c]!;

    // visitor (process v) → counsellor (process c): the queue hears of it over Redis.
    const question = 'Ich möchte nach Armenien zurück. Wer berät mich in Regensburg?';
    await visitor.write(question);
    const queue = agentPage.locator('direturn-queue');
    await queue.getByText(question).waitFor();
    await queue.locator('[part="claim"]').first().click();
    const view = agentPage.locator('direturn-conversation-view');
    await view.getByText(question).waitFor();

    // counsellor (c) → visitor (v)
    const answer = 'Guten Tag! Für Regensburg ist die Rückkehrberatung der Diakonie zuständig.';
    written.push(answer);
    await view.locator('textarea').fill(answer);
    await view.locator('textarea').press('Enter');
    const chat = visitorPage.frameLocator('direturn-chat iframe');
    await chat.locator('[part="bubble"]', { hasText: answer }).waitFor();

    // and back, live into the open conversation
    const followUp = 'Danke! Brauche ich dafür einen Termin?';
    await visitor.write(followUp);
    await view.getByText(followUp).waitFor();

    // Still apart, and each message was stored by the process its author is connected to.
    const sockets = await socketsPerNode(cluster.nodes);
    expect(sockets[v]!.visitors - before[v]!.visitors).toBe(1);
    expect(sockets[c]!.agents - before[c]!.agents).toBe(1);
    const [vm, cm] = await Promise.all([visitorNode.metrics(), agentNode.metrics()]);
    expect(vm.get('direturn_messages_received_total{author="visitor"}')).toBe(2);
    expect(vm.get('direturn_messages_received_total{author="agent"}') ?? 0).toBe(0);
    expect(cm.get('direturn_messages_received_total{author="agent"}')).toBe(1);
    expect(cm.get('direturn_messages_received_total{author="visitor"}') ?? 0).toBe(0);
  } finally {
    await visitorContext.close();
    await agentContext.close();
  }
});

it('the claim race, with the two clicks going to different processes: exactly one wins', async () => {
  const [a, b] = cluster.nodes;
  const admin = await login(cluster.url, ADMIN.email, ADMIN.password);
  const counsellors: Array<{ id: string; cookie: string }> = [];
  for (const name of ['Ada', 'Bea']) {
    const email = `${name.toLowerCase()}@cluster.example`;
    const res = await fetch(`${cluster.url}/api/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin, origin: cluster.url },
      body: JSON.stringify({ email, name, password: COUNSELLOR_PASSWORD, role: 'counsellor', languages: ['de'] }),
    });
    expect(res.status).toBe(201);
    const { agent } = (await res.json()) as { agent: { id: string } };
    counsellors.push({ id: agent.id, cookie: await login(cluster.url, email, COUNSELLOR_PASSWORD) });
  }
  const claim = (node: ServerProcess, who: { cookie: string }, conversationId: string) =>
    fetch(`${node.url}/api/conversations/${conversationId}/claim`, { method: 'POST', headers: { cookie: who.cookie } });
  // Warm each process's connections, so both requests of a round leave at the same moment.
  for (const node of [a, b]) for (const who of counsellors) expect((await fetch(`${node.url}/api/me`, { headers: { cookie: who.cookie } })).status).toBe(200);

  const wins = [0, 0];
  for (let round = 0; round < 8; round++) {
    const visitor = new ResendingVisitor(cluster.url, `http://127.0.0.1:${cluster.nginx.port}`, `race${round}`);
    visitor.connect();
    await until('a welcome', () => visitor.token);
    visitor.write();
    const first = await until('the first message acknowledged', () => [...visitor.acked.values()][0]);
    visitor.stop();
    const conversationId = (first as unknown as { conversationId: string }).conversationId;

    // Alternate who clicks on which process.
    const [onA, onB] = round % 2 ? [counsellors[1]!, counsellors[0]!] : [counsellors[0]!, counsellors[1]!];
    const [resA, resB] = await Promise.all([claim(a, onA, conversationId), claim(b, onB, conversationId)]);
    const statuses = [resA.status, resB.status];
    expect(statuses.sort(), `round ${round}`).toEqual([200, 409]);
    const loser = resA.status === 409 ? resA : resB;
    expect(((await loser.json()) as { error: { code: string } }).error.code).toBe('conversation_taken');
    const winner = resA.status === 200 ? onA : onB;
    wins[resA.status === 200 ? 0 : 1]!++;

    const [row] = await cluster.query<{ status: string; agent_id: string }>('select status, agent_id from conversations where id = $1', [conversationId]);
    expect(row).toEqual({ status: 'active', agent_id: winner.id });
    const system = await cluster.query<{ agent_id: string }>("select agent_id from messages where conversation_id = $1 and author = 'system'", [conversationId]);
    expect(system, 'one "claimed" line in the conversation').toEqual([{ agent_id: winner.id }]);
  }
  // Not asserted (the race is real): which process won how often.
  console.log(`claim race: process A won ${wins[0]} rounds, process B ${wins[1]}`);
});

it('SIGKILL of the process holding the widget’s socket: the widget reconnects through nginx to the other, acknowledged messages stay once, the rest are resent', async () => {
  const context = await browser.newContext({ locale: 'de-DE' });
  let agent: AgentSocket | undefined;
  try {
    const before = await socketsPerNode(cluster.nodes);
    const page = await context.newPage();
    const visitor = await openWidget(page);
    const v = await holderOf('visitors', before);
    const victim = cluster.nodes[v]!;
    const survivor = cluster.nodes[1 - v]!;

    // A counsellor on the survivor (its own port: the socket must not die with the victim).
    const cookie = await login(cluster.url, ADMIN.email, ADMIN.password);
    agent = await AgentSocket.open(survivor.url, cookie);
    const typed: string[] = [];
    const write = async (text: string) => {
      typed.push(text);
      await visitor.write(text);
    };

    await write('Nachricht 1: Ich bin seit drei Jahren in Deutschland.');
    const conversationId = await until('the conversation in the queue', async () => {
      const res = await fetch(`${cluster.url}/api/conversations?status=waiting`, { headers: { cookie } });
      const { conversations } = (await res.json()) as { conversations: Array<{ id: string; firstMessage: string | null }> };
      return conversations.find((c) => c.firstMessage === typed[0])?.id;
    });
    expect((await fetch(`${survivor.url}/api/conversations/${conversationId}/claim`, { method: 'POST', headers: { cookie } })).status).toBe(200);

    // Acknowledged before the kill.
    for (const n of [2, 3]) await write(`Nachricht ${n}: Meine Familie lebt in Tiflis.`);
    await until('three messages acknowledged', async () => (await shownToVisitor(page)).filter(acknowledged).length === 3);
    // A burst that races the stop: some may be stored (with or without their ack reaching the widget), some not.
    for (const n of [4, 5, 6]) await write(`Nachricht ${n}: Schnell geschrieben, kurz vor dem Absturz.`);
    // Freeze the process so that what is typed now is certainly in flight, never acknowledged ...
    process.kill(victim.pid, 'SIGSTOP');
    for (const n of [7, 8, 9]) await write(`Nachricht ${n}: Geschrieben, während der Server hängt.`);
    await until('nine messages in the widget', async () => (await shownToVisitor(page)).length === 9);
    const atKill = await shownToVisitor(page);
    // ... then kill it.
    await victim.kill('SIGKILL');
    expect(atKill.slice(6).map((m) => m.state)).toEqual(['sending', 'sending', 'sending']);
    const sentAtKill = atKill.filter(acknowledged).map((m) => m.text);
    expect(sentAtKill.length).toBeGreaterThanOrEqual(3);

    // The widget reconnects through nginx (nginx skips the dead process) and resends its outbox.
    await until('every message acknowledged after the reconnect', async () => {
      const shown = await shownToVisitor(page);
      return shown.length === 9 && shown.every(acknowledged);
    });
    expect((await socketsPerNode([survivor]))[0]!.visitors - before[1 - v]!.visitors).toBe(1);
    expect(await shownToVisitor(page).then((s) => s.map((m) => m.text))).toEqual(typed);

    // In PostgreSQL: every typed message exactly once, in the order typed, seqs without gaps.
    const rows = await cluster.query<{ id: string; seq: number; author: string; client_id: string | null; body: string }>(
      'select id, seq, author, client_id, body from messages where conversation_id = $1 order by seq',
      [conversationId],
    );
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const stored = rows.filter((r) => r.author === 'visitor');
    expect(await Promise.all(stored.map((r) => cluster.open(r.body, `message:${r.id}`)))).toEqual(typed);
    expect(new Set(stored.map((r) => r.client_id)).size).toBe(typed.length);
    for (const text of sentAtKill) expect(typed).toContain(text);

    // The counsellor on the survivor got every message written after the claim (a resend may be
    // announced twice, once by each process; the console shows a message id once).
    const heard = () => [...new Map(agent!.messages(conversationId).filter((m) => m.author === 'visitor').map((m) => [m.id, m])).values()];
    await until('the counsellor to have every message', () => heard().length >= typed.length - 1);
    expect(heard().map((m) => m.body)).toEqual(typed.slice(1));
    expect(heard().map((m) => m.id)).toEqual(stored.slice(1).map((r) => r.id));
  } finally {
    agent?.close();
    await context.close();
  }
});

it('no process logged what anyone wrote', () => {
  for (const node of cluster.nodes) for (const text of written) expect(node.output()).not.toContain(text);
});
