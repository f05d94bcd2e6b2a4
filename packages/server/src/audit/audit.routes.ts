import { Hono } from 'hono';
import type { AuditListResponse } from '@direturn/protocol';
import { AuditQuerySchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { validate } from '../http/validate.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(auth: AuthService, audit: AuditService) {
  const app = new Hono<AppEnv>();
  app.get('/audit', requireAgent(auth, 'admin'), async (c) => c.json({ entries: await audit.list(validate(AuditQuerySchema, c.req.query())) } satisfies AuditListResponse));
  return app;
}
