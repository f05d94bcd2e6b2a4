import { Hono } from 'hono';
import * as v from 'valibot';
import type { ConversationDetailResponse, ConversationListResponse, ConversationResponse } from '@direturn/protocol';
import { ConversationListQuerySchema } from '@direturn/protocol/schemas';
import type { AuthService } from '../auth/auth.service.js';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AppEnv } from '../http/types.js';
import { validate } from '../http/validate.js';
import type { ConversationService } from './conversation.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a conversation id')) });

export function conversationRoutes(auth: AuthService, conversations: ConversationService) {
  const app = new Hono<AppEnv>();
  app.use('/conversations', requireAgent(auth));
  app.use('/conversations/*', requireAgent(auth));

  app.get('/conversations', async (c) => {
    const { status } = validate(ConversationListQuerySchema, c.req.query());
    return c.json({ conversations: await conversations.list(c.get('auth').agent, status) } satisfies ConversationListResponse);
  });

  app.get('/conversations/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json((await conversations.detail(c.get('auth').agent, id)) satisfies ConversationDetailResponse);
  });

  app.post('/conversations/:id/claim', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ conversation: await conversations.claim(c.get('auth').agent, id) } satisfies ConversationResponse);
  });

  app.post('/conversations/:id/close', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ conversation: await conversations.close(c.get('auth').agent, id) } satisfies ConversationResponse);
  });

  return app;
}
