import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Config } from '../config.js';
import { CONSOLE_CSP } from './security.js';

/** The built widget and console, and the demo partner page. */
export function staticRoutes(config: Config) {
  const app = new Hono();
  const { widget, console: consoleDir, demo } = config.dirs;

  // Partner pages load this cross-origin as a module script, which needs CORS.
  app.get('/widget.js', async (c, next) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Cache-Control', 'public, max-age=300');
    return serveStatic({ path: join(widget, 'widget.js') })(c, next);
  });
  app.use('/widget/*', async (c, next) => {
    c.header('Cache-Control', 'public, max-age=300');
    await next();
  });
  app.get('/widget/*', serveStatic({ root: widget, rewriteRequestPath: (p) => p.replace(/^\/widget/, '') }));

  app.get('/console', (c) => c.redirect('/console/'));
  app.use('/console/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('Cache-Control', 'no-cache');
  });
  app.get('/console/*', serveStatic({ root: consoleDir, rewriteRequestPath: (p) => p.replace(/^\/console/, '') }));

  if (config.demo) {
    app.get('/demo', (c) => c.redirect('/demo/'));
    app.get('/demo/', async (c) => {
      const url = new URL(c.req.url);
      const publicUrl = config.publicUrl;
      // Like a real partner page, the demo runs on another origin than DiReturn itself, so the
      // isolation of the chat frame is what a visitor gets: localhost serves DiReturn, 127.0.0.1 the demo.
      if (url.hostname === 'localhost' && new URL(publicUrl).hostname === 'localhost') {
        url.hostname = '127.0.0.1';
        return c.redirect(url.toString());
      }
      const html = await readFile(join(demo, 'index.html'), 'utf8');
      c.header('Cache-Control', 'no-cache');
      return c.html(html.replaceAll('%DIRETURN_URL%', publicUrl));
    });
    app.get('/demo/*', serveStatic({ root: demo, rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }));
  }
  app.get('/', (c) => c.redirect(config.demo ? '/demo/' : '/console/'));
  return app;
}
