import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Config } from '../config.js';
import { CALL_DEVICES, CONSOLE_CSP, embedderDevices } from './security.js';

/**
 * The built widget and console, and the demo partner page. The builds write `.br` and `.gz`
 * beside each file; `precompressed` sends the best one the browser accepts.
 */
export function staticRoutes(config: Config) {
  const app = new Hono();
  // A cache must not hand a brotli body to a browser that asked without it; serveStatic sets
  // Vary only when it picked a compressed file.
  for (const path of ['/widget.js', '/widget/*', '/console/*']) {
    app.use(path, async (c, next) => {
      await next();
      if (!c.res.headers.has('Content-Encoding')) c.header('Vary', 'Accept-Encoding', { append: true });
    });
  }
  const { widget, console: consoleDir, demo } = config.dirs;

  // Partner pages load this cross-origin as a module script, which needs CORS.
  app.get('/widget.js', async (c, next) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Cache-Control', 'public, max-age=300');
    return serveStatic({ path: join(widget, 'widget.js'), precompressed: true })(c, next);
  });
  app.use('/widget/*', async (c, next) => {
    c.header('Cache-Control', 'public, max-age=300');
    await next();
  });
  app.get('/widget/*', serveStatic({ root: widget, precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/widget/, '') }));

  app.get('/console', (c) => c.redirect('/console/'));
  app.use('/console/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('Permissions-Policy', CALL_DEVICES);
    c.header('Cache-Control', 'no-cache');
  });
  app.get('/console/*', serveStatic({ root: consoleDir, precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/console/, '') }));

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
      // A partner page that lets its visitors take calls: camera and microphone may go to DiReturn's frame.
      c.header('Permissions-Policy', embedderDevices(new URL(publicUrl).origin));
      return c.html(html.replaceAll('%DIRETURN_URL%', publicUrl));
    });
    app.get('/demo/*', serveStatic({ root: demo, rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }));
  }
  app.get('/', (c) => c.redirect(config.demo ? '/demo/' : '/console/'));
  return app;
}
