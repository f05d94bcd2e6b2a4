/** Starting the servers under test (DiReturn and the bare relay) and sampling their CPU and memory. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// The nginx configuration of docs/deploy/nginx.conf, rendered as the e2e tests render it.
import { startNginx } from '../../test/support/nginx.js';

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
  /** The (first) server process. */
  pid: number;
  /** Every server process (the cluster has two); CPU and memory are summed over them. */
  pids: number[];
  /** The reverse proxy's processes (nginx's master and workers), sampled apart. */
  proxyPids?: () => number[];
  /** Counters read before and after each phase (where the time goes inside the cluster). */
  probe?: () => Promise<Record<string, number>>;
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

/** One built DiReturn process as `pnpm start` runs it, with the bench's environment; resolves once it answers /healthz. */
async function spawnDiReturn(port: number, dataDir: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  let out = '';
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'packages/server/dist/main.js')], {
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
      // A few agents hold every conversation of the load.
      DIRETURN_MAX_PARALLEL: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (out = (out + String(d)).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://localhost:${port}`;
  await waitUp(child, url, () => out);
  return { child, url, output: () => out };
}

async function createAgents(storageConfig: { databaseUrl: string | undefined; databaseFile: string }, agents: Array<{ email: string; password: string }>): Promise<void> {
  const dist = join(ROOT, 'packages/server/dist');
  const { openStorage } = await import(pathToFileURL(join(dist, 'db/database.js')).href);
  const { AgentService } = await import(pathToFileURL(join(dist, 'agents/agent.service.js')).href);
  const storage = await openStorage(storageConfig);
  const service = new AgentService(storage.db);
  for (const [i, a] of agents.entries()) {
    await service.create({ email: a.email, name: `Agent ${i}`, password: a.password, role: 'counsellor', languages: ['de'] });
  }
  await storage.close();
}

/**
 * The built DiReturn server as its own process on a fresh data dir, with `agents` counsellors
 * created beforehand through the server's own AgentService (as the CLI does).
 */
export async function startDiReturn(opts: { agents?: number; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<Running> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'direturn-bench-'));
  const agents = Array.from({ length: opts.agents ?? 0 }, (_, i) => ({ email: `agent${i}@bench.example`, password: AGENT_PASSWORD }));
  if (agents.length > 0) await createAgents({ databaseUrl: undefined, databaseFile: join(dataDir, 'direturn.sqlite') }, agents);
  const { child, url, output } = await spawnDiReturn(port, dataDir, opts.env ?? {}, opts.nodeArgs);
  return { url, pid: child.pid!, pids: [child.pid!], dataDir, agents, output, stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true })) };
}

/** One built DiReturn process on a fresh PostgreSQL database of its own (no Redis: one process). */
export async function startDiReturnOnPostgres(opts: { env?: Record<string, string> } = {}): Promise<Running> {
  const name = `direturn_bench_${randomBytes(6).toString('hex')}`;
  await pgAdmin(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  const dbUrl = new URL(PG_ADMIN_URL);
  dbUrl.pathname = `/${name}`;
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'direturn-bench-'));
  try {
    const { child, url, output } = await spawnDiReturn(port, dataDir, { DIRETURN_DATABASE_URL: dbUrl.toString(), ...opts.env });
    const stopChild = stopper(child, () => rmSync(dataDir, { recursive: true, force: true }));
    return { url, pid: child.pid!, pids: [child.pid!], dataDir, agents: [], output, stop: async () => {
      await stopChild();
      await pgAdmin(`drop database if exists ${name} with (force)`);
    } };
  } catch (err) {
    await pgAdmin(`drop database if exists ${name} with (force)`);
    throw err;
  }
}

// The server's own `pg`, as the e2e tests borrow it: the bench creates and drops its database.
const pg = createRequire(join(ROOT, 'packages/server/package.json'))('pg') as {
  Client: new (o: { connectionString: string }) => { connect(): Promise<void>; query(q: string, v?: unknown[]): Promise<{ rows: any[] }>; end(): Promise<void> };
};
const PG_ADMIN_URL = process.env.DIRETURN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
async function pgAdmin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/**
 * Sums of the counters of DiReturn's /metrics on each process (histograms' _sum and _count over
 * every label): acknowledgement latency (the write path), bus lag (Redis), messages stored.
 */
async function scrapeSums(ports: number[]): Promise<Record<string, number>> {
  const wanted = ['direturn_message_ack_seconds_sum', 'direturn_message_ack_seconds_count', 'direturn_bus_lag_seconds_sum', 'direturn_bus_lag_seconds_count', 'direturn_db_pool_waiting'];
  const out: Record<string, number> = {};
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^(\w+)(?:\{[^}]*\})? (\S+)$/.exec(line);
      if (m && wanted.includes(m[1]!)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
    }
  }
  return out;
}

/**
 * CPU time of the PostgreSQL backends serving one database, summed: polled every 500 ms, since the
 * pools open and close connections (node-postgres closes idle ones after 10 s). Also its COMMIT count.
 */
