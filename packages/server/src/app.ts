import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono, type Context } from 'hono';
import { AgentService } from './agents/agent.service.js';
import { authRoutes } from './auth/auth.routes.js';
import { AuthService } from './auth/auth.service.js';
import { DeviceCookies } from './auth/device-cookie.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { deleteExpiredSessions } from './auth/session.repository.js';
import { firstRun } from './bootstrap/first-run.js';
import type { Config } from './config.js';
import { conversationRoutes } from './conversations/conversation.routes.js';
import { ConversationService } from './conversations/conversation.service.js';
import { openStorage, type Db, type Storage } from './db/database.js';
import { openCluster, type Cluster } from './cluster/cluster.js';
import { errorResponse, handleError } from './http/errors.js';
import { frameRoutes } from './http/frame.routes.js';
import { FrameTexts } from './http/frame-texts.js';
import { allowedHostsOnly, baseHeaders, noStore, sameOriginWrites } from './http/security.js';
import { staticRoutes } from './http/static.routes.js';
import type { AppEnv } from './http/types.js';
import type { Logger } from './logger.js';
import { Metrics } from './ops/metrics.js';
import { opsRoutes } from './ops/ops.routes.js';
import { Readiness } from './ops/readiness.js';
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
import { officeRoutes, publicOfficeRoutes } from './offices/office.routes.js';
import { OfficeService } from './offices/office.service.js';
import { PostcodeTable } from './offices/postcodes/postcode-table.js';
import { DEFAULT_OUTBOX_OPTIONS, Outbox } from './outbox/outbox.service.js';
import { outboxRoutes } from './outbox/outbox.routes.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { ReferralService } from './referrals/referral.service.js';
import { referralRoutes } from './referrals/referral.routes.js';
import { officePageRoutes } from './referrals/office-page.routes.js';
import { infoApiRoutes, knowledgeRoutes, SEARCHES_PER_MINUTE } from './knowledge/knowledge.routes.js';
import { OrientationService } from './orientation/orientation.service.js';
import { orientationApiRoutes, orientationRoutes } from './orientation/orientation.routes.js';
import { KnowledgeService } from './knowledge/knowledge.service.js';
import { infoPageRoutes } from './knowledge/pages.routes.js';
import { SettingsService } from './settings/settings.service.js';
import { WorkloadService } from './workload/workload.service.js';
import { workloadRoutes } from './workload/workload.routes.js';
import { RequeueJob } from './workload/requeue.job.js';
import { TopicService } from './topics/topic.service.js';
import { topicRoutes } from './topics/topic.routes.js';
import { savedReplyRoutes } from './saved-replies/saved-reply.routes.js';
import { SavedReplyService } from './saved-replies/saved-reply.service.js';
import { ResumeCodes } from './visitors/resume-codes.js';
import { ChannelAdapters } from './channels/adapters.js';
import { ChannelAccountService } from './channels/channel-account.service.js';
import { ChannelService } from './channels/channel.service.js';
import { channelRoutes } from './channels/channel.routes.js';
import { replyWindowRoutes } from './channels/reply-window.routes.js';
import { ReplyWindows } from './channels/reply-window.service.js';
import { CHANNEL_MODULES } from './channels/modules.js';
import { CallbackService } from './callbacks/callback.service.js';
import { callbackRoutes } from './callbacks/callback.routes.js';
import { ReplyNoticeService } from './reply-notices/reply-notice.service.js';
import { replyNoticeRoutes } from './reply-notices/reply-notice.routes.js';
import { CallService } from './calls/call.service.js';
import { IceServers } from './calls/ice.js';

