import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/types.js';
import { REMOVAL_PAGE_CSP, removalPage } from './reply-notice-mail.js';
import type { ReplyNoticeService } from './reply-notice.service.js';

const ID = /^[0-9a-f-]{36}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The removal link of the notice mails. GET shows a button (mail scanners that follow links only
 * GET, so they remove nothing); POST removes: the page's form, or a mail program's one-click
 * unsubscribe (RFC 8058). Every link, genuine, forged or already used, gets the same page.
 */
export function replyNoticeRoutes(notices: ReplyNoticeService) {
  const app = new Hono<AppEnv>();
  const page = (c: Context<AppEnv>, done: boolean) => {
    c.header('Content-Security-Policy', REMOVAL_PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex, nofollow');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    const lang = c.req.query('lang');
    const action = `${new URL(c.req.url).pathname}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`;
    return c.html(removalPage(lang, action, done));
  };

  app.get('/reply-notice/:id/:token', (c) => page(c, false));

  app.post('/reply-notice/:id/:token', async (c) => {
    const { id, token } = c.req.param();
    if (ID.test(id) && TOKEN.test(token)) await notices.removeByLink(id, token);
    return page(c, true);
  });
  return app;
}
