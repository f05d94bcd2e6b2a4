import { Hono } from 'hono';
import * as v from 'valibot';
import type { ChannelAccountListResponse, ChannelAccountResponse } from '@direturn/protocol';
import { ChannelAccountCreateSchema, ChannelAccountUpdateSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { ChannelAccountService } from './channel-account.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a channel account id')) });

/** Admins connect channel accounts (`/api/channels`); secrets go in and never come out. */
export function channelRoutes(auth: AuthService, accounts: ChannelAccountService) {
  const app = new Hono<AppEnv>();
  app.use('/channels', requireAgent(auth, 'admin'));
  app.use('/channels/*', requireAgent(auth, 'admin'));
  const actor = (c: { get(k: 'auth'): { agent: { id: string } } }) => c.get('auth').agent;

  app.get('/channels', async (c) => c.json({ accounts: await accounts.list() } satisfies ChannelAccountListResponse));
  app.post('/channels', async (c) => c.json({ account: await accounts.create(actor(c), await readJson(c, ChannelAccountCreateSchema)) } satisfies ChannelAccountResponse, 201));
  app.get('/channels/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ account: await accounts.get(id) } satisfies ChannelAccountResponse);
  });
  app.patch('/channels/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ account: await accounts.update(actor(c), id, await readJson(c, ChannelAccountUpdateSchema)) } satisfies ChannelAccountResponse);
  });
  app.post('/channels/:id/pause', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ account: await accounts.setStatus(actor(c), id, 'paused') } satisfies ChannelAccountResponse);
  });
  app.post('/channels/:id/resume', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ account: await accounts.setStatus(actor(c), id, 'active') } satisfies ChannelAccountResponse);
  });
  /** Registers DiReturn with the provider (Telegram: setWebhook to the public URL with the secret token). */
  app.post('/channels/:id/connect', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ account: await accounts.connect(actor(c), id) } satisfies ChannelAccountResponse);
  });
  app.delete('/channels/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    await accounts.remove(actor(c), id);
    return c.body(null, 204);
  });
  return app;
}
