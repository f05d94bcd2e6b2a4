import { randomBytes } from 'node:crypto';
import type { AgentService } from '../agents/agent.service.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { isDomainError } from '../shared/errors.js';
import type { SiteService } from '../sites/site.service.js';
import { loadExamples } from '../knowledge/examples.js';
import type { KnowledgeService } from '../knowledge/knowledge.service.js';

export const DEMO_ADMIN_EMAIL = 'admin@direturn.local';

/**
 * Makes a fresh installation usable: the first admin (from the environment, or a demo admin whose
 * password is printed once) and, in demo mode, the demo site for this server's own addresses.
 */
export async function firstRun(config: Config, agents: AgentService, sites: SiteService, logger: Logger, knowledge?: KnowledgeService): Promise<void> {
  // Several processes may start at once on one PostgreSQL: whoever loses a race here finds the
  // winner's row (a unique key refused the second) and goes on.
  await tolerateRace(() => createFirstAdmin(config, agents, logger), async () => (await agents.count()) > 0);
  if (config.demo) {
    const port = new URL(config.publicUrl).port || config.port;
    const origins = [config.publicUrl, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
    await tolerateRace(
      () => sites.ensureDemoSite(origins),
      async () => (await sites.list()).some((s) => s.key === 'demo'),
    );
    // The demo shows the example articles (marked as example content) when there are none yet.
    if (knowledge && !config.demoSkipExamples && (await knowledge.list()).length === 0) {
      await tolerateRace(
        async () => {
          const r = await knowledge.importAll(loadExamples(), { by: null, publishAll: true });
          logger.info({ articles: r.created }, 'demo: example articles imported');
        },
        async () => (await knowledge.list()).length > 0,
      );
    }
  }
}

async function tolerateRace(work: () => Promise<unknown>, doneByAnother: () => Promise<boolean>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!(await doneByAnother())) throw err;
  }
}

async function createFirstAdmin(config: Config, agents: AgentService, logger: Logger): Promise<void> {
  if ((await agents.count()) === 0) {
    if (config.admin) {
      try {
        await agents.create({ email: config.admin.email, name: 'Admin', password: config.admin.password, role: 'admin', languages: ['de', 'en'] });
      } catch (err) {
        // Name the variable to change; the policy's reasons, never the password itself.
        if (isDomainError(err)) {
          const why = (err.issues ?? [err.message]).map((i) => i.replace(/^password: /, '')).join('; ');
          throw new Error(`DIRETURN_ADMIN_PASSWORD was refused: ${why}`);
        }
        throw err;
      }
      logger.info('first admin created from DIRETURN_ADMIN_EMAIL');
    } else {
      const password = randomBytes(12).toString('base64url');
      await agents.create({ email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', password, role: 'admin', languages: ['de', 'en'] });
      // Printed once, on purpose, to the terminal of whoever started the server; never logged again.
      process.stdout.write(
        `\n  DiReturn created a demo admin for the console:\n    e-mail:   ${DEMO_ADMIN_EMAIL}\n    password: ${password}\n` +
          `  Keep it; it is not shown again. Add real agents with: pnpm direturn agents add --help\n\n`,
      );
    }
  }
}
