import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, startNginx, type RunningNginx } from './nginx.js';
import { ROOT, startServerProcess, type ServerProcess } from './server.js';

// The e2e package has no PostgreSQL client of its own: borrow the server's `pg` (as visitor-client.ts borrows `ws`).
const require = createRequire(join(ROOT, 'packages/server/package.json'));
interface PgClient {
  connect(): Promise<void>;
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
const pg = require('pg') as { Client: new (opts: { connectionString: string }) => PgClient };

/** A role that may create databases (this machine: trust on loopback), as the server's own tests use. */
export const PG_ADMIN_URL = process.env.DIRETURN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface Cluster {
  /** nginx's address, which is also every process's DIRETURN_PUBLIC_URL. */
  url: string;
  nodes: [ServerProcess, ServerProcess];
  nginx: RunningNginx;
  databaseUrl: string;
  /** One query on the cluster's database, straight to PostgreSQL. */
  query<R>(text: string, values?: unknown[]): Promise<R[]>;
  /** Opens a sealed column value with the cluster's key (the server's own Keyring, from its build). */
  open(sealed: string, aad: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Two built DiReturn processes on a fresh PostgreSQL database and Redis (a random prefix, so
 * parallel runs never hear each other), with one encryption key, behind nginx running
 * docs/deploy/nginx.conf; configured as docs/deploy.md says.
 */
export async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const name = `direturn_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  const dbUrl = new URL(PG_ADMIN_URL);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  const encryptionKey = randomBytes(32).toString('base64');
  const nginxPort = await freePort();
  // localhost, as in a browser: the demo page then runs on 127.0.0.1, another origin, like a partner page.
  const url = `http://localhost:${nginxPort}`;
  const shared = {
    DIRETURN_DATABASE_URL: databaseUrl,
    DIRETURN_REDIS_URL: REDIS_URL,
    DIRETURN_REDIS_PREFIX: `direturn-e2e-${randomBytes(6).toString('hex')}`,
    DIRETURN_ENCRYPTION_KEY: encryptionKey,
    DIRETURN_TRUST_PROXY: 'true',
    DIRETURN_PUBLIC_URL: url,
    ...env,
  };
  const started: Array<{ stop(): Promise<unknown> }> = [];
  const db = new pg.Client({ connectionString: databaseUrl });
  const dropAll = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await adminQuery(`drop database if exists ${name} with (force)`);
  };
  try {
    // One after the other: the first migrates and creates the admin and the demo site.
    const a = await startServerProcess(shared);
    started.push(a);
    const b = await startServerProcess(shared);
    started.push(b);
    const nginx = await startNginx([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`], { port: nginxPort });
    started.push(nginx);
    await db.connect();
    let keyring: { open(sealed: string, aad: string): string } | undefined;
    return {
      url,
      nodes: [a, b],
      nginx,
      databaseUrl,
      query: async <R>(text: string, values?: unknown[]) => (await db.query<R>(text, values)).rows,
      async open(sealed, aad) {
        if (!keyring) {
          const { Keyring } = (await import(pathToFileURL(join(ROOT, 'packages/server/dist/security/keyring.js')).href)) as {
            Keyring: { load(o: { envKeys: string; dataDir: string }): { open(sealed: string, aad: string): string } };
          };
          keyring = Keyring.load({ envKeys: encryptionKey, dataDir: a.dataDir });
        }
        return keyring.open(sealed, aad);
      },
      stop: dropAll,
    };
  } catch (err) {
    await dropAll();
    throw err;
  }
}

/** Which of the processes holds how many sockets now (their own /metrics). */
export async function socketsPerNode(nodes: readonly ServerProcess[]): Promise<Array<{ visitors: number; agents: number }>> {
  return Promise.all(
    nodes.map(async (n) => {
      try {
        const m = await n.metrics();
        return { visitors: m.get('direturn_visitors_connected') ?? 0, agents: m.get('direturn_agents_connected') ?? 0 };
      } catch {
        return { visitors: 0, agents: 0 }; // a killed process holds nothing
      }
    }),
  );
}
