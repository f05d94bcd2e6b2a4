import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { MeResponse } from '@direturn/protocol';
import { LoginRequestSchema } from '@direturn/protocol/schemas';
import { readJson } from '../http/validate.js';
import type { AppEnv } from '../http/types.js';
import { requireAgent, SESSION_COOKIE } from './auth.middleware.js';
import type { AuthService } from './auth.service.js';

export function authRoutes(auth: AuthService, opts: { secureCookies: boolean; sessionTtlMs: number }) {
  const app = new Hono<AppEnv>();

  app.post('/auth/login', async (c) => {
    const input = await readJson(c, LoginRequestSchema);
    const { agent, secret } = await auth.login(input);
    setCookie(c, SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: opts.secureCookies,
      path: '/',
      maxAge: Math.floor(opts.sessionTtlMs / 1000),
    });
    return c.json({ agent } satisfies MeResponse);
  });

  app.post('/auth/logout', requireAgent(auth), async (c) => {
    await auth.logout(c.get('auth').sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/me', requireAgent(auth), (c) => c.json({ agent: c.get('auth').agent } satisfies MeResponse));

  return app;
}
