import { chmodSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

it('creates the data directory and every database file for its owner only (0700, 0600), and narrows old ones', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'direturn-db-'));
  dirs.push(parent);
  const dir = join(parent, 'data');
  const file = join(dir, 'direturn.sqlite');
  const storage = await openSqlite(file, { walSync: true });
  const { db } = storage;
  await db.insertInto('settings').values({ key: 'probe', value: '1', updated_at: Date.now() }).execute();
  const mode = (f: string) => statSync(f).mode & 0o777;
  expect(mode(dir)).toBe(0o700);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
  await storage.close();

  // An installation from before: world-readable files.
  const old = join(parent, 'old.sqlite');
  writeFileSync(old, '');
  chmodSync(old, 0o644);
  const reopened = await openSqlite(old);
  expect(mode(old)).toBe(0o600);
  await reopened.close();
});
