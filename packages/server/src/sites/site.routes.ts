import { Hono } from 'hono';
import type { SiteListResponse } from '@direturn/protocol';
import { SiteInputSchema } from '@direturn/protocol/schemas';
import type { AuthService } from '../auth/auth.service.js';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AppEnv } from '../http/types.js';
import { readJson } from '../http/validate.js';
import type { SiteService } from './site.service.js';

export function siteRoutes(auth: AuthService, sites: SiteService) {
  const app = new Hono<AppEnv>();
  app.use('/sites', requireAgent(auth, 'admin'));
  app.get('/sites', async (c) => c.json({ sites: await sites.list() } satisfies SiteListResponse));
  app.post('/sites', async (c) => c.json({ site: await sites.create(await readJson(c, SiteInputSchema)) }, 201));
  return app;
}
