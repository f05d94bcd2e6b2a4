import { Hono } from 'hono';
import * as v from 'valibot';
import type { PrivacyNoticeResponse, PrivacyOverrideListResponse } from '@direturn/protocol';
import { PrivacyOverrideSchema, PrivacyQuerySchema, languageSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import { DomainError } from '../shared/errors.js';
import type { SiteService } from '../sites/site.service.js';
import type { SettingsService } from './settings.service.js';

const RemoveQuery = v.object({ siteId: v.optional(v.pipe(v.string(), v.uuid())), language: languageSchema });

/**
 * The privacy notice: public for the widget (also sent in `welcome`), configurable by admins per
 * site and language (or for all sites).
 */
export function privacyRoutes(auth: AuthService, settings: SettingsService, sites: SiteService, audit: AuditService) {
  const app = new Hono<AppEnv>();
  app.get('/privacy', async (c) => {
    const q = validate(PrivacyQuerySchema, c.req.query());
    const site = (await sites.list()).find((s) => s.key === q.site);
    if (!site) throw new DomainError('unknown_site', 'No site is registered under this key.');
    return c.json({ privacy: settings.privacyNotice(site.id, q.lang ?? site.defaultLanguage) } satisfies PrivacyNoticeResponse);
  });

  const admin = requireAgent(auth, 'admin');
  app.get('/privacy-notices', admin, (c) => c.json({ overrides: settings.listPrivacyOverrides() } satisfies PrivacyOverrideListResponse));
  app.put('/privacy-notices', admin, async (c) => {
    const input = await readJson(c, PrivacyOverrideSchema);
    if (input.siteId && !(await sites.list()).some((s) => s.id === input.siteId)) throw new DomainError('not_found', 'Site not found.');
    await settings.setPrivacyOverride(input);
    await audit.record({ agentId: c.get('auth').agent.id, action: 'settings.updated', details: { privacyNotice: input.language, site: input.siteId } });
    return c.json({ overrides: settings.listPrivacyOverrides() } satisfies PrivacyOverrideListResponse);
  });
  app.delete('/privacy-notices', admin, async (c) => {
    const q = validate(RemoveQuery, c.req.query());
    await settings.removePrivacyOverride(q.siteId ?? null, q.language);
    await audit.record({ agentId: c.get('auth').agent.id, action: 'settings.updated', details: { privacyNotice: q.language, site: q.siteId ?? null, removed: true } });
    return c.body(null, 204);
  });
  return app;
}
