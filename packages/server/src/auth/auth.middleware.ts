import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AgentRole } from '@direturn/protocol';
import { errorResponse } from '../http/errors.js';
import type { AppEnv } from '../http/types.js';
import type { AuthService } from './auth.service.js';

export const SESSION_COOKIE = 'direturn_session';

/** Every console API route sits behind this: no valid session cookie, no answer. */
export function requireAgent(auth: AuthService, role?: AgentRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const found = await auth.authenticate(getCookie(c, SESSION_COOKIE));
    if (!found) return errorResponse(c, 'unauthorized', 'Please log in.');
    if (role && found.agent.role !== role) return errorResponse(c, 'forbidden', 'Your role does not allow this.');
    c.set('auth', found);
    await next();
  };
}
