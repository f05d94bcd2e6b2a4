import { execFile } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import * as OTPAuth from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { agent, api, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';
import { copyToPostgres, CopyError, COPY_ORDER } from './copy-to-postgres.js';

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');
const COUNSELLOR = { email: 'berna@example.org', password: 'a long counsellor passphrase' };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function pgDatabase(): Promise<TestPgDatabase> {
  const d = await createPgDatabase();
  cleanup.push(() => d.drop());
  return d;
}

/** `direturn copy-to-postgres` as an operator runs it (the built CLI). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

const totpCode = (secret: string, offsetSteps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

/**
 * An installation in use, on SQLite: a counsellor, a conversation with messages both ways (sealed
 * with the key in dataDir/encryption.key), an admin with two-factor login (its secret sealed too).
 * Stopped, its data dir kept.
 */
async function sqliteInstallation(): Promise<{ t: TestServer; conversationId: string; totpSecret: string }> {
  const t = await startTestServer({ database: 'sqlite' });
  cleanup.push(() => rmSync(t.dataDir, { recursive: true, force: true }));
  const admin = await login(t);
  await t.running.services.agents.create({ ...COUNSELLOR, name: 'Berna', role: 'counsellor', languages: ['tr', 'de'] });
  const cookie = await login(t, COUNSELLOR.email, COUNSELLOR.password);
  const console = await agent(t, cookie);
  const v = await visitor(t, { language: 'tr', pageUrl: 'https://partner.example/rueckkehr' });
  v.client.send({ type: 'send', clientId: 'visitor-0001', body: 'Merhaba, geri dönmek istiyorum.' });
  const conversationId = (await v.client.next('ack')).message.conversationId;
  expect((await api(t, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
  console.send({ type: 'send', conversationId, clientId: 'counsellor-0001', body: 'Guten Tag, wie kann ich helfen?' });
  await console.next('ack');
  v.client.send({ type: 'send', clientId: 'visitor-0002', body: 'Ailem İzmir’de.' });
  await v.client.next('ack');
  // A published article with its search row (SQLite's FTS5 indexes stay behind; PostgreSQL indexes the rows).
  const art = await api(t, admin, 'POST', '/knowledge/articles', { slug: 'travel-papers', topic: 'documents' });
  await api(t, admin, 'PUT', `/knowledge/articles/${art.json.article.id}/translations/de`, { title: 'Grenzübertrittsbescheinigung', summary: 'GÜB', body: 'Text' });
  await api(t, admin, 'POST', `/knowledge/articles/${art.json.article.id}/translations/de/publish`);
  const setup = await api(t, admin, 'POST', '/me/totp/setup');
  expect((await api(t, admin, 'POST', '/me/totp/enable', { code: totpCode(setup.json.secret) })).status).toBe(200);
  await v.client.close();
  await console.close();
  await t.running.close();
  return { t, conversationId, totpSecret: setup.json.secret };
}

/** The copied installation, served from PostgreSQL with the same data dir (and so the same key file). */
async function serveFromPostgres(dataDir: string, url: string): Promise<TestServer> {
  const t = await startTestServer({ database: 'sqlite', env: { DIRETURN_DATA_DIR: dataDir, DIRETURN_DATABASE_URL: url } });
  cleanup.push(() => t.stop());
  return t;
}

async function countOn(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

// SQLite to PostgreSQL: one direction, run once (in the postgres project).
describe.runIf(TEST_DATABASE === 'postgres')('direturn copy-to-postgres', () => {
  it('moves an installation: the counsellor logs in and reads the history on PostgreSQL afterwards', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm --filter @direturn/server build first`);
    const { t, conversationId, totpSecret } = await sqliteInstallation();
    const target = await pgDatabase();
    const copied = await cli(['copy-to-postgres', '--to', target.url], { DIRETURN_DATA_DIR: t.dataDir });
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    // One report line per table, the same count on both sides.
    for (const table of COPY_ORDER) expect(copied.stdout).toMatch(new RegExp(`^  ${table} +(\\d+) +\\1$`, 'm'));
    expect(copied.stdout).toMatch(/^ {2}messages +4 +4$/m); // two from the visitor, one reply, the "claimed" note
    expect(copied.stdout).toContain(`the same key file, ${join(t.dataDir, 'encryption.key')}`);

    const p = await serveFromPostgres(t.dataDir, target.url);
    expect((await fetch(`${p.url}/metrics`).then((r) => r.text()))).toContain('database="postgres"');
    const cookie = await login(p, COUNSELLOR.email, COUNSELLOR.password);
    const detail = await api(p, cookie, 'GET', `/conversations/${conversationId}`);
    expect(detail.status).toBe(200);
    expect(detail.json.conversation).toMatchObject({ status: 'active', agentName: 'Berna', pageUrl: 'https://partner.example/rueckkehr' });
    expect(detail.json.messages.map((m: { author: string; body: string }) => [m.author, m.body])).toEqual([
      ['visitor', 'Merhaba, geri dönmek istiyorum.'],
      ['system', 'claimed'],
      ['agent', 'Guten Tag, wie kann ich helfen?'],
      ['visitor', 'Ailem İzmir’de.'],
    ]);
    // The knowledge base came along, and PostgreSQL's own index finds the article.
    expect((await api(p, undefined, 'GET', '/info/search?lang=de&q=ubertritt')).json.hits.map((h: { slug: string }) => h.slug)).toEqual(['travel-papers']);
    // Still sealed at rest on PostgreSQL.
    const stored = await p.running.services.db.selectFrom('messages').select('body').where('author', '=', 'visitor').execute();
    for (const row of stored) expect(row.body).toMatch(/^enc1\./);
    // The admin's second factor came along: its sealed secret opens with the same key.
    const step1 = await api(p, undefined, 'POST', '/auth/login', { email: 'admin@example.org', password: 'correct horse battery staple' });
    expect(step1.json).toEqual({ totpRequired: true, challenge: expect.any(String) });
    // (the next step's code: the current one was spent enrolling, and a code is accepted once)
    const step2 = await api(p, undefined, 'POST', '/auth/login/totp', { challenge: step1.json.challenge, code: totpCode(totpSecret, 1) });
    expect(step2.status).toBe(200);
  }, 90_000); // runs the CLI as its own processes

  it('refuses a target that holds data, and a source the server still has open, changing neither', async () => {
    const { t, conversationId } = await sqliteInstallation();
    const used = await pgDatabase();
    // A DiReturn server ran on this database once: it holds an admin and the demo site.
    const other = await serveFromPostgres(t.dataDir, used.url);
    await other.running.close();
    const before = await countOn(used.url, 'agents');
    const refused = await cli(['copy-to-postgres', '--to', used.url], { DIRETURN_DATA_DIR: t.dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Not done:\n  The target database holds data already (sites, agents, offices, office_areas, topics, orientation_rule_sets): copy-to-postgres fills only an empty one. Nothing was copied.\n');
    expect(await countOn(used.url, 'agents')).toBe(before);
    expect(await countOn(used.url, 'messages')).toBe(0);

    // The server runs on the SQLite file again: the copy must wait for it to stop.
    const running = await startTestServer({ database: 'sqlite', env: { DIRETURN_DATA_DIR: t.dataDir } });
    cleanup.push(() => running.stop());
    const counsellor = await login(running, COUNSELLOR.email, COUNSELLOR.password); // it has the file open
    const empty = await pgDatabase();
    const busy = await cli(['copy-to-postgres', '--to', empty.url], { DIRETURN_DATA_DIR: t.dataDir });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('The SQLite database is in use: stop the DiReturn server first');
    expect(busy.stdout).not.toMatch(/^ {2}sites /m);
    // and the server goes on working
    expect((await api(running, counsellor, 'GET', `/conversations/${conversationId}`)).json.messages).toHaveLength(4);
  }, 90_000); // runs the CLI as its own processes

  it('refuses a table it does not know and values sealed with a key it is not given', async () => {
    const { t } = await sqliteInstallation();
    const file = join(t.dataDir, 'direturn.sqlite');
    const keys = { envKeys: undefined, dataDir: t.dataDir };

    renameSync(join(t.dataDir, 'encryption.key'), join(t.dataDir, 'elsewhere.key'));
    const target = await pgDatabase();
    const noKey = copyToPostgres({ sqliteFile: file, targetUrl: target.url, keys });
    await expect(noKey).rejects.toThrow(CopyError);
    await expect(noKey).rejects.toThrow(/encrypted with key\(s\) \S+ that neither DIRETURN_ENCRYPTION_KEY nor .*encryption\.key holds/);
    expect(existsSync(join(t.dataDir, 'encryption.key'))).toBe(false); // no new key was made up
    renameSync(join(t.dataDir, 'elsewhere.key'), join(t.dataDir, 'encryption.key'));

    // A later migration added a table, and copy-to-postgres was not told.
    const sqlite = new SQLite(file);
    sqlite.exec('create table visitor_notes (id text primary key, body text)');
    sqlite.close();
    await expect(copyToPostgres({ sqliteFile: file, targetUrl: target.url, keys })).rejects.toThrow(
      'The SQLite database has tables copy-to-postgres does not know (visitor_notes): nothing was copied.',
    );
    expect(await countOn(target.url, 'sites').catch(() => 0)).toBe(0);
  });
});
