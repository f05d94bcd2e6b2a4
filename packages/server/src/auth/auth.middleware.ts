import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AgentRole } from '@direturn/protocol';
import { errorResponse } from '../http/errors.js';
import type { AppEnv } from '../http/types.js';
import type { AuthService } from './auth.service.js';

export const SESSION_COOKIE = 'direturn_session';

/**
 * Every console API route sits behind this: no valid session cookie, no answer; the wrong role,
 * 403. While two-factor authentication is enforced and the agent has not enrolled, only routes
 * marked `duringTotpSetup` (me, logout, enrolment) answer; the rest say `totp_setup_required`.
 * Likewise after an admin reset the password: only `duringPasswordChange` routes answer.
 */
export function requireAgent(auth: AuthService, role?: AgentRole, opts: { duringTotpSetup?: boolean; duringPasswordChange?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const found = await auth.authenticate(getCookie(c, SESSION_COOKIE));
    if (!found) return errorResponse(c, 'unauthorized', 'Please log in.');
    // After an admin's reset, only the password change itself (and me, logout) answers.
    if (found.agent.passwordChangeRequired && !opts.duringPasswordChange) {
      return errorResponse(c, 'password_change_required', 'Choose a new password first.');
    }
    if (found.agent.totpSetupRequired && !opts.duringTotpSetup) {
      return errorResponse(c, 'totp_setup_required', 'Set up two-factor authentication first.');
    }
    if (role && found.agent.role !== role) return errorResponse(c, 'forbidden', 'Your role does not allow this.');
    c.set('auth', found);
    await next();
  };
}
