import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import * as v from 'valibot';
import { OR_LIMITS, type OrIssue, type OrRuleSetResponse, type OrRuleSetVersionListResponse, type OrRuleSetVersionResponse, type OrValidationErrorBody } from '@direturn/protocol';
import { languageSchema, OrRuleSetSaveSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import { errorResponse } from '../http/errors.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import { canEditOrientation, canReadOrientation } from './orientation.policy.js';
import { forLanguage } from './orientation.presenter.js';
import { RuleSetInvalidError, type OrientationService } from './orientation.service.js';

const LangQuery = v.object({ lang: v.optional(languageSchema) });
const VersionParam = v.object({ version: v.pipe(v.string(), v.regex(/^[1-9]\d{0,8}$/, 'not a version'), v.transform(Number)) });

const allow = (rule: (agent: AppEnv['Variables']['auth']['agent']) => boolean): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!rule(c.get('auth').agent)) return errorResponse(c, 'forbidden', 'Your role does not allow this.');
  await next();
};

const invalid = (message: string, issues: OrIssue[]): OrValidationErrorBody => ({ error: { code: 'orientation_invalid', message, issues } });

/** The console's API: every role reads versions (case summaries), editors and admins save new ones. */
export function orientationRoutes(auth: AuthService, orientation: OrientationService) {
  const app = new Hono<AppEnv>();
  app.use('/orientation/rule-sets', requireAgent(auth));
  app.use('/orientation/rule-sets/*', requireAgent(auth));
  app.get('/orientation/rule-sets', allow(canReadOrientation), async (c) => c.json({ versions: await orientation.versions() } satisfies OrRuleSetVersionListResponse));
  app.get('/orientation/rule-sets/:version', allow(canReadOrientation), async (c) => {
    const { version } = validate(VersionParam, c.req.param());
    return c.json({ version: await orientation.version(version) } satisfies OrRuleSetVersionResponse);
  });
  // A dry run for the editor: every issue, nothing saved.
  app.post('/orientation/rule-sets/check', allow(canEditOrientation), async (c) => {
    const { ruleSet } = await readJson(c, OrRuleSetSaveSchema, OR_LIMITS.ruleSetMaxBytes);
    return c.json({ issues: orientation.check(ruleSet) });
  });
  app.post('/orientation/rule-sets', allow(canEditOrientation), async (c) => {
    const { ruleSet, comment } = await readJson(c, OrRuleSetSaveSchema, OR_LIMITS.ruleSetMaxBytes);
    try {
      return c.json({ version: await orientation.save(ruleSet, comment, c.get('auth').agent) } satisfies OrRuleSetVersionResponse, 201);
    } catch (err) {
      if (err instanceof RuleSetInvalidError) return c.json(invalid(err.message, err.problems), 422);
      throw err;
    }
  });
  return app;
}

/** What the widget reads (no login): the current rule set. Public text, compressed, cached briefly. */
export function orientationApiRoutes(orientation: OrientationService) {
  const app = new Hono();
  app.use('/orientation/current', compress());
  app.get('/orientation/current', async (c) => {
    const { lang } = validate(LangQuery, c.req.query());
    const current = await orientation.current();
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ current: lang ? { ...current, ruleSet: forLanguage(current.ruleSet, lang) } : current } satisfies OrRuleSetResponse);
  });
  return app;
}
