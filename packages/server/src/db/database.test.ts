import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqlite } from './database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Descriptors of this process open on `path` (Linux). */
const openOn = (path: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

it('opens the server with a sync handle on its own WAL file, beside SQLite’s; the CLI without', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'direturn-db-'));
  dirs.push(dir);
  const file = join(dir, 'direturn.sqlite');
  const wal = `${file}-wal`;

  const { db, sqlite, walSync } = await openSqlite(file, { walSync: true });
  expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL for every write that does not sync itself
  expect(walSync).toBeDefined();
  // SQLite's descriptor and ours, on the very file SQLite appends its commits to
  expect(openOn(wal)).toBe(2);
  await db.insertInto('settings').values({ key: 'probe', value: '1', updated_at: Date.now() }).execute();
  await walSync!.sync();
  await db.destroy();
  await walSync!.close();
  expect(openOn(wal)).toBe(0);

  const cli = await openSqlite(file);
  expect(cli.walSync).toBeUndefined();
  expect(openOn(wal)).toBe(1);
  await cli.db.destroy();
});
