import { Hono } from 'hono';
import * as v from 'valibot';
import type { SavedReplyListResponse, SavedReplyRenderResponse, SavedReplyResponse } from '@direturn/protocol';
import { languageSchema, SavedReplyInputSchema, SavedReplyRenderQuerySchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { SavedReplyService } from './saved-reply.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a saved reply id')) });
const RenderQuery = v.object({ ...SavedReplyRenderQuerySchema.entries, language: v.optional(languageSchema) });

/** The console's saved replies: who may do what is the service's policy (saved-reply.policy.ts). */
export function savedReplyRoutes(auth: AuthService, replies: SavedReplyService) {
  const app = new Hono<AppEnv>();
  app.use('/saved-replies', requireAgent(auth));
  app.use('/saved-replies/*', requireAgent(auth));
  app.get('/saved-replies', async (c) => c.json({ replies: await replies.list(c.get('auth').agent) } satisfies SavedReplyListResponse));
  app.post('/saved-replies', async (c) => {
    const reply = await replies.create(await readJson(c, SavedReplyInputSchema), c.get('auth').agent);
    return c.json({ reply } satisfies SavedReplyResponse, 201);
  });
  app.get('/saved-replies/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ reply: await replies.get(id, c.get('auth').agent) } satisfies SavedReplyResponse);
  });
  app.put('/saved-replies/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ reply: await replies.update(id, await readJson(c, SavedReplyInputSchema), c.get('auth').agent) } satisfies SavedReplyResponse);
  });
  app.delete('/saved-replies/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    await replies.remove(id, c.get('auth').agent);
    return c.body(null, 204);
  });
  app.get('/saved-replies/:id/render', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const { conversationId, language } = validate(RenderQuery, c.req.query());
    return c.json({ rendered: await replies.render(id, conversationId, c.get('auth').agent, language) } satisfies SavedReplyRenderResponse);
  });
  return app;
}
