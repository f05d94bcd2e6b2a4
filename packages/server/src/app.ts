import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import type { HealthResponse } from '@direturn/protocol';
import { AgentService } from './agents/agent.service.js';
import { authRoutes } from './auth/auth.routes.js';
import { AuthService } from './auth/auth.service.js';
import { deleteExpiredSessions } from './auth/session.repository.js';
import { firstRun } from './bootstrap/first-run.js';
import type { Config } from './config.js';
import { conversationRoutes } from './conversations/conversation.routes.js';
import { ConversationService } from './conversations/conversation.service.js';
import { openDatabase, type Db } from './db/database.js';
import { errorResponse, handleError } from './http/errors.js';
import { frameRoutes } from './http/frame.routes.js';
import { baseHeaders, sameOriginWrites } from './http/security.js';
import { staticRoutes } from './http/static.routes.js';
import type { AppEnv } from './http/types.js';
import type { Logger } from './logger.js';
import { RealtimeHub } from './realtime/hub.js';
import { siteRoutes } from './sites/site.routes.js';
import { SiteService } from './sites/site.service.js';
import { VisitorService } from './visitors/visitor.service.js';

export interface Services {
  db: Db;
  sites: SiteService;
  agents: AgentService;
  auth: AuthService;
  visitors: VisitorService;
  conversations: ConversationService;
}

export interface RunningServer {
  url: string;
  services: Services;
  hub: RealtimeHub;
  /** Stops accepting, closes sockets, then the database. */
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

/** config → database → services → HTTP + WebSocket, listening. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const { db } = await openDatabase(config.databaseFile);
  const sites = new SiteService(db);
  const agents = new AgentService(db);
  const auth = new AuthService(db, config.sessionTtlMs);
  const visitors = new VisitorService(db);
  const conversations = new ConversationService(db);
  const services: Services = { db, sites, agents, auth, visitors, conversations };
  await firstRun(config, agents, sites, logger);
  await deleteExpiredSessions(db, Date.now());

  const app = new Hono<AppEnv>();
  app.onError(handleError(logger));
  app.use('*', baseHeaders);
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Route pattern, not the URL: no ids, query strings or addresses in the log.
    logger.debug({ method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.get('/healthz', (c) => c.json({ status: 'ok', version: VERSION } satisfies HealthResponse));
  const api = new Hono<AppEnv>();
  api.use('*', sameOriginWrites);
  api.route('/', authRoutes(auth, { secureCookies: config.publicUrl.startsWith('https:'), sessionTtlMs: config.sessionTtlMs }));
  api.route('/', conversationRoutes(auth, conversations));
  api.route('/', siteRoutes(auth, sites));
  api.all('*', (c) => errorResponse(c, 'not_found', 'No such API route.'));
  app.route('/api', api);
  app.route('/', frameRoutes(sites));
  app.route('/', staticRoutes(config));

  const hub = new RealtimeHub({ sites, visitors, conversations, auth, logger });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  logger.info({ url, demo: config.demo }, 'DiReturn is listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await hub.close();
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 3000).unref();
      await stopped;
      await db.destroy();
      logger.info('DiReturn stopped');
    })());

  return { url, services, hub, close };
}
