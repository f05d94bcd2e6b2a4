import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT } from './server.js';

/** docs/deploy/nginx.conf: the configuration docs/deploy.md shows is the one the tests run. */
export const NGINX_CONF = join(ROOT, 'docs/deploy/nginx.conf');
/** Debian installs nginx in /usr/sbin, which a non-root PATH may lack. */
export const NGINX = process.env.NGINX_PATH ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

export interface NginxValues {
  /** host:port of each DiReturn process. */
  upstreams: [string, string];
  /** The port nginx listens on (loopback). */
  port: number;
  /** Connections per worker (each proxied socket takes two); 256 unless a benchmark needs more. */
  workerConnections?: number;
}

/**
 * docs/deploy/nginx.conf with its placeholders filled, inside a minimal main configuration that
 * keeps every file nginx writes (pid, logs, temp) in `dir`.
 */
export function renderNginx(dir: string, values: NginxValues): string {
  const site = readFileSync(NGINX_CONF, 'utf8')
    .replaceAll('{{UPSTREAM_1}}', values.upstreams[0])
    .replaceAll('{{UPSTREAM_2}}', values.upstreams[1])
    .replaceAll('{{LISTEN}}', `127.0.0.1:${values.port}`)
    .replaceAll('{{SERVER_NAME}}', 'localhost');
  const left = /\{\{\w+\}\}/.exec(site);
  if (left) throw new Error(`docs/deploy/nginx.conf has a placeholder the tests do not fill: ${left[0]}`);
  writeFileSync(join(dir, 'direturn.conf'), site);
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const main = join(dir, 'nginx.conf');
  writeFileSync(
    main,
    [
      // As root, nginx's workers would switch to an unprivileged user that cannot read a private temp dir.
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      `events { worker_connections ${values.workerConnections ?? 256}; }`,
      'http {',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${join(dir, 'temp', k)};`),
      `  include ${join(dir, 'direturn.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  return main;
}

/** `nginx -t` on a rendered configuration: its output, or a thrown error with it. */
export async function checkNginx(main: string, dir: string): Promise<string> {
  const { stderr } = await promisify(execFile)(NGINX, ['-t', '-c', main, '-p', dir]);
  return stderr;
}

export { freePort };

export interface RunningNginx {
  url: string;
  port: number;
  dir: string;
  /** The master process (its workers are its children). */
  pid: number;
  /** Its error log so far (failed upstream connections show here). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * nginx in the foreground with docs/deploy/nginx.conf in front of the given DiReturn processes.
 * `port`: where it listens, when the processes must know it beforehand (DIRETURN_PUBLIC_URL).
 */
export async function startNginx(upstreams: [string, string], opts: { port?: number; workerConnections?: number } = {}): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'direturn-nginx-'));
  const port = opts.port ?? (await freePort());
  const main = renderNginx(dir, { upstreams, port, ...(opts.workerConnections ? { workerConnections: opts.workerConnections } : {}) });
  await checkNginx(main, dir);
  let out = '';
  const child: ChildProcess = spawn(NGINX, ['-c', main, '-p', dir, '-g', 'daemon off; master_process on;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${out}`);
    try {
      await fetch(`${url}/metrics`); // any answer from nginx itself will do
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    port,
    dir,
    pid: child.pid!,
    errors: () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT'); // graceful
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
