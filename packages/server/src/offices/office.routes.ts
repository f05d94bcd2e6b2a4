import { Hono } from 'hono';
import * as v from 'valibot';
import type { OfficeCoverageReport, OfficeImportReport, OfficeListResponse, OfficeLookupResponse, OfficeResponse } from '@direturn/protocol';
import { OfficeExportQuerySchema, OfficeImportQuerySchema, OfficeInputSchema, OfficeLookupQuerySchema, OfficeUpdateSchema } from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import { DomainError } from '../shared/errors.js';
import type { OfficeService } from './office.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not an office id')) });
/** An office file may be much larger than an API request body. */
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** The public search (widget, no account): stores nothing, and the browser must not keep the answer either. */
export function publicOfficeRoutes(offices: OfficeService) {
  const app = new Hono<AppEnv>();
  app.get('/public/offices/lookup', async (c) => {
    const q = validate(OfficeLookupQuerySchema, c.req.query());
    c.header('Cache-Control', 'no-store');
    return c.json((await offices.find(q)) satisfies OfficeLookupResponse);
  });
  return app;
}

export function officeRoutes(auth: AuthService, offices: OfficeService) {
  const app = new Hono<AppEnv>();
  app.use('/offices', requireAgent(auth));
  app.use('/offices/*', requireAgent(auth));

  app.get('/offices', async (c) => c.json({ offices: await offices.list() } satisfies OfficeListResponse));

  app.post('/offices', async (c) => {
    const input = await readJson(c, OfficeInputSchema);
    return c.json({ office: await offices.create(c.get('auth').agent, input) } satisfies OfficeResponse, 201);
  });

  app.get('/offices/coverage', async (c) => c.json((await offices.coverage()) satisfies OfficeCoverageReport));

  app.get('/offices/export', async (c) => {
    const { format } = validate(OfficeExportQuerySchema, c.req.query());
    const body = await offices.export(format);
    c.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="offices.${format}"`);
    c.header('Cache-Control', 'no-store');
    return c.body(body);
  });

  /** The body is the file itself (text/csv or application/json); `dryRun=1` only reports. */
  app.post('/offices/import', async (c) => {
    const { format, dryRun } = validate(OfficeImportQuerySchema, c.req.query());
    if (Number(c.req.header('content-length') ?? '0') > IMPORT_MAX_BYTES) throw new DomainError('too_large', `An office file may have at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB.`);
    const text = await c.req.text();
    if (Buffer.byteLength(text) > IMPORT_MAX_BYTES) throw new DomainError('too_large', `An office file may have at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB.`);
    return c.json((await offices.import(c.get('auth').agent, format, text, dryRun)) satisfies OfficeImportReport);
  });

  app.get('/offices/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ office: await offices.get(id) } satisfies OfficeResponse);
  });

  app.patch('/offices/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const changes = await readJson(c, OfficeUpdateSchema);
    return c.json({ office: await offices.update(c.get('auth').agent, id, changes) } satisfies OfficeResponse);
  });

  return app;
}
