import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { MetaGraphStandIn } from '../test-support/meta-stand-in.js';

// `direturn channels add whatsapp …` and `… whatsapp connect` as an operator runs them (the built CLI), against a Graph API stand-in.

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');
const dataDir = mkdtempSync(join(tmpdir(), 'direturn-cli-meta-'));
const APP_SECRET = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const TOKEN = 'EAAGsystemUserTokenForWhatsApp0123456789';
let pgDb: TestPgDatabase | undefined;
let standIn: MetaGraphStandIn;
beforeAll(async () => {
  standIn = await MetaGraphStandIn.start();
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await pgDb?.drop();
  await standIn?.close();
});

async function env(): Promise<Record<string, string>> {
  const base = { DIRETURN_DATA_DIR: dataDir, DIRETURN_PUBLIC_URL: 'https://chat.example.org', DIRETURN_META_GRAPH_URL: standIn.url };
  if (TEST_DATABASE === 'sqlite') return base;
  pgDb ??= await createPgDatabase();
  return { ...base, DIRETURN_DATABASE_URL: pgDb.url };
}

function cli(args: string[], environment: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...environment }, timeout: 30_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

it('adds a WhatsApp number with its secrets from the environment or standard input, connects it and prints what to enter at Meta', async () => {
  const e = await env();
  const site = await cli(['sites', 'add', '--name', 'Beratung', '--origin', 'https://beratung.example'], e);
  const key = /data-site="(s_[A-Za-z0-9_-]+)"/.exec(site.stdout)![1]!;
  const settings = ['--setting', 'phoneNumberId=106540352242922', '--setting', 'templates=reply_waiting:de, reply_waiting:en_US'];

  const added = await cli(['channels', 'add', 'whatsapp', '--name', 'WhatsApp', '--site', key, ...settings], { ...e, DIRETURN_CHANNEL_APP_SECRET: APP_SECRET, DIRETURN_CHANNEL_ACCESS_TOKEN: TOKEN });
  expect(added.code).toBe(0);
  const id = /added for site \S+: ([0-9a-f-]{36})/.exec(added.stdout)![1]!;
  expect(added.stdout).toContain(`direturn channels whatsapp connect ${id}`);
  // From standard input (in the order CHANNEL_FIELDS asks: appSecret, accessToken); a bad template list is refused.
  expect((await cli(['channels', 'add', 'whatsapp', '--name', 'WhatsApp 2', '--site', key, ...settings], e, `${APP_SECRET}\n${TOKEN}\n`)).code).toBe(0);
  const bad = await cli(['channels', 'add', 'whatsapp', '--name', 'WhatsApp 3', '--site', key, '--setting', 'phoneNumberId=106540352242922', '--setting', 'templates=Reply Waiting'], e, `${APP_SECRET}\n${TOKEN}\n`);
  expect(bad).toMatchObject({ code: 1 });
  expect(bad.stderr).toMatch(/templates/);

  const connected = await cli(['channels', 'whatsapp', 'connect', id], e);
  expect(connected.code).toBe(0);
  const verifyToken = /Verify token: ([A-Za-z0-9_-]{32})\n/.exec(connected.stdout)?.[1];
  expect(connected.stdout).toBe(`Connected: whatsapp account "WhatsApp" reaches Meta.\nAt Meta, enter as the webhook:\n  Callback URL: https://chat.example.org/webhooks/whatsapp/${id}\n  Verify token: ${verifyToken}\n`);
  expect(standIn.lookups.at(-1)).toMatchObject({ nodeId: '106540352242922', token: TOKEN });
  // Connecting again keeps the verify token already entered at Meta.
  expect((await cli(['channels', 'whatsapp', 'connect', id], e)).stdout).toContain(`Verify token: ${verifyToken}\n`);

  const listed = await cli(['channels', 'list'], e);
  expect(listed.stdout).toContain(`${id}\twhatsapp\tWhatsApp\tBeratung\tactive`);
  expect(listed.stdout).not.toContain(TOKEN);
  expect(listed.stdout).not.toContain(APP_SECRET);
}, 120_000);