async function watchBackends(datname: string): Promise<{ readonly cpuSeconds: number; commits(): Promise<number>; stop(): Promise<void> }> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  const last = new Map<number, number>();
  let total = 0;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const { rows } = await c.query('select pid from pg_stat_activity where datname = $1', [datname]);
      for (const { pid } of rows as Array<{ pid: number }>) {
        try {
          const now = cpuSeconds(pid);
          total += now - (last.get(pid) ?? now);
          last.set(pid, now);
        } catch {
          last.delete(pid); // ended meanwhile
        }
      }
    } finally {
      busy = false;
    }
  };
  await poll();
  const timer = setInterval(() => void poll().catch(() => undefined), 500);
  return {
    get cpuSeconds() {
      return total;
    },
    async commits() {
      await poll();
      const { rows } = await c.query('select xact_commit from pg_stat_database where datname = $1', [datname]);
      return Number(rows[0]?.xact_commit ?? 0);
    },
    async stop() {
      clearInterval(timer);
      await c.end();
    },
  };
}

/** The worker processes of an nginx master (its children). */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

/**
 * The cluster of docs/deploy.md on this machine: a fresh PostgreSQL database, Redis under a random
 * prefix, two DiReturn processes with one encryption key, nginx with docs/deploy/nginx.conf in
 * front (the load goes through nginx). Counsellors are created beforehand through the server's
 * own storage and AgentService, as for one process. `env` goes to both processes (experiments,
 * e.g. DIRETURN_DATABASE_POOL_SIZE).
 */
export async function startCluster(opts: { agents?: number; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<Running> {
  const name = `direturn_bench_${randomBytes(6).toString('hex')}`;
  await pgAdmin(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  const dbUrl = new URL(PG_ADMIN_URL);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  const agents = Array.from({ length: opts.agents ?? 0 }, (_, i) => ({ email: `agent${i}@bench.example`, password: AGENT_PASSWORD }));
  const dataDirs: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    await pgAdmin(`drop database if exists ${name} with (force)`);
  };
  try {
    // migrates the fresh database (as the first process would) and adds the counsellors
    if (agents.length > 0) await createAgents({ databaseUrl, databaseFile: '' }, agents);
    const nginxPort = await freePort();
    const url = `http://localhost:${nginxPort}`;
    const env = {
      DIRETURN_DATABASE_URL: databaseUrl,
      DIRETURN_REDIS_URL: REDIS_URL,
      DIRETURN_REDIS_PREFIX: `direturn-bench-${randomBytes(6).toString('hex')}`,
      DIRETURN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DIRETURN_TRUST_PROXY: 'true',
      DIRETURN_PUBLIC_URL: url,
      // the demo site the load's visitors connect to (a public URL alone turns the demo off)
      DIRETURN_DEMO: 'true',
      ...opts.env,
    };
    const nodes: Array<{ child: ChildProcess; output: () => string; port: number }> = [];
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'direturn-bench-'));
      dataDirs.push(dataDir);
      const port = await freePort();
      const node = await spawnDiReturn(port, dataDir, env, opts.nodeArgs);
      stops.push(stopper(node.child));
      nodes.push({ ...node, port });
    }
    const backends = await watchBackends(name);
    stops.push(() => backends.stop());
    // 1000 visitor sockets through one worker: each takes a client and an upstream connection.
    const nginx = await startNginx([`127.0.0.1:${nodes[0]!.port}`, `127.0.0.1:${nodes[1]!.port}`], { port: nginxPort, workerConnections: 8192 });
    stops.push(() => nginx.stop());
    return {
      url,
      pid: nodes[0]!.child.pid!,
      pids: nodes.map((n) => n.child.pid!),
      proxyPids: () => [nginx.pid, ...childrenOf(nginx.pid)],
      probe: async () => ({
        ...(await scrapeSums(nodes.map((n) => n.port))),
        pg_xact_commit: await backends.commits(),
        pg_cpu_seconds: backends.cpuSeconds,
        at_seconds: performance.now() / 1000,
      }),
      agents,
      output: () => nodes.map((n, i) => `--- process ${i + 1}\n${n.output()}`).join('\n') + `\n--- nginx\n${nginx.errors().slice(-3000)}`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
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
  return { url, pid: child.pid!, pids: [child.pid!], agents, output: () => out, stop: stopper(child) };
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

/** Samples processes every `everyMs`: CPU share summed over them (1.0 = one core busy) and summed RSS, between start() and stop(). */
export class Sampler {
  private timer: NodeJS.Timeout | undefined;
  private cpu0 = 0;
  private t0 = 0;
  private rss: number[] = [];
  private readonly pids: () => number[];
  constructor(pids: number | number[] | (() => number[]), private readonly everyMs = 250) {
    this.pids = typeof pids === 'function' ? pids : () => (Array.isArray(pids) ? pids : [pids]);
  }
  private cpu(): number {
    return this.pids().reduce((a, p) => a + cpuSeconds(p), 0);
  }
  private mem(): number {
    return this.pids().reduce((a, p) => a + rssBytes(p), 0);
  }
  start(): void {
    this.cpu0 = this.cpu();
    this.t0 = performance.now();
    this.rss = [this.mem()];
    this.timer = setInterval(() => this.rss.push(this.mem()), this.everyMs);
  }
  stop(): { cpuCores: number; rssMaxMB: number; rssAvgMB: number } {
    clearInterval(this.timer);
    this.rss.push(this.mem());
    const secs = (performance.now() - this.t0) / 1000;
    const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
    return {
      cpuCores: Math.round(((this.cpu() - this.cpu0) / secs) * 100) / 100,
      rssMaxMB: mb(Math.max(...this.rss)),
      rssAvgMB: mb(this.rss.reduce((a, b) => a + b, 0) / this.rss.length),
    };
  }
}
