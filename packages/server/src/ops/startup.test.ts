import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../db/database.js';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { freePort } from '../test-support/harness.js';

/** The built server, started as an operator would (`pnpm test` builds before it tests). */
const MAIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/main.js');
const SECRET = 's3cret-pw-in-the-url';

const dataDir = mkdtempSync(join(tmpdir(), 'direturn-startup-'));
const databases: TestPgDatabase[] = [];
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  for (const d of databases) await d.drop();
});

/** Starts dist/main.js and waits for it to end (it must: every case here is a refused start). */
async function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const port = await freePort();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [MAIN],
      {
        env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DIRETURN_DATA_DIR: dataDir, DIRETURN_LOG_LEVEL: 'info', ...env },
        timeout: 30_000,
      },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

/** One line, no stack trace, no secret: what an operator reads in a process manager's status. */
function expectOneClearLine(r: { code: number | null; stdout: string; stderr: string }, line: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(line);
  for (const out of [r.stderr, r.stdout]) {
    expect(out).not.toMatch(/^\s+at /m);
    expect(out).not.toContain(SECRET);
  }
}

// Spawned processes against PostgreSQL: run once, in the postgres project.
describe.runIf(TEST_DATABASE === 'postgres')('a refused start gives one clear line and exit code 1', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm --filter @direturn/server build first`);
  });

  it('a malformed DIRETURN_DATABASE_URL', async () => {
    const r = await start({ DIRETURN_DATABASE_URL: `postgres://direturn:${SECRET}@db.example:notaport/direturn` });
    expectOneClearLine(r, /^Invalid configuration: DIRETURN_DATABASE_URL: .*postgres:\/\/ URL$/m);
  });

  it('a malformed DIRETURN_REDIS_URL', async () => {
    const r = await start({ DIRETURN_REDIS_URL: `http://:${SECRET}@redis.example:6379` });
    expectOneClearLine(r, /^Invalid configuration: DIRETURN_REDIS_URL: .*redis:\/\/ or rediss:\/\/ URL$/m);
  });

  it('several configuration issues at once', async () => {
    const r = await start({ DIRETURN_DATABASE_URL: 'mysql://x', DIRETURN_MIGRATE: 'sometimes' });
    expectOneClearLine(r, /^Invalid configuration: DIRETURN_DATABASE_URL: .*; DIRETURN_MIGRATE: DIRETURN_MIGRATE must be auto or check$/m);
  });

  it('a PostgreSQL server that does not answer', async () => {
    const port = await freePort(); // nothing listens there
    const r = await start({ DIRETURN_DATABASE_URL: `postgres://direturn:${SECRET}@127.0.0.1:${port}/direturn` });
    expectOneClearLine(r, new RegExp(`^DiReturn could not start: Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/direturn: ECONNREFUSED`, 'm'));
  });

  it('a database written by a newer DiReturn', async () => {
    const target = await createPgDatabase();
    databases.push(target);
    const storage = await openPostgres(target.url);
    await storage.db
      .insertInto('kysely_migration' as never)
      .values({ name: '2099_01_01_0001_future', timestamp: new Date().toISOString() } as never)
      .execute();
    await storage.close();
    const r = await start({ DIRETURN_DATABASE_URL: target.url });
    expectOneClearLine(r, /^DiReturn could not start: The database has a newer schema than this DiReturn knows \(2099_01_01_0001_future\)/m);
  });

  it('DIRETURN_MIGRATE=check on a database that was never migrated', async () => {
    const target = await createPgDatabase();
    databases.push(target);
    const r = await start({ DIRETURN_DATABASE_URL: target.url, DIRETURN_MIGRATE: 'check' });
    expectOneClearLine(r, /^DiReturn could not start: The database schema is older than this DiReturn \(\d+ migration\(s\) pending\): run `direturn migrate` first\.$/m);
  });

  it('a DIRETURN_ADMIN_PASSWORD the password policy refuses', async () => {
    const password = 'password1234'; // long enough for the configuration check, too common for the policy
    const r = await start({ DIRETURN_ADMIN_EMAIL: 'admin@example.org', DIRETURN_ADMIN_PASSWORD: password });
    expectOneClearLine(r, /^DiReturn could not start: DIRETURN_ADMIN_PASSWORD was refused: is too common or too easy to guess/m);
    expect(r.stderr + r.stdout).not.toContain(password);
  });

  it('a port that is taken', async () => {
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(port, '127.0.0.1', r));
    try {
      const r = await start({ PORT: String(port) });
      expectOneClearLine(r, new RegExp(`^DiReturn could not start: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}$`, 'm'));
    } finally {
      taken.close();
    }
  });
});
