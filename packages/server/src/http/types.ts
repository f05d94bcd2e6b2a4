import type { AuthenticatedAgent } from '../auth/auth.service.js';

/** Hono context variables set by middleware. */
export interface AppEnv {
  Variables: { auth: AuthenticatedAgent };
}
