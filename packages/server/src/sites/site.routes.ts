import { Hono } from 'hono';
import * as v from 'valibot';
import type { AwayDefaultsResponse, SiteListResponse, SiteResponse } from '@direturn/protocol';
import { SiteInputSchema, SiteUpdateSchema } from '@direturn/protocol/schemas';
import type { AuthService } from '../auth/auth.service.js';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import { awayDefaults } from './away-texts.js';
import type { SiteService } from './site.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a site id')) });

/** Admin-only: partner sites (the embed snippet uses `publicUrl`, the server's configured address). */
export function siteRoutes(auth: AuthService, sites: SiteService, publicUrl: string) {
  const app = new Hono<AppEnv>();
  const admin = requireAgent(auth, 'admin');
  app.use('/sites', admin);
  app.use('/sites/*', admin);
  app.get('/sites', async (c) => c.json({ sites: await sites.list(), publicUrl } satisfies SiteListResponse));
  app.get('/sites/away-defaults', (c) => c.json({ defaults: awayDefaults() } satisfies AwayDefaultsResponse));
  app.post('/sites', async (c) => c.json({ site: await sites.create(await readJson(c, SiteInputSchema), undefined, c.get('auth').agent) } satisfies SiteResponse, 201));
  app.patch('/sites/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ site: await sites.update(id, await readJson(c, SiteUpdateSchema), c.get('auth').agent) } satisfies SiteResponse);
  });
  app.delete('/sites/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    await sites.remove(id, c.get('auth').agent);
    return c.body(null, 204);
  });
  return app;
}
