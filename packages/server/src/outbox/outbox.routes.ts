import { Hono } from 'hono';
import * as v from 'valibot';
import type { OutboxEntryDto, OutboxEntryResponse, OutboxListResponse } from '@direturn/protocol';
import { OutboxListQuerySchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { validate } from '../http/validate.js';
import { DomainError } from '../shared/errors.js';
import type { Outbox } from './outbox.service.js';
import type { OutboxRow } from './outbox.table.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not an outbox id')) });

export const toOutboxEntryDto = (r: OutboxRow): OutboxEntryDto => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  status: r.status,
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Admins see what waits and what failed, and retry failed deliveries. */
export function outboxRoutes(auth: AuthService, outbox: Outbox) {
  const app = new Hono<AppEnv>();
  app.use('/outbox', requireAgent(auth, 'admin'));
  app.use('/outbox/*', requireAgent(auth, 'admin'));

  app.get('/outbox', async (c) => {
    const { status } = validate(OutboxListQuerySchema, c.req.query());
    return c.json({ entries: (await outbox.list(status)).map(toOutboxEntryDto), counts: await outbox.counts() } satisfies OutboxListResponse);
  });

  app.post('/outbox/:id/retry', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const row = await outbox.retry(id);
    if (!row) throw new DomainError('not_found', 'No failed delivery with this id.');
    return c.json({ entry: toOutboxEntryDto(row) } satisfies OutboxEntryResponse);
  });
  return app;
}
