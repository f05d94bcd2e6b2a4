import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { composeMail } from '../../test-support/compose-mail.js';
import { TEST_DATABASE } from '../../test-support/databases.js';
import { api, login, startTestCluster, type TestCluster, type TestServer } from '../../test-support/harness.js';
import { TestImap } from '../../test-support/imap.js';
import { TestSmtp } from '../../test-support/smtp.js';

// One mailbox, two DiReturn processes (PostgreSQL + Redis): only one reads it; when that one stops,
// the other takes over after the lease ran out and imports what arrived meanwhile.

let cluster: TestCluster | undefined;
let imap: TestImap | undefined;
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await cluster?.stop();
  await Promise.all([imap?.destroy(), smtp?.stop()]);
});

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(TEST_DATABASE !== 'postgres')('an e-mail account across processes', () => {
  it('is read by one process at a time; the other takes over when it stops', async () => {
    [imap, smtp] = await Promise.all([TestImap.start(), TestSmtp.start()]);
    cluster = await startTestCluster({
      env: { DIRETURN_OUTBOX_RETRY_SECONDS: '0.05', DIRETURN_OUTBOX_POLL_SECONDS: '0.05', DIRETURN_EMAIL_CHECK_MS: '100', DIRETURN_EMAIL_LEASE_MS: '1000', DIRETURN_EMAIL_RECONNECT_MS: '100' },
    });
    const nodes = cluster.nodes as [TestServer, TestServer];
    const admin = await login(nodes[0]);
    const siteId = ((await api(nodes[0], admin, 'GET', '/sites')).json.sites as Array<{ id: string; key: string }>).find((s) => s.key === 'demo')!.id;
    const created = await api(nodes[0], admin, 'POST', '/channels', {
      kind: 'email',
      name: 'Beratung per E-Mail',
      siteId,
      settings: { address: imap.user, imapHost: imap.host, imapPort: String(imap.port), imapTls: 'false', smtpUrl: smtp.url },
      secrets: { imapPassword: imap.password },
    });
    expect(created.status).toBe(201);
    const accountId = created.json.account.id as string;
    const db = nodes[0].running.services.db;
    const lease = async () => (await db.selectFrom('email_mailboxes').select(['lease_owner', 'lease_until']).where('account_id', '=', accountId).executeTakeFirst())?.lease_owner ?? undefined;

    const from = `p${randomBytes(4).toString('hex')}@sender.example`;
    const texts = ['Erste Nachricht an zwei Prozesse', 'Zweite Nachricht an zwei Prozesse', 'Dritte Nachricht an zwei Prozesse'];
    for (const text of texts) await imap.deliver(await composeMail({ from, to: imap.user, subject: 'Frage', text }));
    const bodies = async () => (await db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id').select('messages.id').where('conversations.channel_account_id', '=', accountId).execute()).length;
    await until('three messages', async () => (await bodies()) === 3);
    const first = await until('a lease holder', lease);
    // For several checks the same process holds it, and nothing was imported twice.
    const checks = Date.now() + 600;
    while (Date.now() < checks) {
      expect(await lease()).toBe(first);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await bodies()).toBe(3);
    expect(await db.selectFrom('conversations').select('id').where('channel_account_id', '=', accountId).execute()).toHaveLength(1);

    // The process that holds it stops (which one that is, the test learns by stopping the first):
    // the other takes the lease over and reads what arrives meanwhile.
    const count = (n: TestServer) => n.running.services.db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id').select('messages.id').where('conversations.channel_account_id', '=', accountId).execute();
    const ownerVia = async (n: TestServer) => (await n.running.services.db.selectFrom('email_mailboxes').select('lease_owner').where('account_id', '=', accountId).executeTakeFirst())?.lease_owner;
    const stopThenDeliver = async (stopped: TestServer, remaining: TestServer, expected: number) => {
      await stopped.running.close();
      await imap!.deliver(await composeMail({ from, to: imap!.user, subject: 'Frage', text: `Nachricht ${expected}, nach dem Halt eines Prozesses` }));
      await until(`message ${expected}, read by the remaining process`, async () => (await count(remaining)).length === expected);
      return ownerVia(remaining);
    };
    let owner = await stopThenDeliver(nodes[0], nodes[1], 4);
    await nodes[0].restart();
    if (owner === first) {
      // The second process held it all along: now it stops, and the first takes over.
      owner = await stopThenDeliver(nodes[1], nodes[0], 5);
      await nodes[1].restart();
    }
    expect(owner).toBeTruthy();
    expect(owner).not.toBe(first);
  });
});
