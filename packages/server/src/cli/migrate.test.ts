import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openStorage } from '../db/database.js';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { startTestServer } from '../test-support/harness.js';

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');

const dataDir = mkdtempSync(join(tmpdir(), 'direturn-migrate-'));
let pgDb: TestPgDatabase | undefined;
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await pgDb?.drop();
});

/** The environment of this run's database: the SQLite file in dataDir, or a fresh PostgreSQL database. */
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

it('direturn migrate brings a new database up to date once, after which DIRETURN_MIGRATE=check starts', async () => {
  const env = await databaseEnv();
  const first = await cli(['migrate'], env);
  expect(first).toMatchObject({ code: 0, stderr: '' });
  expect(first.stdout).toMatch(/^Applied: 2026_11_25_0001_initial, 2026_12_01_0001_trust, \S+/);
  expect(await cli(['migrate'], env)).toEqual({ code: 0, stdout: 'The database schema was up to date already.\n', stderr: '' });

  const t = await startTestServer({ database: 'sqlite', env: { ...env, DIRETURN_MIGRATE: 'check' } });
  try {
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    expect(t.running.services.storage.dialect).toBe(TEST_DATABASE);
  } finally {
    await t.running.close();
  }
});

it('direturn migrate refuses, in one line, a database of a newer DiReturn', async () => {
  const env = await databaseEnv();
  const storage = await openStorage({ databaseUrl: env.DIRETURN_DATABASE_URL, databaseFile: join(dataDir, 'direturn.sqlite') });
  await storage.db
    .insertInto('kysely_migration' as never)
    .values({ name: '2099_01_01_0001_future', timestamp: new Date().toISOString() } as never)
    .execute();
  await storage.close();
  const r = await cli(['migrate'], env);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('The database has a newer schema than this DiReturn knows (2099_01_01_0001_future): start the newer version, or restore a backup made for this one.\n');
});
