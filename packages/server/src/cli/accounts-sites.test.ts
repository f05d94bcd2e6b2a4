import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openStorage } from '../db/database.js';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');

const dataDir = mkdtempSync(join(tmpdir(), 'direturn-cli-'));
let pgDb: TestPgDatabase | undefined;
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await pgDb?.drop();
});

async function databaseEnv(): Promise<Record<string, string>> {
  if (TEST_DATABASE === 'sqlite') return { DIRETURN_DATA_DIR: dataDir };
  pgDb ??= await createPgDatabase();
  return { DIRETURN_DATA_DIR: dataDir, DIRETURN_DATABASE_URL: pgDb.url };
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

async function withDb<T>(env: Record<string, string>, work: (db: Awaited<ReturnType<typeof openStorage>>['db']) => Promise<T>): Promise<T> {
  const storage = await openStorage({ databaseUrl: env.DIRETURN_DATABASE_URL, databaseFile: join(dataDir, 'direturn.sqlite') });
  try {
    return await work(storage.db);
  } finally {
    await storage.close();
  }
}

it('direturn agents reset-password prints a one-time password once, ends the sessions and audits it', async () => {
  const env = await databaseEnv();
  expect((await cli(['agents', 'add', '--email', 'pari@example.org', '--name', 'Pari', '--language', 'ps'], { ...env, DIRETURN_AGENT_PASSWORD: 'a long enough password' })).code).toBe(0);
  const agentId = await withDb(env, async (db) => {
    const row = await db.selectFrom('agents').select('id').where('email', '=', 'pari@example.org').executeTakeFirstOrThrow();
    await db.insertInto('sessions').values({ id: 'session-hash', agent_id: row.id, created_at: Date.now(), last_seen_at: Date.now(), expires_at: Date.now() + 60_000 }).execute();
    return row.id;
  });

  const r = await cli(['agents', 'reset-password', 'Pari@Example.org'], env);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const otp = /One-time password for pari@example\.org \(shown once\): ([a-z2-9-]{19})\n/.exec(r.stdout)?.[1];
  expect(otp).toBeDefined();
  expect(r.stdout).toContain('Pari must choose a new password at the next login, within 72 hours.');

  await withDb(env, async (db) => {
    expect(await db.selectFrom('sessions').select('id').where('agent_id', '=', agentId).execute()).toEqual([]);
    const agent = await db.selectFrom('agents').select(['password_hash', 'password_reset_at']).where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(agent.password_hash).toMatch(/^\$argon2id\$/);
    expect(agent.password_reset_at).not.toBeNull();
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'agent.password_reset').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ agent_id: null, target_agent_id: agentId, details: '{"via":"cli"}' });
  });

  expect(await cli(['agents', 'reset-password', 'nobody@example.org'], env)).toMatchObject({ code: 1, stderr: 'Not done:\n  No agent with the e-mail address nobody@example.org.\n' });
}, 60_000);

it('direturn sites add/edit/remove: the snippet names the public URL; edit changes what is named; remove refuses a site in use', async () => {
  const env = { ...(await databaseEnv()), DIRETURN_PUBLIC_URL: 'https://chat.example.org', PORT: '9999' };
  const added = await cli(['sites', 'add', '--name', 'Caritas', '--origin', 'https://caritas.example'], env);
  expect(added.code).toBe(0);
  const key = /data-site="(s_[A-Za-z0-9_-]+)"/.exec(added.stdout)?.[1];
  expect(added.stdout).toContain(`<script type="module" src="https://chat.example.org/widget.js" data-site="${key}"></script>`);
  expect(added.stdout).not.toContain('9999');

  // Without DIRETURN_PUBLIC_URL the snippet is this shell's guess: the CLI says so.
  const { DIRETURN_PUBLIC_URL: _, ...noUrl } = env;
  const guessed = await cli(['sites', 'add', '--name', 'Other', '--origin', 'https://other.example'], noUrl);
  expect(guessed.stdout).toContain('DIRETURN_PUBLIC_URL is not set in this shell, so the snippet names http://localhost:9999');

  const edited = await cli(
    ['sites', 'edit', key!, '--name', 'Caritas Augsburg', '--disable', '--time-zone', 'Europe/Berlin', '--hours', 'mon=09:00-12:00,13:00-17:00', '--hours', 'fri=09:00-14:00', '--away', 'de=Heute geschlossen.'],
    env,
  );
  expect(edited).toMatchObject({ code: 0, stdout: `Site "Caritas Augsburg" (${key}) saved: disabled, opening hours in Europe/Berlin.\n` });
  const site = await withDb(env, (db) => db.selectFrom('sites').selectAll().where('key', '=', key!).executeTakeFirstOrThrow());
  expect(JSON.parse(site.opening_hours!)).toEqual({ mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }], fri: [{ from: '09:00', to: '14:00' }] });
  expect(JSON.parse(site.away_messages)).toEqual({ de: 'Heute geschlossen.' });
  expect(site.disabled_at).not.toBeNull();
  expect(site.allowed_origins).toBe('["https://caritas.example"]');

  expect(await cli(['sites', 'edit', key!, '--hours', 'mon=17:00-09:00'], env)).toMatchObject({ code: 1, stderr: 'Not done:\n  openingHours.mon.0.to: must end after it starts\n' });
  expect((await cli(['sites', 'edit', key!, '--enable', '--hours', 'always', '--away', 'de='], env)).stdout).toContain('enabled, always open');
  expect(JSON.parse((await withDb(env, (db) => db.selectFrom('sites').select('away_messages').where('key', '=', key!).executeTakeFirstOrThrow())).away_messages)).toEqual({});

  await withDb(env, async (db) => {
    const siteId = site.id;
    await db.insertInto('visitors').values({ id: 'v1', site_id: siteId, token_hash: 'h', language: 'de', created_at: Date.now(), last_seen_at: Date.now() } as never).execute();
    await db.insertInto('conversations').values({ id: 'c1', site_id: siteId, visitor_id: 'v1', channel: 'widget', status: 'waiting', language: 'de', created_at: Date.now() } as never).execute();
  });
  const refused = await cli(['sites', 'remove', key!], env);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('The site still has 1 conversations: disable it instead');
  await withDb(env, (db) => db.deleteFrom('conversations').where('id', '=', 'c1').execute());
  expect(await cli(['sites', 'remove', key!], env)).toMatchObject({ code: 0, stdout: `Site ${key} removed.\n` });
  expect((await cli(['sites', 'list'], env)).stdout).not.toContain(key!);
}, 90_000);
