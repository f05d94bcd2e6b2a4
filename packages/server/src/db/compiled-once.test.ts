import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from './database.js';
import { compiledOnce } from './compiled-once.js';

interface T {
  notes: { id: number; owner: string; text: string };
}
let db: Kysely<T>;
let sqlite: SQLite.Database;
beforeEach(() => {
  sqlite = new SQLite(':memory:');
  sqlite.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, text TEXT NOT NULL); INSERT INTO notes VALUES (1, 'a', 'one'), (2, 'b', 'two'), (3, 'a', 'three')");
  db = new Kysely<T>({ dialect: new SqliteDialect({ database: sqlite }) });
});
afterEach(() => db.destroy());

it('builds a query once and runs it with each call’s values, constants kept', async () => {
  let builds = 0;
  const byOwner = compiledOnce<'owner' | 'after', { id: number; text: string }>((d, p) => {
    builds++;
    const q = d as unknown as Kysely<T>;
    return q.selectFrom('notes').select(['id', 'text']).where('owner', '=', p('owner')).where('id', '>', p('after')).orderBy('id').limit(5);
  });
  const run = (owner: string, after: number) => byOwner(db as unknown as Db, { owner, after });
  expect((await run('a', 0)).rows).toEqual([
    { id: 1, text: 'one' },
    { id: 3, text: 'three' },
  ]);
  expect((await run('a', 1)).rows).toEqual([{ id: 3, text: 'three' }]);
  expect((await run('b', 0)).rows).toEqual([{ id: 2, text: 'two' }]);
  expect((await run('c', 0)).rows).toEqual([]);
  expect(builds).toBe(1);

  // writes too, inside a transaction
  const insert = compiledOnce<'id' | 'owner' | 'text', never>((d, p) => (d as unknown as Kysely<T>).insertInto('notes').values({ id: p('id'), owner: p('owner'), text: p('text') }));
  await db.transaction().execute(async (trx) => {
    await insert(trx as unknown as Db, { id: 4, owner: 'b', text: "it's 'quoted'" });
    await insert(trx as unknown as Db, { id: 5, owner: 'b', text: 'five' });
  });
  expect(sqlite.prepare("SELECT text FROM notes WHERE owner = 'b' ORDER BY id").all()).toEqual([{ text: 'two' }, { text: "it's 'quoted'" }, { text: 'five' }]);
});

it('refuses a query in which a marked value did not become a parameter', async () => {
  const inlined = compiledOnce<'owner', never>((d, p) => {
    const q = d as unknown as Kysely<T>;
    p('owner'); // marked, but the query below never uses it
    return q.selectFrom('notes').selectAll().where('owner', '=', 'a');
  });
  await expect(inlined(db as unknown as Db, { owner: 'b' })).rejects.toThrow(/owner did not become parameters/);
});

