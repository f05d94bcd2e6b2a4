import { Hono } from 'hono';
import * as v from 'valibot';
import type { CallbackListResponse, CallbackResponse } from '@direturn/protocol';
import { CallbackListQuerySchema, CallbackOutcomeSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { CallbackService } from './callback.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a callback id')) });

/** The console's callback list: list, one (the number to its claimer), claim, give back, outcome. */
export function callbackRoutes(auth: AuthService, callbacks: CallbackService) {
  const app = new Hono<AppEnv>();
  app.use('/callbacks', requireAgent(auth));
  app.use('/callbacks/*', requireAgent(auth));

  app.get('/callbacks', async (c) => {
    const { filter } = validate(CallbackListQuerySchema, c.req.query());
    return c.json({ callbacks: await callbacks.list(c.get('auth').agent, filter) } satisfies CallbackListResponse);
  });

  app.get('/callbacks/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ callback: await callbacks.get(c.get('auth').agent, id) } satisfies CallbackResponse);
  });

  app.post('/callbacks/:id/claim', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ callback: await callbacks.claim(c.get('auth').agent, id) } satisfies CallbackResponse);
  });

  app.post('/callbacks/:id/release', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ callback: await callbacks.release(c.get('auth').agent, id) } satisfies CallbackResponse);
  });

  app.post('/callbacks/:id/outcome', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const input = await readJson(c, CallbackOutcomeSchema);
    return c.json({ callback: await callbacks.recordOutcome(c.get('auth').agent, id, input) } satisfies CallbackResponse);
  });
  return app;
}
