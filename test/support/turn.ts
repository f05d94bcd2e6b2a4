import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.js';

export const TURNSERVER = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

export interface TurnServer {
  /** For DIRETURN_TURN_URLS. */
  url: string;
  /** For DIRETURN_TURN_SECRET (coturn's static-auth-secret). */
  secret: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Debian's coturn as its own process, with its own configuration in a temp dir: TURN REST
 * credentials (use-auth-secret) on 127.0.0.1 only, UDP without TLS/DTLS, relay ports from a small
 * range. Everything in these tests is on loopback, which coturn refuses as a peer by default;
 * `allow-loopback-peers` is for this test set-up only, never for an installation (docs/calls.md).
 */
export async function startTurnServer(): Promise<TurnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'direturn-turn-'));
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  // Relay ports: a range of its own above the usual ephemeral ones, per run.
  const min = 40000 + Math.floor(Math.random() * 200) * 50;
  const config = [
    `listening-ip=127.0.0.1`,
    `relay-ip=127.0.0.1`,
    `listening-port=${port}`,
    `min-port=${min}`,
    `max-port=${min + 49}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=direturn.test',
    'fingerprint',
    'no-tls',
    'no-dtls',
    'no-tcp-relay',
    'no-cli',
    'no-multicast-peers',
    'allow-loopback-peers',
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    'log-file=stdout',
    'simple-log',
    'verbose',
  ].join('\n');
  writeFileSync(join(dir, 'turnserver.conf'), `${config}\n`);
  let out = '';
  const child: ChildProcess = spawn(TURNSERVER, ['-c', join(dir, 'turnserver.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  // Ready once it listens; generous for a busy machine.
  const deadline = Date.now() + 30_000;
  while (!/IPv4\. UDP listener opened on\s*:?\s*127\.0\.0\.1:\d+|Total UDP servers/i.test(out)) {
    if (child.exitCode !== null) throw new Error(`turnserver exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`turnserver did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
