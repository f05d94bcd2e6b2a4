import { Hono } from 'hono';
import * as v from 'valibot';
import type { AgentListResponse, AgentResponse, PasswordResetResponse, SettingsResponse } from '@direturn/protocol';
import { AgentInputSchema, AgentUpdateSchema, SettingsUpdateSchema } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { SettingsService } from '../settings/settings.service.js';
import { DomainError } from '../shared/errors.js';
import type { AgentService } from './agent.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not an agent id')) });

/** Admin-only: agents and installation settings. */
export function agentRoutes(auth: AuthService, agents: AgentService, settings: SettingsService, audit: AuditService) {
  const app = new Hono<AppEnv>();
  const admin = requireAgent(auth, 'admin');
  app.use('/agents', admin);
  app.use('/agents/*', admin);
  app.use('/settings', admin);

  app.get('/agents', async (c) => c.json({ agents: await agents.listForAdmin() } satisfies AgentListResponse));
  app.post('/agents', async (c) => {
    const by = c.get('auth').agent;
    const created = await agents.create(await readJson(c, AgentInputSchema), by);
    const full = (await agents.listForAdmin()).find((a) => a.id === created.id)!;
    return c.json({ agent: full } satisfies AgentResponse, 201);
  });
  app.patch('/agents/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ agent: await agents.update(c.get('auth').agent, id, await readJson(c, AgentUpdateSchema)) } satisfies AgentResponse);
  });
  app.delete('/agents/:id/sessions', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    await agents.revokeSessions(c.get('auth').agent, id);
    return c.body(null, 204);
  });
  /** A one-time password for a colleague (shown once); all their sessions end. */
  app.post('/agents/:id/password', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json((await agents.resetPassword(c.get('auth').agent, id)) satisfies PasswordResetResponse);
  });
  app.delete('/agents/:id/totp', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ agent: await agents.resetTotp(c.get('auth').agent, id) } satisfies AgentResponse);
  });

  app.get('/settings', (c) => c.json({ settings: settings.get() } satisfies SettingsResponse));
  app.patch('/settings', async (c) => {
    const changes = await readJson(c, SettingsUpdateSchema);
    // An admin who enforces 2FA without having it would lock themselves out of the console.
    if (changes.requireTotp && !c.get('auth').agent.totpEnabled) {
      throw new DomainError('bad_request', 'Set up two-factor authentication for yourself before you require it from everyone.');
    }
    const updated = await settings.update(changes);
    await audit.record({ agentId: c.get('auth').agent.id, action: 'settings.updated', details: { retentionDays: changes.retentionDays ?? null, requireTotp: changes.requireTotp ?? null } });
    return c.json({ settings: updated } satisfies SettingsResponse);
  });
  return app;
}
