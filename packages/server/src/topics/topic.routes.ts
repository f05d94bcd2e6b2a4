import { Hono } from 'hono';
import * as v from 'valibot';
import type { TopicListResponse, TopicResponse } from '@direturn/protocol';
import { TopicInputSchema, TopicUpdateSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { TopicService } from './topic.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a topic id')) });

export function topicRoutes(auth: AuthService, topics: TopicService) {
  const app = new Hono<AppEnv>();
  app.use('/topics', requireAgent(auth));
  app.use('/topics/*', requireAgent(auth));
  app.get('/topics', async (c) => c.json({ topics: await topics.list(c.get('auth').agent) } satisfies TopicListResponse));
  app.post('/topics', async (c) => {
    const { label } = await readJson(c, TopicInputSchema);
    return c.json({ topic: await topics.create(c.get('auth').agent, label) } satisfies TopicResponse, 201);
  });
  app.patch('/topics/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ topic: await topics.update(c.get('auth').agent, id, await readJson(c, TopicUpdateSchema)) } satisfies TopicResponse);
  });
  return app;
}