export interface Services {
  storage: Storage;
  cluster: Cluster;
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
  offices: OfficeService;
  /** Durable delivery (mail, later messenger replies); handlers register by kind. */
  outbox: Outbox;
  mailer: Mailer;
  referrals: ReferralService;
  orientation: OrientationService;
  knowledge: KnowledgeService;
  /** Counsellors' availability and load, the supervisor view. */
  workload: WorkloadService;
  /** Conversations of counsellors away too long go back to the queue. */
  requeue: RequeueJob;
  topics: TopicService;
  savedReplies: SavedReplyService;
  resumeCodes: ResumeCodes;
  /** Channels (issue 15): the inbox adapters deliver to, the accounts admins connect, the adapters by kind. */
  channels: ChannelService;
  channelAccounts: ChannelAccountService;
  channelAdapters: ChannelAdapters;
  /** Callback requests (issue 16). */
  callbacks: CallbackService;
  /** Reply notices by e-mail (issue 15). */
  replyNotices: ReplyNoticeService;
  /** Voice and video calls: offers, answers, TURN credentials (state in the shared store, never the database). */
  calls: CallService;
}

export interface RunningServer {
  url: string;
  services: Services;
  hub: RealtimeHub;
  /** /readyz (`readiness.add(name, check)`) and /metrics (see ops/metrics.ts). */
  ops: { readiness: Readiness; metrics: Metrics };
  /** Marks the process draining (/readyz 503), stops accepting, closes sockets, then the database. */
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

/** config → database → services → HTTP + WebSocket, listening. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const storage = await openStorage(config, {
    server: true,
    migrate: config.migrate,
    poolSize: config.databasePoolSize,
    onEraseError: (err) => logger.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'erasing deleted data from the WAL failed'),
    // Crash-only, as PostgreSQL does: after a failed fsync the kernel may have dropped pages that
    // later writes depend on; a restart recovers the WAL as far as it is on disk.
    onFailure: (err) => {
      // at once, still holding the database connection: nothing else may read or write (pino writes synchronously)
      logger.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'the disk failed to store messages; DiReturn stops');
      process.exit(1);
    },
  });
  const { db } = storage;
  let cluster: Cluster;
  try {
    cluster = await openCluster(config.redisUrl, config.redisPrefix, (err) => logger.warn({ err: { message: err.message } }, 'bus: an event could not be published'));
  } catch (err) {
    await storage.close();
    throw err;
  }
  if (storage.dialect === 'postgres' && cluster.mode === 'single') {
    logger.warn('PostgreSQL without DIRETURN_REDIS_URL: run one DiReturn process only; a second process needs Redis to reach the sockets of the first');
  }
  // ops: /readyz asks every check added here (the Redis bus adds its own); /metrics.
  const readiness = new Readiness(logger);
  readiness.add('database', () => storage.ping());
  if (cluster.mode === 'redis') readiness.add('redis', () => cluster.ping());
  const metrics = new Metrics({ version: VERSION, storage });
  const keyring = Keyring.load({ envKeys: config.encryptionKey, dataDir: config.dataDir });
  const settings = await SettingsService.load(db, { retentionDays: config.retentionDays, requireTotp: config.requireTotp });
  const audit = new AuditService(db);
  const totp = new TotpService(db, keyring);
  const sites = new SiteService(db, { audit, settings });
  const agents = new AgentService(db);
  const auth = new AuthService(db, config.sessionTtlMs, totp, settings, audit, new LoginThrottle(cluster.throttle), {
    challenges: cluster.store,
    devices: new DeviceCookies(keyring.derive('device-cookies')),
    oneTimePasswordMs: config.oneTimePasswordMs,
  });
  agents.connect({ auth, totp, audit });
  const visitors = new VisitorService(db);
  const conversations = new ConversationService(db, keyring, () => settings.retentionMs, storage.writer, audit, () => storage.eraseDeleted(), { maxParallel: config.work.maxParallel });
  const workload = new WorkloadService(db, config.work.maxParallel, audit);
  const topics = new TopicService(db, audit);
  const knowledge = new KnowledgeService(db, audit);
  const orientation = new OrientationService(db, audit);
  conversations.resolveContextsWith((input, language) => (input.kind === 'article' ? knowledge.contextFor(input) : orientation.caseContext(input, language)));
  const callbacks = new CallbackService(db, keyring, conversations, cluster.store, { retentionDays: config.callbackRetentionDays, requestsPerHour: config.callbackRequestsPerHour }, audit);
  const retention = new RetentionJob(
    conversations,
    settings,
    audit,
    config.auditRetentionDays,
    logger,
    {
      claim: (name, ttlMs) => cluster.store.setIfAbsent(`once:${name}`, String(Date.now()), ttlMs),
      exclusive: (name, fn) => storage.exclusive(name, fn),
    },
    knowledge,
    callbacks,
  );
  const requeue = new RequeueJob(conversations, config.work.awayRequeueMs, logger, {
    claim: (name, ttlMs) => cluster.store.setIfAbsent(`once:${name}`, String(Date.now()), ttlMs),
    exclusive: (name, fn) => storage.exclusive(name, fn),
  });
  const offices = new OfficeService(db, PostcodeTable.shipped(), audit);
  const outbox = new Outbox(db, logger, {
    ...DEFAULT_OUTBOX_OPTIONS,
    maxAttempts: config.outbox.maxAttempts,
    retryBaseMs: config.outbox.retryBaseMs,
    pollMs: config.outbox.pollMs,
  });
  const mailer = createMailer(config.mail.smtpUrl, config.mail.from);
  if (!mailer.configured) logger.warn('no DIRETURN_SMTP_URL: referrals to offices cannot be sent by mail, and the widget offers no e-mail notices');
  const replyNotices = new ReplyNoticeService(db, keyring, conversations, outbox, mailer, cluster.store, { publicUrl: config.publicUrl, delayMs: config.replyNoticeDelayMs }, logger);
  const referrals = new ReferralService(db, keyring, offices, outbox, mailer, { publicUrl: config.publicUrl, linkTtlMs: config.referralLinkTtlMs }, logger, audit);
  const savedReplies = new SavedReplyService(db, audit);
  const resumeCodes = new ResumeCodes(db, () => keyring.derive('resume-codes'), cluster.throttle);
  const calls = new CallService(cluster.store, conversations, new IceServers(config.calls), audit, { graceMs: config.calls.graceMs });
  // Channels: the domain, then each module's adapters (channels/modules.ts) registered by kind.
  const channelAdapters = new ChannelAdapters();
  const channelAccounts = new ChannelAccountService(db, keyring, channelAdapters, config.publicUrl, audit);
  const channels = new ChannelService(db, storage.writer, keyring, conversations, channelAccounts, channelAdapters, outbox, logger, config.outbox.retryBaseMs);
  const channelModules = CHANNEL_MODULES.map((m) => m.create({ inbox: channels, accounts: channelAccounts, logger, config, db, outbox, keyring }));
  for (const m of channelModules) for (const adapter of m.adapters) channelAdapters.register(adapter);
  const services: Services = {
    storage, cluster, db, sites, agents, auth, visitors, conversations, keyring, settings, audit, totp, retention, knowledge, offices, outbox, mailer, referrals, workload, requeue, topics, savedReplies, resumeCodes, orientation,
    channels, channelAccounts, channelAdapters, callbacks, calls, replyNotices,
  };
  // The check needs a rule set: the shipped example (marked as example content to review) until editors save their own.
  await orientation.seedExample();
  await firstRun(config, agents, sites, logger, knowledge);
  await topics.ensureBuiltins();
  if (config.demo && !config.demoSkipExamples) {
    // Demo text in the shared library (marked as demo); another process starting at once may win the insert.
    await savedReplies.seedDemo().catch(async (err) => {
      if ((await savedReplies.seedDemo()) !== 0) throw err;
    });
  }
  if (config.exampleOffices) {
    // Processes starting at once: the examples' fixed ids let only one insert them.
    await offices.seedExamples().catch(async (err) => {
      if (await offices.isEmpty()) throw err;
    });
  }
  await deleteExpiredSessions(db, Date.now());
  const clientKeys = new ClientKeys(undefined, cluster.mode === 'redis' ? cluster.store : undefined);
  await clientKeys.refresh();
  const saltRefresh = setInterval(() => void clientKeys.refresh().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'client key salt refresh failed')), 60_000);
  saltRefresh.unref();

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
  app.route('/', opsRoutes({ version: VERSION, readiness, metrics, access: config.metrics }));
  // Providers' webhooks (/webhooks/<kind>/<accountId>): verified by each module, outside /api (no session, no same-origin rule).
  for (const m of channelModules) if (m.routes) app.route('/', m.routes);
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
  api.route('/', workloadRoutes(auth, workload));
  api.route('/', topicRoutes(auth, topics));
  api.route('/', siteRoutes(auth, sites, config.publicUrl));
  api.route('/', agentRoutes(auth, agents, settings, audit));
  api.route('/', auditRoutes(auth, audit));
  api.route('/', privacyRoutes(auth, settings, sites, audit));
  api.route('/', publicOfficeRoutes(offices));
  api.route('/', officeRoutes(auth, offices));
  api.route('/', outboxRoutes(auth, outbox));
  api.route('/', referralRoutes(auth, referrals));
  api.route('/', callbackRoutes(auth, callbacks));
  api.route('/', knowledgeRoutes(auth, knowledge));
  api.route('/', savedReplyRoutes(auth, savedReplies));
  api.route('/', orientationRoutes(auth, orientation));
  api.route('/', orientationApiRoutes(orientation));
  api.route('/', channelRoutes(auth, channelAccounts));
  api.route('/', replyWindowRoutes(auth, new ReplyWindows(db, channelAccounts, channelAdapters, conversations)));
  // Visitors' searches, per client across processes (the shared store), keyed by the salted address.
  const searchLimit = (c: Context) => cluster.store.rate(`kb-search:${clientKeys.keyOf(addressOfRequest(c, config.trustProxy))}`, SEARCHES_PER_MINUTE, SEARCHES_PER_MINUTE / 2);
  api.route('/', infoApiRoutes(knowledge, searchLimit));
  api.all('*', (c) => errorResponse(c, 'not_found', 'No such API route.'));
  app.route('/api', api);
  app.route('/', officePageRoutes(referrals, config.publicUrl));
  app.route('/', replyNoticeRoutes(replyNotices));
  const frameTexts = new FrameTexts(join(config.dirs.widget, 'locales'));
  app.route('/', frameRoutes(sites, settings, frameTexts));
  app.route('/', infoPageRoutes({ knowledge, sites, texts: frameTexts, publicUrl: config.publicUrl, infoSite: config.infoSite, searchLimit }));
  app.route('/', staticRoutes(config));

  const hub = new RealtimeHub({
    sites,
    visitors,
    conversations,
    auth,
    settings,
    limits: new VisitorLimits(cluster.store, config.limits, (err) => logger.warn({ err: { message: err.message } }, 'rate limits: the shared store did not answer; letting visitors through')),
    bus: cluster.bus,
    referrals,
    callbacks,
    replyNotices,
    workload,
    resumeCodes,
    calls: {
      service: calls,
      seal: (plaintext, aad) => keyring.seal(plaintext, aad),
      open: (sealed, aad) => keyring.open(sealed, aad),
      graceMs: config.calls.graceMs,
    },
    clientKeys,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    allowedHosts: config.allowedHosts,
    logger,
    observer: {
      connections: (visitors, agents) => {
        metrics.visitorsConnected.set(visitors);
        metrics.agentsConnected.set(agents);
      },
      messageIn: (author) => {
        const done = metrics.ackLatency.startTimer({ author });
        return (stored) => {
          done();
          if (stored) metrics.messagesIn.inc({ author });
        };
      },
      messageOut: (recipient) => metrics.messagesOut.inc({ recipient }),
      busLag: (ms) => metrics.busLag.observe(ms / 1000),
    },
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
  requeue.start();
  outbox.start();
  channels.start();
  for (const m of channelModules) m.start?.();
  // Settings changed by the CLI (privacy notices) reach a running server within a minute.
  settings.events.on('changed', () => cluster.bus.publish({ kind: 'settings' }));
  const settingsRefresh = setInterval(() => void settings.reload().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'settings reload failed')), 60_000);
  settingsRefresh.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      readiness.startDraining();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(settingsRefresh);
      clearInterval(saltRefresh);
      await retention.stop();
      await requeue.stop();
      for (const m of channelModules) await m.stop?.();
      channels.stop();
      await outbox.stop();
      mailer.close();
      await hub.close();
      calls.stop();
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 3000).unref();
      await stopped;
      await cluster.close();
      await storage.close();
      logger.info('DiReturn stopped');
    })());

  return { url, services, hub, ops: { readiness, metrics }, close };
}
