import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login, api, startTestServer, visitor, type TestServer } from '../test-support/harness.js';
import { Keyring, KEY_FILE_NAME } from './keyring.js';
import { keysInUse, reencryptAll } from './rotate.js';

describe('keyring (AES-256-GCM)', () => {
  it('round-trips, uses a fresh nonce each time and refuses tampering or another row', () => {
    const ring = Keyring.of([randomBytes(32)]);
    const a = ring.seal('Ich habe Angst vor der Ausländerbehörde', 'message:1');
    const b = ring.seal('Ich habe Angst vor der Ausländerbehörde', 'message:1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('Angst');
    expect(ring.open(a, 'message:1')).toBe('Ich habe Angst vor der Ausländerbehörde');
    expect(() => ring.open(a, 'message:2')).toThrow(); // moved to another row
    const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA');
    expect(() => ring.open(tampered, 'message:1')).toThrow();
    expect(() => Keyring.of([randomBytes(32)]).open(a, 'message:1')).toThrow('No encryption key');
  });

  it('never repeats a nonce, also across refills of its pool of random bytes', () => {
    const ring = Keyring.of([randomBytes(32)]);
    const nonces = new Set<string>();
    const n = 2000; // several 341-nonce pools
    for (let i = 0; i < n; i++) {
      const sealed = ring.seal('x', `message:${i}`);
      const nonce = sealed.split('.')[2]!;
      expect(Buffer.from(nonce, 'base64url')).toHaveLength(12);
      nonces.add(nonce);
      expect(ring.open(sealed, `message:${i}`)).toBe('x');
    }
    expect(nonces.size).toBe(n);
  });

  it('creates the key file with mode 0600 on first start and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'direturn-key-'));
    try {
      const ring = Keyring.load({ dataDir: dir });
      const file = join(dir, KEY_FILE_NAME);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
      const sealed = ring.seal('x', 'a');
      expect(Keyring.load({ dataDir: dir }).open(sealed, 'a')).toBe('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes keys from DIRETURN_ENCRYPTION_KEY (first encrypts, all decrypt) and rejects bad ones', () => {
    const [k1, k2] = [randomBytes(32), randomBytes(32)];
    const old = Keyring.load({ envKeys: k1.toString('base64'), dataDir: '/nonexistent' });
    const sealed = old.seal('hallo', 'a');
    const both = Keyring.load({ envKeys: `${k2.toString('base64')},${k1.toString('base64')}`, dataDir: '/nonexistent' });
    expect(both.open(sealed, 'a')).toBe('hallo');
    expect(Keyring.keyIdOfValue(both.seal('x', 'a'))).toBe(both.currentKeyId);
    expect(both.currentKeyId).not.toBe(old.currentKeyId);
    expect(() => Keyring.load({ envKeys: 'dG9vIHNob3J0', dataDir: '/x' })).toThrow('32 bytes');
  });
});

/** A conversation whose page address is stored in plaintext, as before page addresses were sealed. */
async function conversationWithPlainPage(t: TestServer, pageUrl: string): Promise<string> {
  const { client } = await visitor(t, { pageUrl: 'https://partner.example/placeholder' });
  client.send({ type: 'send', clientId: 'legacy-0001', body: 'Alt' });
  const id = (await client.next('ack')).message.conversationId;
  await client.close();
  await t.running.services.db.updateTable('conversations').set({ page_url: pageUrl }).where('id', '=', id).execute();
  return id;
}

describe('message bodies at rest', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('stores bodies and page addresses only encrypted, yet serves them (and the queue preview) in clear', async () => {
    const secret = 'Mein Aufenthaltsstatus ist unsicher und mein Kind ist krank';
    const page = 'https://partner.example/hilfe/abschiebung-afghanistan';
    const { client } = await visitor(t, { pageUrl: page });
    client.send({ type: 'send', clientId: 'enc-0001', body: secret });
    const ack = await client.next('ack');
    expect(ack.message.body).toBe(secret);
    const rows = await t.running.services.db.selectFrom('messages').select('body').execute();
    expect(rows[0]!.body).toMatch(/^enc1\.[A-Za-z0-9_-]{8}\./);
    expect(rows[0]!.body).not.toContain('Aufenthaltsstatus');
    const raw = readFileSync(join(t.dataDir, 'direturn.sqlite')).toString('latin1') + readFileSync(join(t.dataDir, 'direturn.sqlite-wal')).toString('latin1');
    expect(raw).not.toContain('Aufenthaltsstatus');
    expect(raw).not.toContain('afghanistan');
    const [conversation] = await t.running.services.db.selectFrom('conversations').select('page_url').execute();
    expect(conversation!.page_url).toMatch(/^enc1\./);
    const cookie = await login(t);
    const queue = await api(t, cookie, 'GET', '/conversations?status=waiting');
    expect(queue.json.conversations[0].firstMessage).toBe(secret);
    expect(queue.json.conversations[0].pageUrl).toBe(page);
    expect((await api(t, cookie, 'GET', `/conversations/${ack.message.conversationId}`)).json.messages[0].body).toBe(secret);
    await client.close();
  });

  it('rotates the key online: a second keyring (the CLI) adds a key and re-encrypts while the server runs', async () => {
    const { client, token } = await visitor(t, { pageUrl: 'https://partner.example/rueckkehr' });
    for (let i = 0; i < 14; i++) {
      client.send({ type: 'send', clientId: `rot-${String(i).padStart(5, '0')}`, body: `Nachricht ${i}` });
      await client.next('ack');
    }
    const { db } = t.running.services;
    const oldKey = t.running.services.keyring.currentKeyId;
    // A conversation from before page addresses were sealed: plaintext, read as it is, sealed by the rotation.
    const legacy = await conversationWithPlainPage(t, 'https://partner.example/frueher');
    const cli = Keyring.load({ dataDir: t.dataDir });
    const newKey = cli.addKeyToFile();
    // The server keeps writing during the rotation.
    const writing = (async () => {
      for (let i = 14; i < 19; i++) {
        client.send({ type: 'send', clientId: `rot-${String(i).padStart(5, '0')}`, body: `Nachricht ${i}` });
        await client.next('ack');
      }
    })();
    const first = await reencryptAll(db, cli, { batch: 7 });
    await writing;
    await new Promise((r) => setTimeout(r, 1100)); // the server re-reads the key file at most once a second
    await reencryptAll(db, cli, { batch: 7 });
    expect(first.failed).toBe(0);
    expect(first.pages).toBe(2);
    const [{ page_url: sealedLegacy }] = [await db.selectFrom('conversations').select('page_url').where('id', '=', legacy).executeTakeFirstOrThrow()];
    expect(sealedLegacy).toMatch(new RegExp(`^enc1\\.${newKey}\\.`));
    const inUse = await keysInUse(db);
    expect([...inUse.keys()]).toEqual([newKey]);
    expect(inUse.get(newKey)).toBe(20 + 2); // 19 messages + the legacy conversation's one, 2 page addresses
    expect(oldKey).not.toBe(newKey);
    // Everything still reads, through the running server.
    await client.close();
    const again = await visitor(t, { token });
    const welcome = again.client.frames.length; // welcome already consumed by the helper
    expect(welcome).toBe(0);
    again.client.send({ type: 'sync', afterSeq: 0 });
    const synced = await again.client.next('synced');
    expect(synced.messages.map((m) => m.body)).toEqual(Array.from({ length: 19 }, (_, i) => `Nachricht ${i}`));
    const waiting = await api(t, await login(t), 'GET', '/conversations?status=waiting');
    expect(waiting.json.conversations.find((c: { id: string }) => c.id === legacy).pageUrl).toBe('https://partner.example/frueher');
    expect(cli.pruneKeyFile(new Set(inUse.keys()))).toEqual([oldKey]);
    await again.client.close();
  });
});
