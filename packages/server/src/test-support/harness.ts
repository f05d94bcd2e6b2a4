import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { type ClientOptions } from 'ws';
import type { AgentServerFrame, VisitorServerFrame } from '@direturn/protocol';
import { startServer, type RunningServer } from '../app.js';
import { loadConfig } from '../config.js';
import { sql } from 'kysely';
import { createLogger } from '../logger.js';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from './databases.js';
import type { DialectName } from '../db/storage.js';

export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  /** The database under this server (DIRETURN_TEST_DATABASE, or the `database` option). */
  database: DialectName;
  url: string;
  origin: string;
  dataDir: string;
  running: RunningServer;
  /** Stops and starts the server on the same database file and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real server on a free loopback port, on a real database: a SQLite file in a temp dir, or a
 * fresh PostgreSQL database that `stop()` drops (whichever this test run is for). `env`
 * overrides the configuration (limits, retention, ...); `logs` receives every log line at debug level.
 */
export async function startTestServer(
  opts: { env?: Record<string, string>; logs?: string[]; database?: DialectName; /** a PostgreSQL database this server shares (not dropped by stop) */ sharedDatabaseUrl?: string } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'direturn-test-'));
  const port = await freePort();
  const database = opts.sharedDatabaseUrl ? 'postgres' : (opts.database ?? TEST_DATABASE);
  const pgDb: TestPgDatabase | undefined = database === 'postgres' && !opts.sharedDatabaseUrl ? await createPgDatabase() : undefined;
  const databaseUrl = opts.sharedDatabaseUrl ?? pgDb?.url;
  const config = loadConfig({
    ...(databaseUrl ? { DIRETURN_DATABASE_URL: databaseUrl } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    DIRETURN_DATA_DIR: dataDir,
    DIRETURN_ADMIN_EMAIL: ADMIN.email,
    DIRETURN_ADMIN_PASSWORD: ADMIN.password,
    DIRETURN_LOG_LEVEL: 'silent',
    DIRETURN_DEMO: 'true',
    // Tests bring their own articles (the examples would take a second per server).
    DIRETURN_DEMO_EXAMPLES: 'false',
    // Tests claim many conversations as one agent; the load limit is tested where it is set.
    DIRETURN_MAX_PARALLEL: '10000',
    ...opts.env,
  });
  const logs = opts.logs;
  const logger = logs ? createLogger('debug', { write: (line: string) => void logs.push(line) }) : createLogger('silent');
  const t: TestServer = {
    database,
    url: `http://localhost:${port}`,
    origin: `http://localhost:${port}`,
    dataDir,
    running: await startServer(config, logger),
    async restart() {
      await t.running.close();
      t.running = await startServer(config, logger);
    },
    async stop() {
      await t.running.close();
      rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    },
  };
  return t;
}

type AnyFrame = { type: string; [k: string]: unknown };

/** A WebSocket test client that buffers frames so tests can await the next of a type. */
export class FrameClient<F extends AnyFrame = AnyFrame> {
  readonly frames: F[] = [];
  private waiters: Array<{ match: (f: F) => boolean; resolve: (f: F) => void }> = [];
  closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as F;
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** `options.origin` sends an Origin header, as a browser page on that origin would. */
  static async open<F extends AnyFrame>(url: string, headers: Record<string, string> = {}, options: ClientOptions = {}): Promise<FrameClient<F>> {
    const ws = new WebSocket(url, { ...options, headers });
    const client = new FrameClient<F>(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame of this type (optionally matching), buffered or yet to come. */
  next<T extends F['type']>(type: T, where: (f: Extract<F, { type: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<F, { type: T }>> {
    const match = (f: F) => f.type === type && where(f as Extract<F, { type: T }>);
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0] as Extract<F, { type: T }>);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: F) => {
          clearTimeout(timer);
          resolve(f as Extract<F, { type: T }>);
        },
      };
      const timer = setTimeout(() => {
        // A timed-out waiter must not swallow a later frame.
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no "${type}" frame within ${timeoutMs} ms; buffered: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

export type VisitorClient = FrameClient<VisitorServerFrame & AnyFrame>;
export type AgentClient = FrameClient<AgentServerFrame & AnyFrame>;

export const wsUrl = (url: string, path: string): string => url.replace(/^http/, 'ws') + path;

/** Opens a visitor socket and completes the hello for the demo site. */
export async function visitor(t: TestServer, hello: Record<string, unknown> = {}): Promise<{ client: VisitorClient; token: string; visitorId: string }> {
  const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
  client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', ...hello });
  const welcome = await client.next('welcome');
  return { client, token: welcome.token, visitorId: welcome.visitorId };
}

export async function login(t: TestServer, email = ADMIN.email, password = ADMIN.password): Promise<string> {
  const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!;
  return cookie.split(';')[0]!;
}

export async function agent(t: TestServer, cookie: string): Promise<AgentClient> {
  const client = (await FrameClient.open(wsUrl(t.url, '/ws/agent'), { cookie, origin: t.origin })) as AgentClient;
  await client.next('ready');
  return client;
}

export async function api(t: TestServer, cookie: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.url}/api${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

export async function countRows(t: TestServer, table: 'messages' | 'conversations' | 'visitors' | 'audit_log' | 'sessions'): Promise<number> {
  const { n } = await t.running.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** Makes every `event` on `table` fail inside the database (as a full disk would), on either dialect. */
export async function injectFailure(t: TestServer, table: 'messages' | 'conversations', event: 'INSERT' | 'UPDATE'): Promise<void> {
  const { db } = t.running.services;
  if (t.database === 'postgres') {
    await sql.raw(`CREATE OR REPLACE FUNCTION direturn_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected storage failure'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER log_test_${table} BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION direturn_test_fail()`).execute(db);
  } else {
    await sql.raw(`CREATE TRIGGER log_test_${table} BEFORE ${event} ON ${table} BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END`).execute(db);
  }
}

/** The address a test cluster's nodes believe they are reached at (the load balancer's). */
export const CLUSTER_ORIGIN = 'http://direturn.test';

export interface TestCluster {
  /** The processes, each a full server with its own port, sharing one PostgreSQL database and Redis. */
  nodes: TestServer[];
  /** The Redis namespace of this cluster (bus channel `${prefix}:bus`). */
  redisPrefix: string;
  stop(): Promise<void>;
}

/**
 * Several DiReturn servers in this process, as separate processes would be configured: one fresh
 * PostgreSQL database, one Redis namespace of their own (tests running at once never hear each
 * other), the same encryption key. Each has its own port, bus connection and sockets.
 */
export async function startTestCluster(opts: { nodes?: number; env?: Record<string, string> } = {}): Promise<TestCluster> {
  const pgDb = await createPgDatabase();
  const redisPrefix = `direturn-test-${randomBytes(6).toString('hex')}`;
  const env = {
    DIRETURN_REDIS_URL: process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    DIRETURN_REDIS_PREFIX: redisPrefix,
    DIRETURN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // One public address, as behind a load balancer: the demo site and the socket origin checks
    // are the same on every node.
    DIRETURN_PUBLIC_URL: CLUSTER_ORIGIN,
    ...opts.env,
  };
  const nodes: TestServer[] = [];
  try {
    // One after another: the first migrates and creates the admin and the demo site.
    for (let i = 0; i < (opts.nodes ?? 2); i++) nodes.push(Object.assign(await startTestServer({ env, sharedDatabaseUrl: pgDb.url }), { origin: CLUSTER_ORIGIN }));
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    await pgDb.drop();
    throw err;
  }
  return {
    nodes,
    redisPrefix,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await pgDb.drop();
    },
  };
}
