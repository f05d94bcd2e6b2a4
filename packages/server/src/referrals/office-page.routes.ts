import { Hono, type Context } from 'hono';
import { OfficeConfirmFormSchema, OfficeOutcomeFormSchema, parse } from '@direturn/protocol/schemas';
import type { AppEnv } from '../http/types.js';
import { invalidLinkPage, OFFICE_PAGE_CSP, officePage } from './office-page.js';
import type { ReferralService } from './referral.service.js';

/**
 * The office's private link: GET shows the referral (after the office confirmed receipt), POSTs
 * confirm receipt and report outcomes. A wrong, forged or expired link gets the same page and
 * status as any unknown one. State changes need the page's form token and, when the browser
 * sends one, our own Origin (no cross-site posts); mail scanners that follow links only GET.
 */
export function officePageRoutes(referrals: ReferralService, publicUrl: string) {
  const app = new Hono<AppEnv>();
  const publicOrigin = new URL(publicUrl).origin;

  const html = (c: Context<AppEnv>, body: string, status: 200 | 404 = 200) => {
    c.header('Content-Security-Policy', OFFICE_PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex, nofollow');
    c.header('X-Frame-Options', 'DENY');
    return c.html(body, status);
  };
  const invalid = (c: Context<AppEnv>) => html(c, invalidLinkPage(), 404);
  const crossSite = (c: Context<AppEnv>) => {
    const origin = c.req.header('origin');
    return origin !== undefined && origin !== 'null' && origin !== publicOrigin && origin !== new URL(c.req.url).origin;
  };
  const form = async (c: Context<AppEnv>): Promise<Record<string, string>> => {
    if (Number(c.req.header('content-length') ?? '0') > 4096) return {};
    const body = await c.req.parseBody().catch(() => ({}));
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
  };

  app.get('/referral/:token', async (c) => {
    const token = c.req.param('token');
    const view = await referrals.officeView(token);
    return view ? html(c, officePage(view, `/referral/${token}`)) : invalid(c);
  });

  app.post('/referral/:token/confirm', async (c) => {
    const token = c.req.param('token');
    const input = parse(OfficeConfirmFormSchema, await form(c));
    if (crossSite(c) || !input.ok || (await referrals.officeConfirm(token, input.value.form)) === 'invalid') return invalid(c);
    return c.redirect(`/referral/${token}`, 303);
  });

  app.post('/referral/:token/outcome', async (c) => {
    const token = c.req.param('token');
    const input = parse(OfficeOutcomeFormSchema, await form(c));
    if (crossSite(c) || !input.ok || (await referrals.officeOutcome(token, input.value.form, input.value.outcome)) === 'invalid') return invalid(c);
    return c.redirect(`/referral/${token}`, 303);
  });
  return app;
}
