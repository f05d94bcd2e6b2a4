import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { ROOT, startServerProcess, type ServerProcess } from '../support/server.js';
import { ResendingVisitor } from '../support/visitor-client.js';

const run = promisify(execFile);
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

const until = async (cond: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

it('backs up the database while the server runs and writes, and a restored copy serves the messages', async () => {
  const live = await startServerProcess({ DIRETURN_LOG_LEVEL: 'warn' });
  servers.push(live);
  const v = new ResendingVisitor(live.url, live.url, 'b');
  v.connect();
  await until(() => Boolean(v.token), 5000);
  for (let i = 0; i < 10; i++) v.write();
  await until(() => v.acked.size === 10, 10_000);
  const before = [...v.acked.values()];

  // Online backup while the visitor keeps writing.
  const writer = setInterval(() => v.write(), 100);
  const backupFile = join(mkdtempSync(join(tmpdir(), 'direturn-backup-')), 'direturn-backup.sqlite');
  const { stdout } = await run(process.execPath, [join(ROOT, 'packages/server/dist/cli/main.js'), 'backup', backupFile], {
    env: { ...process.env, DIRETURN_DATA_DIR: live.dataDir },
  });
  clearInterval(writer);
  expect(stdout).toContain('does not contain the encryption key');
  expect(statSync(backupFile).size).toBeGreaterThan(0);
  expect(statSync(backupFile).mode & 0o777).toBe(0o600); // as private as the database
  v.stop();

  // Restore (docs/security.md): stop, put the backup in place as direturn.sqlite next to the key file, start.
  const restoredDir = mkdtempSync(join(tmpdir(), 'direturn-restored-'));
  copyFileSync(backupFile, join(restoredDir, 'direturn.sqlite'));
  copyFileSync(join(live.dataDir, 'encryption.key'), join(restoredDir, 'encryption.key'));
  const restored = await startServerProcess({ DIRETURN_LOG_LEVEL: 'warn' }, { dataDir: restoredDir });
  servers.push(restored);
  const messages = await ResendingVisitor.fetchAll(restored.url, live.url.replace(String(live.port), String(restored.port)), v.token!);
  expect(messages.slice(0, 10).map((m) => [m.id, m.body])).toEqual(before.map((m) => [m.id, m.body]));
  expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
}, 60_000);
