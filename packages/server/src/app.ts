import { join } from 'node:path';
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
import { WalEraser } from './db/erase.js';
import { errorResponse, handleError } from './http/errors.js';
import { frameRoutes } from './http/frame.routes.js';
import { FrameTexts } from './http/frame-texts.js';
import { allowedHostsOnly, baseHeaders, noStore, sameOriginWrites } from './http/security.js';
import { staticRoutes } from './http/static.routes.js';
import type { AppEnv } from './http/types.js';
import type { Logger } from './logger.js';
import { RealtimeHub } from './realtime/hub.js';
import { siteRoutes } from './sites/site.routes.js';
import { SiteService } from './sites/site.service.js';
import { VisitorService } from './visitors/visitor.service.js';
import { agentRoutes } from './agents/agent.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { AuditService } from './audit/audit.service.js';
import { TotpService } from './auth/totp.service.js';
import { RetentionJob } from './retention/retention.job.js';
import { VisitorLimits } from './realtime/visitor-limits.js';
import { addressOfRequest, ClientKeys } from './security/client-key.js';
import { Keyring } from './security/keyring.js';
import { privacyRoutes } from './settings/privacy.routes.js';
import { SettingsService } from './settings/settings.service.js';

export interface Services {
  db: Db;
  sites: SiteService;
  agents: AgentService;
  auth: AuthService;
  visitors: VisitorService;
  conversations: ConversationService;
  keyring: Keyring;
  settings: SettingsService;
  audit: AuditService;
  totp: TotpService;
  retention: RetentionJob;
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
  const { db, walSync } = await openDatabase(config.databaseFile, { walSync: true });
  const keyring = Keyring.load({ envKeys: config.encryptionKey, dataDir: config.dataDir });
  const settings = await SettingsService.load(db, { retentionDays: config.retentionDays, requireTotp: config.requireTotp });
  const audit = new AuditService(db);
  const totp = new TotpService(db, keyring);
  const sites = new SiteService(db);
  const agents = new AgentService(db);
  const auth = new AuthService(db, config.sessionTtlMs, totp, settings, audit);
  agents.connect({ auth, totp, audit });
  const visitors = new VisitorService(db);
  const eraser = new WalEraser(db, (err) => logger.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'erasing deleted data from the WAL failed'));
  // A crash between a deletion and its erasure leaves the rows in the WAL: erase at every start.
  await eraser.erase();
  const conversations = new ConversationService(db, keyring, () => settings.retentionMs, audit, {
    erase: () => eraser.erase(),
    sync: walSync?.sync,
    // Crash-only, as PostgreSQL does: after a failed fsync the kernel may have dropped pages that
    // later writes depend on; a restart recovers the WAL as far as it is on disk.
    onFailure: (err) => {
      // at once, still holding the database connection: nothing else may read or write (pino writes synchronously)
      logger.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'the disk failed to store messages; DiReturn stops');
      process.exit(1);
    },
  });
  const retention = new RetentionJob(conversations, settings, audit, config.auditRetentionDays, logger);
  const services: Services = { db, sites, agents, auth, visitors, conversations, keyring, settings, audit, totp, retention };
  await firstRun(config, agents, sites, logger);
  await deleteExpiredSessions(db, Date.now());
  const clientKeys = new ClientKeys();

  const app = new Hono<AppEnv>();
  app.onError(handleError(logger));
  app.use('*', baseHeaders({ hsts: config.publicUrl.startsWith('https:') }));
  app.use('*', allowedHostsOnly(config.allowedHosts));
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Route pattern, not the URL: no ids, query strings or addresses in the log.
    logger.debug({ method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.get('/healthz', (c) => c.json({ status: 'ok', version: VERSION } satisfies HealthResponse));
  const api = new Hono<AppEnv>();
  api.use('*', sameOriginWrites(config.publicUrl));
  api.use('*', noStore());
  api.route(
    '/',
    authRoutes({
      auth,
      totp,
      settings,
      audit,
      db,
      clientKey: (c) => clientKeys.keyOf(addressOfRequest(c, config.trustProxy)),
      secureCookies: config.publicUrl.startsWith('https:'),
      sessionTtlMs: config.sessionTtlMs,
    }),
  );
  api.route('/', conversationRoutes(auth, conversations));
  api.route('/', siteRoutes(auth, sites));
  api.route('/', agentRoutes(auth, agents, settings, audit));
  api.route('/', auditRoutes(auth, audit));
  api.route('/', privacyRoutes(auth, settings, sites, audit));
  api.all('*', (c) => errorResponse(c, 'not_found', 'No such API route.'));
  app.route('/api', api);
  app.route('/', frameRoutes(sites, settings, new FrameTexts(join(config.dirs.widget, 'locales'))));
  app.route('/', staticRoutes(config));

  const hub = new RealtimeHub({
    sites,
    visitors,
    conversations,
    auth,
    settings,
    limits: new VisitorLimits(config.limits),
    clientKeys,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    allowedHosts: config.allowedHosts,
    logger,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  logger.info({ url, demo: config.demo }, 'DiReturn is listening');
  if (config.demo) logger.warn('demo mode is on: the demo site and /demo/ are published (DIRETURN_DEMO=false turns them off)');
  retention.start(config.retentionIntervalMs);
  // Settings changed by the CLI (privacy notices) reach a running server within a minute.
  const settingsRefresh = setInterval(() => void settings.reload().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'settings reload failed')), 60_000);
  settingsRefresh.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(settingsRefresh);
      await retention.stop();
      await hub.close();
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 3000).unref();
      await stopped;
      await conversations.drain();
      eraser.close();
      await db.destroy();
      await walSync?.close();
      logger.info('DiReturn stopped');
    })());

  return { url, services, hub, close };
}
