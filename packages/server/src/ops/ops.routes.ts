import { Hono } from 'hono';
import type { HealthResponse } from '@direturn/protocol';
import type { AppEnv } from '../http/types.js';
import type { Metrics } from './metrics.js';
import { metricsAccess, type MetricsAccess } from './metrics-access.js';
import type { Readiness } from './readiness.js';

/**
 * For load balancers and monitoring. `/healthz`: the process runs (restart it if not).
 * `/readyz`: it can serve now (send it traffic if so). `/metrics`: Prometheus, see metrics-access.ts.
 */
export function opsRoutes(deps: { version: string; readiness: Readiness; metrics: Metrics; access: MetricsAccess }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // No `use('*')` here: mounted at '/', it would apply to every route of the server.
  const noStore = { 'Cache-Control': 'no-store' };
  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version } satisfies HealthResponse, 200, noStore));
  app.get('/readyz', async (c) => {
    const body = await deps.readiness.check();
    return c.json(body, body.status === 'ready' ? 200 : 503, noStore);
  });
  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    const verdict = metricsAccess(c, deps.access);
    // `off`: as if there were no such address. Refused: say so, so that an operator sees why.
    if (verdict === 'off') return c.text('Not found\n', 404);
    if (verdict === 'refused') return c.text('Forbidden: /metrics answers local requests only (see docs/deploy.md)\n', 403);
    return c.body(await deps.metrics.text(), 200, { 'Content-Type': deps.metrics.contentType });
  });
  return app;
}
