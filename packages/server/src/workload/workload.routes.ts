import { Hono } from 'hono';
import * as v from 'valibot';
import type { AvailabilityResponse, ColleagueListResponse, SupervisionResponse } from '@direturn/protocol';
import { AvailabilityInputSchema, MaxParallelInputSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import type { WorkloadService } from './workload.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not an agent id')) });

/** Availability (own), colleagues to hand over to, the supervisor view. Roles are checked in the service. */
export function workloadRoutes(auth: AuthService, workload: WorkloadService) {
  const app = new Hono<AppEnv>();
  for (const path of ['/availability', '/colleagues', '/supervision', '/supervision/*']) app.use(path, requireAgent(auth));

  app.get('/availability', async (c) => c.json({ availability: await workload.status(c.get('auth').agent.id) } satisfies AvailabilityResponse));
  app.put('/availability', async (c) => {
    const { availability } = await readJson(c, AvailabilityInputSchema);
    return c.json({ availability: await workload.setAvailability(c.get('auth').agent, availability) } satisfies AvailabilityResponse);
  });
  app.get('/colleagues', async (c) => c.json({ colleagues: await workload.colleagues(c.get('auth').agent) } satisfies ColleagueListResponse));
  app.get('/supervision', async (c) => c.json((await workload.supervision(c.get('auth').agent)) satisfies SupervisionResponse));
  app.put('/supervision/agents/:id/max-parallel', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const { maxParallel } = await readJson(c, MaxParallelInputSchema);
    return c.json({ colleague: await workload.setMaxParallel(c.get('auth').agent, id, maxParallel) });
  });
  return app;
}
