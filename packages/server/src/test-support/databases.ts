import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DialectName } from '../db/storage.js';

/**
 * Which database this test run uses: vitest runs the server's tests once per dialect (projects
 * `sqlite` and `postgres` in vitest.config.ts), passing it in DIRETURN_TEST_DATABASE.
 */
export const TEST_DATABASE: DialectName = process.env.DIRETURN_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A PostgreSQL role that may create databases (this machine: trust auth on loopback). */
export const PG_ADMIN_URL = process.env.DIRETURN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPgDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database with a UTF-8 locale (trigram and case folding need one), dropped by `drop()`. */
export async function createPgDatabase(): Promise<TestPgDatabase> {
  const name = `direturn_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
