import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e password that is long' };

/** A free port on loopback (the OS picks it; free again by the time it is used, as a rule). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  output: () => string;
  /** The running process's id (changes on restart). */
  readonly pid: number;
  /** This process's own Prometheus figures (GET /metrics on its port, from loopback): metric line → value. */
  metrics(): Promise<Map<string, number>>;
  /** SIGTERM, as a process manager would; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends a signal (e.g. SIGKILL) and waits for the process to end; the data dir stays. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and data dir (after kill). */
  restart(): Promise<void>;
}

/** Starts the built server as its own process, exactly as `pnpm start` does, on a fresh data dir. */
export async function startServerProcess(env: Record<string, string> = {}, opts: { dataDir?: string } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'direturn-e2e-'));
  let out = '';
  let child = await launch(port, dataDir, env, (d) => (out += d));
  const url = `http://localhost:${port}`;
  return {
    url,
    port,
    dataDir,
    output: () => out,
    get pid() {
      return child.pid!;
    },
    metrics: () => scrape(url),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    async restart() {
      child = await launch(port, dataDir, env, (d) => (out += d));
    },
  };
}

/** Reads a process's /metrics into `name{labels}` → value (comments and histograms' buckets included as they are). */
export async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET ${url}/metrics: ${res.status}`);
  const figures = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) figures.set(m[1]!, Number(m[2]));
  }
  return figures;
}

async function launch(port: number, dataDir: string, env: Record<string, string>, onOutput: (d: string) => void): Promise<ChildProcess> {
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'packages/server/dist/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DIRETURN_DATA_DIR: dataDir,
      DIRETURN_ADMIN_EMAIL: ADMIN.email,
      DIRETURN_ADMIN_PASSWORD: ADMIN.password,
      // debug: the e2e run checks that even the most verbose logs hold no message text.
      DIRETURN_LOG_LEVEL: 'debug',
      // One agent claims many conversations in these tests (the load limit has its server tests).
      DIRETURN_MAX_PARALLEL: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d: unknown) => {
    out += String(d);
    onOutput(String(d));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = `http://localhost:${port}`;
  // Generous: with the demo content on PostgreSQL a start takes seconds, far more on a busy machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}
