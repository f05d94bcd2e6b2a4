import { Hono } from 'hono';
import * as v from 'valibot';
import type { ReferralListResponse, ReferralResponse, ReferralStatsResponse } from '@direturn/protocol';
import { ReferralCreateSchema, ReferralListQuerySchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { ReferralService } from './referral.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a referral id')) });

export function referralRoutes(auth: AuthService, referrals: ReferralService) {
  const app = new Hono<AppEnv>();
  app.use('/referrals', requireAgent(auth));
  app.use('/referrals/*', requireAgent(auth));

  app.get('/referrals', async (c) => {
    const { filter, conversationId } = validate(ReferralListQuerySchema, c.req.query());
    const agent = c.get('auth').agent;
    return c.json({ referrals: conversationId ? await referrals.listOfConversation(agent, conversationId) : await referrals.list(agent, filter) } satisfies ReferralListResponse);
  });

  app.post('/referrals', async (c) => {
    const input = await readJson(c, ReferralCreateSchema);
    return c.json({ referral: await referrals.create(c.get('auth').agent, input) } satisfies ReferralResponse, 201);
  });

  app.get('/referrals/stats', async (c) => c.json({ rows: await referrals.stats(c.get('auth').agent) } satisfies ReferralStatsResponse));

  app.get('/referrals/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ referral: await referrals.get(c.get('auth').agent, id) } satisfies ReferralResponse);
  });

  app.post('/referrals/:id/cancel', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ referral: await referrals.cancel(c.get('auth').agent, id) } satisfies ReferralResponse);
  });

  app.post('/referrals/:id/retry', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ referral: await referrals.retry(c.get('auth').agent, id) } satisfies ReferralResponse);
  });
  return app;
}
