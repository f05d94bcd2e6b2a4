import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../support/server.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'direturn-cli-'));
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(ROOT, 'packages/server/dist/cli/main.js'), ...args], { env: { ...process.env, DIRETURN_DATA_DIR: dataDir, ...env } });

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('registers a site and prints the script tag to embed', async () => {
  const { stdout } = await cli(['sites', 'add', '--name', 'Caritas Augsburg', '--origin', 'https://www.caritas-augsburg.example', '--language', 'tr']);
  const key = /data-site="([^"]+)"/.exec(stdout)?.[1];
  expect(key).toMatch(/^s_/);
  expect(stdout).toContain('<script type="module" src="http://localhost:8080/widget.js"');
  const list = await cli(['sites', 'list']);
  expect(list.stdout).toContain(`${key}\tCaritas Augsburg\thttps://www.caritas-augsburg.example\ttr`);
});

it('adds an agent with languages and never echoes a password it was given', async () => {
  const { stdout } = await cli(['agents', 'add', '--email', 'Anna@Example.org', '--name', 'Anna', '--language', 'de', '--language', 'ar'], {
    DIRETURN_AGENT_PASSWORD: 'a long enough passphrase',
  });
  expect(stdout).toBe('Agent anna@example.org (counsellor) added.\n');
  expect((await cli(['agents', 'list'])).stdout).toContain('anna@example.org\tAnna\tcounsellor\tde,ar');
});

it('explains what is wrong with bad input and exits non-zero', async () => {
  const failed = await cli(['sites', 'add', '--name', 'X', '--origin', 'not a url']).catch((e: { code: number; stderr: string }) => e);
  expect('code' in failed && failed.code).toBe(1);
  expect((failed as { stderr: string }).stderr).toContain('allowedOrigins.0: must be an origin like https://example.org');
  const short = await cli(['agents', 'add', '--email', 'b@example.org', '--name', 'B'], { DIRETURN_AGENT_PASSWORD: 'short' }).catch((e: { stderr: string }) => e);
  expect((short as { stderr: string }).stderr).toContain('password: must be at least 12 characters');
});
