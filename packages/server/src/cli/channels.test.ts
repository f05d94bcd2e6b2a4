import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { TelegramStandIn } from '../test-support/telegram-stand-in.js';
import { BOT_TOKEN } from '../test-support/channels.js';

// `direturn channels …` as an operator runs it (the built CLI), against a Bot API stand-in.

const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');
const dataDir = mkdtempSync(join(tmpdir(), 'direturn-cli-channels-'));
let pgDb: TestPgDatabase | undefined;
let standIn: TelegramStandIn;
beforeAll(async () => {
  standIn = await TelegramStandIn.start();
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await pgDb?.drop();
  await standIn?.close();
});

async function env(): Promise<Record<string, string>> {
  const base = { DIRETURN_DATA_DIR: dataDir, DIRETURN_PUBLIC_URL: 'https://chat.example.org', DIRETURN_TELEGRAM_API_URL: standIn.url };
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

it('adds a Telegram bot with the token from the environment or standard input (never argv), lists it without secrets, connects, pauses, resumes and removes it', async () => {
  const e = await env();
  const site = await cli(['sites', 'add', '--name', 'Beratung', '--origin', 'https://beratung.example'], e);
  const key = /data-site="(s_[A-Za-z0-9_-]+)"/.exec(site.stdout)![1]!;

  const fromEnv = await cli(['channels', 'add', 'telegram', '--name', 'Bot A', '--site', key], { ...e, DIRETURN_CHANNEL_BOT_TOKEN: BOT_TOKEN });
  expect(fromEnv.code).toBe(0);
  const id = /added for site \S+: ([0-9a-f-]{36})/.exec(fromEnv.stdout)![1]!;
  expect(fromEnv.stdout).toContain(`direturn channels telegram connect ${id}`);
  expect(fromEnv.stdout).toContain(`https://chat.example.org/webhooks/telegram/${id}`);

  const fromStdin = await cli(['channels', 'add', 'telegram', '--name', 'Bot B', '--site', key], e, `${BOT_TOKEN}\n`);
  expect(fromStdin.code).toBe(0);
  expect(await cli(['channels', 'add', 'telegram', '--name', 'Bot C', '--site', key], e, 'not-a-token\n')).toMatchObject({ code: 1, stderr: 'Not done:\n  botToken: not in the expected form\n' });

  const listed = await cli(['channels', 'list'], e);
  expect(listed.stdout).toContain(`${id}\ttelegram\tBot A\tBeratung\tactive\tno event yet`);
  expect(listed.stdout).not.toContain(BOT_TOKEN.split(':')[1]);

  const connected = await cli(['channels', 'telegram', 'connect', id], e);
  expect(connected).toMatchObject({ code: 0, stdout: `Connected: telegram now posts to https://chat.example.org/webhooks/telegram/${id} (bot @direturn_test_bot).\n` });
  const call = standIn.of('setWebhook').at(-1)!;
  expect(call).toMatchObject({ token: BOT_TOKEN, params: { url: `https://chat.example.org/webhooks/telegram/${id}`, allowed_updates: ['message'] } });
  expect(call.params.secret_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

  expect((await cli(['channels', 'pause', id], e)).stdout).toBe('Channel account "Bot A" is paused.\n');
  expect((await cli(['channels', 'resume', id], e)).stdout).toBe('Channel account "Bot A" is active.\n');
  expect((await cli(['channels', 'remove', id], e)).code).toBe(0);
  expect((await cli(['channels', 'list'], e)).stdout).not.toContain(id);
}, 120_000);
