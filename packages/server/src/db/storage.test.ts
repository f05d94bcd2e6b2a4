import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { openStorage, type Storage } from './database.js';

// The same values come back from both dialects, so services never learn which one runs.
let storage: Storage | undefined;
let pgDb: TestPgDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  await storage?.close();
  await pgDb?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  storage = pgDb = dir = undefined;
});

async function open(): Promise<Storage> {
  dir = mkdtempSync(join(tmpdir(), 'direturn-storage-'));
  if (TEST_DATABASE === 'postgres') pgDb = await createPgDatabase();
  storage = await openStorage({ databaseUrl: pgDb?.url, databaseFile: join(dir, 'direturn.sqlite') });
  expect(storage.dialect).toBe(TEST_DATABASE);
  return storage;
}

it('returns epoch-ms timestamps, sequence numbers and counts as numbers, nulls as null', async () => {
  const { db } = await open();
  const now = 1_765_000_000_123;
  await db.insertInto('sites').values({ id: 's1', key: 'k1', name: 'Site', allowed_origins: '["https://a.example"]', default_language: 'de', created_at: now }).execute();
  await db.insertInto('visitors').values({ id: 'v1', site_id: 's1', token_hash: 'h', language: 'ar', created_at: now, last_seen_at: now }).execute();
  await db
    .insertInto('conversations')
    .values({ id: 'c1', site_id: 's1', visitor_id: 'v1', channel: 'widget', status: 'waiting', language: 'ar', page_url: null, agent_id: null, created_at: now, claimed_at: null, closed_at: null })
    .execute();
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', 'c1').executeTakeFirstOrThrow();
  expect(row).toMatchObject({ created_at: now, last_seq: 0, visitor_read_seq: 0, claimed_at: null, page_url: null });
  expect(typeof row.created_at).toBe('number');
  const { n } = await db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(n).toBe(1);
  const site = await db.selectFrom('sites').select('allowed_origins').executeTakeFirstOrThrow();
  expect(JSON.parse(site.allowed_origins)).toEqual(['https://a.example']); // JSON is text on both
});

it('runs an exclusive job on one caller at a time and reports the others as skipped', async () => {
  const s = await open();
  let inside = 0;
  let most = 0;
  const job = () =>
    s.exclusive('probe', async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 50));
      inside--;
      return 'ran';
    });
  const results = await Promise.all([job(), job(), job()]);
  expect(most).toBe(1);
  expect(results.filter((r) => r === 'ran')).toHaveLength(1);
  expect(results.filter((r) => r === 'skipped')).toHaveLength(2);
  expect(await job()).toBe('ran'); // free again afterwards
});

it('acknowledges a message write only after it committed, and answers pings', async () => {
  const s = await open();
  await s.ping();
  await s.writer.run((trx) => trx.insertInto('settings').values({ key: 'k', value: '1', updated_at: 1 }).execute());
  const fromOutside = await sql<{ value: string }>`select value from settings where key = 'k'`.execute(s.db);
  expect(fromOutside.rows).toEqual([{ value: '1' }]);
  await expect(s.writer.run(async (trx) => {
    await trx.insertInto('settings').values({ key: 'gone', value: '1', updated_at: 1 }).execute();
    throw new Error('rolled back');
  })).rejects.toThrow('rolled back');
  expect((await sql`select 1 from settings where key = 'gone'`.execute(s.db)).rows).toEqual([]);
});

it.skipIf(TEST_DATABASE !== 'postgres')('skips an exclusive job that another process (another pool) is running', async () => {
  const s = await open();
  const other = await openStorage({ databaseUrl: pgDb!.url, databaseFile: '' });
  try {
    let release!: () => void;
    const holding = s.exclusive('retention', () => new Promise<string>((r) => (release = () => r('first'))));
    await new Promise((r) => setTimeout(r, 50));
    expect(await other.exclusive('retention', async () => 'second')).toBe('skipped');
    release();
    expect(await holding).toBe('first');
    expect(await other.exclusive('retention', async () => 'second')).toBe('second');
  } finally {
    await other.close();
  }
});
