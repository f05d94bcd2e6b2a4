import { Hono } from 'hono';
import * as v from 'valibot';
import type { ChannelTemplateSendResponse, ReplyWindowResponse } from '@direturn/protocol';
import { ChannelTemplateSendSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { ReplyWindows } from './reply-window.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

/** A channel conversation's reply window and the templates that may be sent when it is closed (counsellors). */
export function replyWindowRoutes(auth: AuthService, windows: ReplyWindows) {
  const app = new Hono<AppEnv>();
  app.use('/conversations/:id/reply-window', requireAgent(auth));
  app.use('/conversations/:id/template', requireAgent(auth));
  app.get('/conversations/:id/reply-window', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ window: await windows.get(c.get('auth').agent, id) } satisfies ReplyWindowResponse);
  });
  app.post('/conversations/:id/template', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const message = await windows.sendTemplate(c.get('auth').agent, id, await readJson(c, ChannelTemplateSendSchema));
    return c.json({ message } satisfies ChannelTemplateSendResponse, 201);
  });
  return app;
}
