import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { LoginResponse, MeResponse, PasswordChangeResponse, RecoveryCodesResponse, TotpSetupResponse } from '@direturn/protocol';
import { LoginRequestSchema, LoginTotpRequestSchema, MeUpdateSchema, PasswordChangeSchema, TotpDisableRequestSchema, TotpEnableRequestSchema } from '@direturn/protocol/schemas';
import { findAgentById, updateAgent } from '../agents/agent.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { readJson } from '../http/validate.js';
import type { AppEnv } from '../http/types.js';
import type { SettingsService } from '../settings/settings.service.js';
import { DomainError } from '../shared/errors.js';
import { hashSecret } from '../shared/ids.js';
import { requireAgent, SESSION_COOKIE } from './auth.middleware.js';
import type { AuthService, Caller, LoginOutcome } from './auth.service.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S, DEVICE_COOKIE_PATH } from './device-cookie.js';
import type { TotpService } from './totp.service.js';

export interface AuthRouteDeps {
  auth: AuthService;
  totp: TotpService;
  settings: SettingsService;
  audit: AuditService;
  db: Db;
  /** The caller's rate-limit key (salted hash of its address; never the address). */
  clientKey: (c: Context) => string;
  secureCookies: boolean;
  sessionTtlMs: number;
}

export function authRoutes(d: AuthRouteDeps) {
  const { auth, totp } = d;
  const app = new Hono<AppEnv>();

  /** Session rotation: a new secret on every login; a session the browser still held is ended. */
  const answer = async (c: Context, outcome: LoginOutcome) => {
    if (outcome.kind === 'totp') return c.json({ totpRequired: true, challenge: outcome.challenge } satisfies LoginResponse);
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous && previous.length <= 128) await auth.logout(hashSecret(previous));
    setCookie(c, SESSION_COOKIE, outcome.secret, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: d.secureCookies,
      path: '/',
      // No Max-Age: the server ends the session after inactivity (sliding); a fixed cookie lifetime
      // would log out a counsellor who works all day, and closing the browser drops it anyway.
    });
    // This browser may log in to this account again even while others are guessing (DeviceCookies).
    setCookie(c, DEVICE_COOKIE, outcome.device, { httpOnly: true, sameSite: 'Strict', secure: d.secureCookies, path: DEVICE_COOKIE_PATH, maxAge: DEVICE_COOKIE_MAX_AGE_S });
    return c.json({ agent: outcome.agent } satisfies LoginResponse);
  };
  /** Whoever checks a password or code: counted per client and device (see LoginThrottle). */
  const caller = (c: Context): Caller => ({ client: d.clientKey(c), deviceCookie: getCookie(c, DEVICE_COOKIE) });

  app.post('/auth/login', async (c) => answer(c, await auth.login(await readJson(c, LoginRequestSchema), caller(c))));
  app.post('/auth/login/totp', async (c) => answer(c, await auth.loginTotp(await readJson(c, LoginTotpRequestSchema), caller(c))));

  app.post('/auth/logout', requireAgent(auth, undefined, { duringTotpSetup: true, duringPasswordChange: true }), async (c) => {
    await auth.logout(c.get('auth').sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/me', requireAgent(auth, undefined, { duringTotpSetup: true, duringPasswordChange: true }), (c) => c.json({ agent: c.get('auth').agent } satisfies MeResponse));

  /** An agent changes the languages they counsel in (name, role and e-mail stay with the admins). */
  app.patch('/me', requireAgent(auth), async (c) => {
    const { languages } = await readJson(c, MeUpdateSchema);
    const agent = c.get('auth').agent;
    await updateAgent(d.db, agent.id, { languages: JSON.stringify([...new Set(languages)]) });
    await d.audit.record({ agentId: agent.id, action: 'agent.updated', targetAgentId: agent.id, details: { languages: true } });
    const row = await findAgentById(d.db, agent.id);
    if (!row) throw new DomainError('not_found', 'Agent not found.');
    return c.json({ agent: await auth.describe(row) } satisfies MeResponse);
  });

  /** Own password: the current one is required and counted like a log-in; other sessions end. */
  app.post('/me/password', requireAgent(auth, undefined, { duringTotpSetup: true, duringPasswordChange: true }), async (c) => {
    const input = await readJson(c, PasswordChangeSchema);
    const { agent, sessionId } = c.get('auth');
    const otherSessionsEnded = await auth.changePassword(agent, sessionId, input, caller(c));
    const row = await findAgentById(d.db, agent.id);
    if (!row) throw new DomainError('not_found', 'Agent not found.');
    return c.json({ agent: await auth.describe(row), otherSessionsEnded } satisfies PasswordChangeResponse);
  });

  // ---- second factor ----
  const self = requireAgent(auth, undefined, { duringTotpSetup: true });
  app.post('/me/totp/setup', self, async (c) => c.json((await totp.setup(c.get('auth').agent)) satisfies TotpSetupResponse));
  app.post('/me/totp/enable', self, async (c) => {
    const { code } = await readJson(c, TotpEnableRequestSchema);
    const agent = c.get('auth').agent;
    const result = await auth.checkCode(agent, caller(c), () => totp.enable(agent, code));
    await d.audit.record({ agentId: agent.id, action: 'auth.totp_enabled', targetAgentId: agent.id });
    return c.json(result satisfies RecoveryCodesResponse);
  });
  app.post('/me/totp/disable', requireAgent(auth), async (c) => {
    const { password } = await readJson(c, TotpDisableRequestSchema);
    const agent = c.get('auth').agent;
    if (d.settings.requireTotp) throw new DomainError('forbidden', 'Two-factor authentication is required for everyone here.');
    await auth.checkPassword(agent, password, caller(c));
    await totp.disable(agent.id);
    await d.audit.record({ agentId: agent.id, action: 'auth.totp_disabled', targetAgentId: agent.id });
    return c.body(null, 204);
  });

  return app;
}
