/** Starting the servers under test (DiReturn and the bare relay) and sampling their CPU and memory. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const ROOT = resolve(BENCH, '..');
export const AGENT_PASSWORD = 'bench password that is long';

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

export interface Running {
  url: string;
  pid: number;
  dataDir?: string;
  agents: Array<{ email: string; password: string }>;
  output: () => string;
  stop(): Promise<void>;
}

async function waitUp(child: ChildProcess, url: string, out: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(child: ChildProcess, after?: () => void) {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
    after?.();
  };
}

/**
 * The built DiReturn server as its own process on a fresh data dir, with `agents` counsellors
 * created beforehand through the server's own AgentService (as the CLI does).
 */
export async function startDiReturn(opts: { agents?: number; nodeArgs?: string[] } = {}): Promise<Running> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'direturn-bench-'));
  const agents = Array.from({ length: opts.agents ?? 0 }, (_, i) => ({ email: `agent${i}@bench.example`, password: AGENT_PASSWORD }));
  if (agents.length > 0) {
    const dist = join(ROOT, 'packages/server/dist');
    const { openSqlite } = await import(pathToFileURL(join(dist, 'db/database.js')).href);
    const { AgentService } = await import(pathToFileURL(join(dist, 'agents/agent.service.js')).href);
    const storage = await openSqlite(join(dataDir, 'direturn.sqlite'));
    const { db } = storage;
    const service = new AgentService(db);
    for (const [i, a] of agents.entries()) {
      await service.create({ email: a.email, name: `Agent ${i}`, password: a.password, role: 'counsellor', languages: ['de'] });
    }
    await storage.close();
  }
  let out = '';
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(ROOT, 'packages/server/dist/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DIRETURN_DATA_DIR: dataDir,
      DIRETURN_ADMIN_EMAIL: 'bench-admin@bench.example',
      DIRETURN_ADMIN_PASSWORD: AGENT_PASSWORD,
      DIRETURN_LOG_LEVEL: 'warn',
      // The whole load comes from one address on loopback: lift the per-site and per-client abuse
      // limits on connections and new conversations (the per-socket frame limits stay).
      DIRETURN_SITE_CONNECTIONS_PER_MINUTE: '10000000',
      DIRETURN_SITE_NEW_CONVERSATIONS_PER_MINUTE: '10000000',
      DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: '10000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (out = (out + String(d)).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://localhost:${port}`;
  await waitUp(child, url, () => out);
  return { url, pid: child.pid!, dataDir, agents, output: () => out, stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true })) };
}

/** The bare ws relay (relay.ts) as its own process. */
export async function startRelay(agentCount = 0): Promise<Running> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH, 'src/relay.ts')], {
    cwd: BENCH,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = `http://localhost:${port}`;
  await waitUp(child, url, () => out);
  const agents = Array.from({ length: agentCount }, (_, i) => ({ email: `agent${i}@bench.example`, password: AGENT_PASSWORD }));
  return { url, pid: child.pid!, agents, output: () => out, stop: stopper(child) };
}

/** A load generator process (loadgen.ts). */
export function forkLoadgen(): ChildProcess {
  return fork(join(BENCH, 'src/loadgen.ts'), [], { cwd: BENCH, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

// ---- /proc sampling
const CLK_TCK = 100;
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Samples a process every `everyMs`: CPU share (1.0 = one core busy) and RSS, between start() and stop(). */
export class Sampler {
  private timer: NodeJS.Timeout | undefined;
  private cpu0 = 0;
  private t0 = 0;
  private rss: number[] = [];
  constructor(private readonly pid: number, private readonly everyMs = 250) {}
  start(): void {
    this.cpu0 = cpuSeconds(this.pid);
    this.t0 = performance.now();
    this.rss = [rssBytes(this.pid)];
    this.timer = setInterval(() => this.rss.push(rssBytes(this.pid)), this.everyMs);
  }
  stop(): { cpuCores: number; rssMaxMB: number; rssAvgMB: number } {
    clearInterval(this.timer);
    this.rss.push(rssBytes(this.pid));
    const secs = (performance.now() - this.t0) / 1000;
    const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
    return {
      cpuCores: Math.round(((cpuSeconds(this.pid) - this.cpu0) / secs) * 100) / 100,
      rssMaxMB: mb(Math.max(...this.rss)),
      rssAvgMB: mb(this.rss.reduce((a, b) => a + b, 0) / this.rss.length),
    };
  }
}
